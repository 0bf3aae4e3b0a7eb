package io.energy.attribute;

import io.energy.power.Domain;
import io.energy.sampling.Stack;
import io.energy.sampling.StackSamples;
import io.energy.sampling.ThreadKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ledger's split of one interval to the nanojoule, its times, its running totals and its timeline, with
 * round figures chosen so that every expected number is worked out by hand from the inputs (issue 14: these
 * were the ledger's surviving mutants; the property test checks conservation, not where each part goes).
 */
class LedgerBookkeepingTest {
    private static final long S = 1_000_000_000L;
    private static final long MS = 1_000_000L;
    private static final long J = 1_000_000_000L;
    private static final int A = 7;
    private static final int B = 8;

    private static EnergyLedger ledger(double idleWatts, boolean stacks) {
        return new EnergyLedger(List.of(new Domain(Domain.PACKAGE, 0, false, MS, "test")),
                new EnergyLedger.Options(false, false, new double[]{idleWatts}, 1000, id -> false, stacks));
    }

    private static IntervalInput.ThreadSlice slice(long cpu, int root, int rootWall, LedgerNode[] nodes, int[] samples,
                                                   int[] wall) {
        return new IntervalInput.ThreadSlice(cpu, root, rootWall, nodes, samples, wall, nodes.length);
    }

    @Test
    void oneIntervalIsSplitIntoIdleOtherProcessesAgentUninstrumentedAndThePathsSamples() {
        EnergyLedger l = ledger(10, false);
        LedgerNode a = l.child(l.root(), A);
        // 1 s, 30 J: 10 J idle (10 W), 20 J dynamic; the process used 500 ms of the machine's 1000 ms busy
        // CPU: 10 J to it, 10 J to other processes. Of the process's 500 ms: the thread 300, the agent 100, the
        // rest 100: 6 J, 2 J, 2 J. The thread's 6 J: 2 running samples in A, 1 at its root: 4 J and 2 J.
        l.apply(new IntervalInput(S, 2 * S, new long[]{30 * J}, 500 * MS, 1000 * MS, 100 * MS,
                new double[]{Double.NaN}, 10 * MS,
                List.of(slice(300 * MS, 1, 4, new LedgerNode[]{a}, new int[]{2}, new int[]{3}))));
        assertEquals(10 * J, l.bucketNode(LedgerNode.STATIC_IDLE).selfNanoJoules[0]);
        assertEquals(10 * J, l.bucketNode(LedgerNode.OTHER_PROCESSES).selfNanoJoules[0]);
        assertEquals(2 * J, l.bucketNode(LedgerNode.AGENT).selfNanoJoules[0]);
        assertEquals(2 * J + 2 * J, l.bucketNode(LedgerNode.UNINSTRUMENTED).selfNanoJoules[0]);
        assertEquals(4 * J, a.selfNanoJoules[0]);
        // Times: 3 wall samples of 10 ms; CPU by running samples, 2 of the thread's 3: 200 ms of its 300.
        assertEquals(30 * MS, a.wallNanos);
        assertEquals(3, a.samples);
        assertEquals(200 * MS, a.cpuNanos);

        assertEquals(1, l.intervals());
        assertEquals(S, l.durationNanos());
        assertEquals(30 * J, l.measuredNanoJoules(0));
        assertEquals(500 * MS, l.processCpuNanos());
        assertEquals(100 * MS, l.agentCpuNanos());
        assertFalse(l.machineCpuUnknown());
        List<Timeline.Point> points = l.timeline().points();
        assertEquals(1, points.size());
        Timeline.Point p = points.get(0);
        assertEquals(S, p.startNanos());
        assertEquals(2 * S, p.endNanos());
        assertArrayEquals(new long[]{30 * J}, p.nanoJoules());
        assertArrayEquals(new long[]{10 * J}, p.processNanoJoules(), "the process's part: its 10 J");
        assertEquals(A, p.topMethodId(), "the method that got most");
        assertEquals(30.0, p.watts(0), 1e-9);
    }

    @Test
    void theVarianceOfAPathsShareIsThatOfItsSamplesPlusTheSourcesGrain() {
        EnergyLedger l = ledger(Double.NaN, false);
        LedgerNode a = l.child(l.root(), A);
        // 1 s, 30 J, dedicated by CPU: process 300 ms of 300 ms busy, all in the one thread: 30 J to the thread,
        // 2 of its 3 running samples in A: 20 J. The source's grain is 1 ms at 30 W (the first interval: the
        // power changed from nothing): 0.03 J over the whole interval, the thread's part is all of it.
        l.apply(new IntervalInput(0, S, new long[]{30 * J}, 300 * MS, 300 * MS, 0, new double[]{Double.NaN},
                10 * MS, List.of(slice(300 * MS, 1, 1, new LedgerNode[]{a}, new int[]{2}, new int[]{2}))));
        assertEquals(20 * J, a.selfNanoJoules[0]);
        double perSample = 30.0 * J / 3;
        double p = 2.0 / 3;
        double sampling = perSample * perSample * (2 * (1 - p) + 1);
        double grain = 0.03 * 1e9 * 2 * Math.sqrt(p * (1 - p));
        assertEquals(sampling + grain * grain, a.selfVariance[0], 1e-6 * (sampling + grain * grain));
    }

    @Test
    void theSamplingVarianceFollowsTheBinomialFormula() {
        // 1000 nJ over 4 samples, 2 of them here: 250 nJ a sample, p = 1/2: 250² × (2 × 1/2 + 1).
        assertEquals(250.0 * 250 * 2, EnergyLedger.variance(1000, 2, 4, 500, 0), 1e-9);
        // One sample of 4: p = 1/4: 250² × (1 × 3/4 + 1).
        assertEquals(250.0 * 250 * 1.75, EnergyLedger.variance(1000, 1, 4, 250, 0), 1e-9);
        // A grain of 1 µJ at p = 1/2 adds (1000 nJ × 2 × 1/2)².
        assertEquals(250.0 * 250 * 2 + 1000.0 * 1000, EnergyLedger.variance(1000, 2, 4, 500, 1e-6), 1e-6);
        // A grain at p = 1/4: (1000 × 2 × √(3/16))².
        double g = 1000 * 2 * Math.sqrt(3.0 / 16);
        assertEquals(250.0 * 250 * 1.75 + g * g, EnergyLedger.variance(1000, 1, 4, 250, 1e-6), 1e-6);
        assertEquals(0, EnergyLedger.variance(1000, 0, 0, 0, 1e-6), "no samples: no variance");
    }

    @Test
    void runningTotalsAddUpOverIntervalsAndSkipUnknownFigures() {
        EnergyLedger l = ledger(Double.NaN, false);
        l.apply(new IntervalInput(5 * S, 6 * S, new long[]{3 * J}, 400 * MS, 800 * MS, 50 * MS,
                new double[]{Double.NaN}, 10 * MS, List.of()));
        // Unknown process CPU (-1) and a negative agent reading add nothing; an unknown machine is remembered.
        l.apply(new IntervalInput(6 * S, 8 * S, new long[]{4 * J}, -1, -1, -7, new double[]{Double.NaN},
                10 * MS, List.of()));
        assertEquals(2, l.intervals());
        assertEquals(3 * S, l.durationNanos(), "from the first start to the last end");
        assertEquals(7 * J, l.measuredNanoJoules(0));
        assertEquals(400 * MS, l.processCpuNanos());
        assertEquals(50 * MS, l.agentCpuNanos());
        assertTrue(l.machineCpuUnknown());
        assertEquals(2, l.timeline().points().size());
        assertEquals(0, l.timeline().points().get(1).topMethodId(), "no path got energy");
    }

    @Test
    void anEmptyLedgerHasNoDuration() {
        EnergyLedger l = ledger(Double.NaN, false);
        assertEquals(0, l.durationNanos());
        assertEquals(0, l.intervals());
        assertFalse(l.machineCpuUnknown());
        assertTrue(l.timeline().points().isEmpty());
        assertEquals(false, l.options().stacks());
    }

    @Test
    void aProcessThatUsedNoCpuGetsNoDynamicEnergyAndAMachineThatReportsNoBusyTimeGivesItAll() {
        EnergyLedger l = ledger(Double.NaN, false);
        l.apply(new IntervalInput(0, S, new long[]{5 * J}, 0, 900 * MS, 0, new double[]{Double.NaN}, 10 * MS,
                List.of()));
        assertEquals(5 * J, l.bucketNode(LedgerNode.OTHER_PROCESSES).selfNanoJoules[0], "0 of 900 ms: none");
        l.apply(new IntervalInput(S, 2 * S, new long[]{6 * J}, 0, 0, 0, new double[]{Double.NaN}, 10 * MS,
                List.of()));
        assertEquals(5 * J + 6 * J, l.bucketNode(LedgerNode.OTHER_PROCESSES).selfNanoJoules[0],
                "neither busy: none to the process");
        l.apply(new IntervalInput(2 * S, 3 * S, new long[]{7 * J}, 100 * MS, 0, 0, new double[]{Double.NaN},
                10 * MS, List.of()));
        assertEquals(11 * J, l.bucketNode(LedgerNode.OTHER_PROCESSES).selfNanoJoules[0]);
        assertEquals(7 * J, l.bucketNode(LedgerNode.UNINSTRUMENTED).selfNanoJoules[0],
                "the process busy, the machine said 0: all of it to the process, no thread to give it to");
        assertFalse(l.machineCpuUnknown(), "a machine that was idle reported its CPU time: 0 is known");
    }

    @Test
    void aGpusReportedProcessShareDecidesTheProcesssPart() {
        EnergyLedger l = new EnergyLedger(List.of(new Domain(Domain.GPU, 0, false, MS, "test")),
                new EnergyLedger.Options(false, false, new double[]{Double.NaN}, 1000, id -> false));
        l.apply(new IntervalInput(0, S, new long[]{8 * J}, 1, 1, 0, new double[]{0.25}, 10 * MS, List.of()));
        assertEquals(6 * J, l.bucketNode(LedgerNode.OTHER_PROCESSES).selfNanoJoules[0], "3/4 of 8 J");
        assertEquals(2 * J, l.bucketNode(LedgerNode.GPU_UNSCOPED).selfNanoJoules[0], "1/4, no path in scope");
    }

    @Test
    void energyNoWeightExplainsGoesToUninstrumented() {
        EnergyLedger l = ledger(Double.NaN, false);
        // The process's CPU is unknown and there are no threads: nothing to split by.
        l.apply(new IntervalInput(0, S, new long[]{9 * J}, -1, -1, 0, new double[]{Double.NaN}, 10 * MS,
                List.of()));
        assertEquals(9 * J, l.bucketNode(LedgerNode.UNINSTRUMENTED).selfNanoJoules[0]);
    }

    @Test
    void wallAndCpuTimeFollowWallSamplesWhenTheThreadWasNeverSeenRunning() {
        EnergyLedger l = ledger(Double.NaN, false);
        LedgerNode a = l.child(l.root(), A);
        LedgerNode b = l.child(l.root(), B);
        // 60 ms of CPU, never caught running: 1 of 4 wall samples at the root, 1 in A, 2 in B.
        l.apply(new IntervalInput(0, S, new long[]{0}, 60 * MS, 60 * MS, 0, new double[]{Double.NaN}, 20 * MS,
                List.of(slice(60 * MS, 0, 1, new LedgerNode[]{a, b}, new int[]{0, 0}, new int[]{1, 2}))));
        assertEquals(15 * MS, a.cpuNanos);
        assertEquals(30 * MS, b.cpuNanos);
        assertEquals(20 * MS, a.wallNanos);
        assertEquals(40 * MS, b.wallNanos);
        assertEquals(2, b.samples);
    }

    @Test
    void aThreadWithoutCpuTimeGetsNoCpuTimeOnItsPaths() {
        EnergyLedger l = ledger(Double.NaN, false);
        LedgerNode a = l.child(l.root(), A);
        l.apply(new IntervalInput(0, S, new long[]{0}, 0, 0, 0, new double[]{Double.NaN}, 20 * MS,
                List.of(slice(0, 0, 0, new LedgerNode[]{a}, new int[]{2}, new int[]{2}))));
        assertEquals(0, a.cpuNanos);
        assertEquals(40 * MS, a.wallNanos);
    }

    @Test
    void stackModeTakesCpuTimeFromTheStacksNotFromThePathSamples() {
        EnergyLedger l = ledger(Double.NaN, true);
        LedgerNode a = l.child(l.root(), A);
        StackSamples s = new StackSamples(10 * MS);
        s.add(new Stack(ThreadKind.JAVA, new int[]{A}), 3);
        s.add(new Stack(ThreadKind.GC, new int[0]), 2);
        l.apply(new IntervalInput(0, S, new long[]{5 * J}, S, S, 0, new double[]{Double.NaN}, 20 * MS,
                List.of(slice(S, 0, 0, new LedgerNode[]{a}, new int[]{4}, new int[]{4})), s));
        assertEquals(80 * MS, a.wallNanos, "wall time still from the path samples");
        assertEquals(3, a.samples, "samples from the stacks");
        assertEquals(30 * MS, a.cpuNanos, "3 samples of 10 ms");
        assertEquals(3 * J, a.selfNanoJoules[0]);
        assertEquals(2 * J, l.bucketNode(LedgerNode.GC).selfNanoJoules[0]);
        assertEquals(5, l.stackSamples());
        assertEquals(20 * MS, l.bucketNode(LedgerNode.GC).cpuNanos);
    }

    @Test
    void energyWaitingForStacksCountsInConservationAndGoesToUninstrumentedAfterTenSeconds() {
        EnergyLedger l = ledger(Double.NaN, true);
        long e = 2 * J;
        // Intervals of 5 s without samples, from t = 1 s: the energy waits while the wait is at most 10 s.
        l.apply(new IntervalInput(S, 6 * S, new long[]{e}, S, S, 0, new double[]{Double.NaN}, 20 * MS, List.of(),
                null));
        assertEquals(e, l.pendingNanoJoules(0));
        assertEquals(0, l.conservationError(0), "waiting energy is not lost");
        l.apply(new IntervalInput(6 * S, 11 * S, new long[]{e}, S, S, 0, new double[]{Double.NaN}, 20 * MS,
                List.of(), new StackSamples(10 * MS)));
        assertEquals(2 * e, l.pendingNanoJoules(0), "10 s exactly: still waiting (an empty harvest is none)");
        assertEquals(0, l.bucketNode(LedgerNode.UNINSTRUMENTED).selfNanoJoules[0]);
        l.apply(new IntervalInput(11 * S, 11 * S + 1, new long[]{e}, S, S, 0, new double[]{Double.NaN}, 20 * MS,
                List.of(), null));
        assertEquals(0, l.pendingNanoJoules(0), "past 10 s: given up");
        assertEquals(3 * e, l.bucketNode(LedgerNode.UNINSTRUMENTED).selfNanoJoules[0]);
        assertEquals((double) (3 * e) * (3 * e) / 4, l.bucketNode(LedgerNode.UNINSTRUMENTED).selfVariance[0], 1,
                "its bound is all of it: 2σ = e");
        assertEquals(0, l.conservationError(0));
        // The wait starts again with the next energy.
        l.apply(new IntervalInput(12 * S, 17 * S, new long[]{e}, S, S, 0, new double[]{Double.NaN}, 20 * MS,
                List.of(), null));
        l.apply(new IntervalInput(17 * S, 22 * S, new long[]{e}, S, S, 0, new double[]{Double.NaN}, 20 * MS,
                List.of(), null));
        assertEquals(2 * e, l.pendingNanoJoules(0), "10 s since 12 s: still waiting");
    }

    @Test
    void energyPlacedOutsideAMeasurementShowsAsAConservationError() {
        EnergyLedger l = ledger(Double.NaN, false);
        l.addLost(0, 5);
        assertEquals(5, l.bucketNode(LedgerNode.LOST).selfNanoJoules[0]);
        assertEquals(5, l.conservationError(0), "5 nJ in the tree that no measurement brought");
        l.addLost(0, 3);
        assertEquals(8, l.conservationError(0));
    }

    @Test
    void callsAddUp() {
        EnergyLedger l = ledger(Double.NaN, false);
        LedgerNode a = l.child(l.root(), A);
        l.addCalls(a, 4);
        l.addCalls(a, 3);
        assertEquals(7, a.calls);
    }

    @Test
    void nodesKnowTheirDepthAndWhetherTheyAreBuckets() {
        EnergyLedger l = ledger(Double.NaN, false);
        LedgerNode a = l.child(l.root(), A);
        LedgerNode ab = l.child(a, B);
        assertEquals(0, l.root().depth());
        assertEquals(1, a.depth());
        assertEquals(2, ab.depth());
        assertSame(ab, l.child(a, B));
        assertFalse(a.isBucket());
        assertFalse(l.root().isBucket(), "the root (id 0) is not a bucket");
        assertTrue(l.bucketNode(LedgerNode.OTHER_PATHS).isBucket());
        assertTrue(l.bucketNode(LedgerNode.STATIC_IDLE).isBucket());
        assertNull(l.bucketNode(LedgerNode.GC), "no stack sampler: no GC bucket");
    }

    @Test
    void aSlicesTotalsAddItsRootAndPathSamples() {
        IntervalInput.ThreadSlice t = new IntervalInput.ThreadSlice(0, 2, 5, new LedgerNode[3],
                new int[]{3, 4, 100}, new int[]{6, 7, 100}, 2);
        assertEquals(2 + 3 + 4, t.totalSamples(), "only the used entries");
        assertEquals(5 + 6 + 7, t.totalWallSamples());
    }

    @Test
    void theIdleShareGrowsWithTheIntervalsLength() {
        EnergyLedger l = ledger(10, false);
        // 2 s at 10 W idle: 20 J of the 50 J is static.
        l.apply(new IntervalInput(0, 2 * S, new long[]{50 * J}, 0, 1, 0, new double[]{Double.NaN}, 10 * MS,
                List.of()));
        assertEquals(20 * J, l.bucketNode(LedgerNode.STATIC_IDLE).selfNanoJoules[0]);
        assertEquals(30 * J, l.bucketNode(LedgerNode.OTHER_PROCESSES).selfNanoJoules[0]);
    }

    @Test
    void aRunThatStartsAtTimeZeroMeasuresItsDurationFromZero() {
        EnergyLedger l = ledger(Double.NaN, false);
        l.apply(new IntervalInput(0, S, new long[]{J}, 0, 1, 0, new double[]{Double.NaN}, 10 * MS, List.of()));
        assertEquals(S, l.durationNanos());
        l.apply(new IntervalInput(S, 3 * S, new long[]{J}, 0, 1, 0, new double[]{Double.NaN}, 10 * MS, List.of()));
        assertEquals(3 * S, l.durationNanos());
        assertFalse(l.machineCpuUnknown(), "the machine's CPU was known in both");
    }

    @Test
    void cpuEnergyOfAThreadNeverSeenRunningFollowsWhereItWas() {
        EnergyLedger l = ledger(Double.NaN, false);
        LedgerNode a = l.child(l.root(), A);
        LedgerNode b = l.child(l.root(), B);
        // 4 J, all the thread's; no running sample: 1 wall sample at its root, 1 in A, 2 in B.
        l.apply(new IntervalInput(0, S, new long[]{4 * J}, 60 * MS, 60 * MS, 0, new double[]{Double.NaN}, 20 * MS,
                List.of(slice(60 * MS, 0, 1, new LedgerNode[]{a, b}, new int[]{0, 0}, new int[]{1, 2}))));
        assertEquals(J, a.selfNanoJoules[0]);
        assertEquals(2 * J, b.selfNanoJoules[0]);
        assertEquals(J, l.bucketNode(LedgerNode.UNINSTRUMENTED).selfNanoJoules[0]);
    }

    @Test
    void gpuEnergyGoesToThePathsInScopeByWallSamplesWithTheirVariance() {
        int outside = 9;
        EnergyLedger l = new EnergyLedger(List.of(new Domain(Domain.GPU, 0, false, 0, "test")),
                new EnergyLedger.Options(false, false, new double[]{Double.NaN}, 1000, id -> id != outside));
        LedgerNode a = l.child(l.root(), A);
        LedgerNode b = l.child(l.root(), B);
        LedgerNode o = l.child(l.root(), outside);
        // 8 J, all this process's: wall samples A 1, B 3, and 4 outside the scope: A 2 J, B 6 J.
        l.apply(new IntervalInput(0, S, new long[]{8 * J}, 1, 1, 0, new double[]{1.0}, 10 * MS,
                List.of(slice(0, 0, 0, new LedgerNode[]{a, b, o}, new int[]{0, 0, 0}, new int[]{1, 3, 4}))));
        assertEquals(2 * J, a.selfNanoJoules[0]);
        assertEquals(6 * J, b.selfNanoJoules[0]);
        assertEquals(0, o.selfNanoJoules[0], "the root above it is no method: not in scope");
        // 2 J a sample over the 4 in scope; A has 1 (p = 1/4): (2 J)² × (3/4 + 1); the grain is 0.
        double perSample = 2.0 * J;
        assertEquals(perSample * perSample * 1.75, a.selfVariance[0], 1e-6 * perSample * perSample);
        assertEquals(B, l.timeline().points().get(0).topMethodId());
    }

    @Test
    void stackSamplesWithoutEnergyWaitingStillCountTheirCpuTime() {
        EnergyLedger l = ledger(Double.NaN, true);
        LedgerNode a = l.child(l.root(), A);
        StackSamples s = new StackSamples(10 * MS);
        s.add(new Stack(ThreadKind.JAVA, new int[]{A}), 3);
        l.apply(new IntervalInput(0, S, new long[]{0}, S, S, 0, new double[]{Double.NaN}, 20 * MS, List.of(), s));
        assertEquals(3, a.samples);
        assertEquals(30 * MS, a.cpuNanos);
        assertEquals(3, l.stackSamples());
        l.apply(new IntervalInput(S, 2 * S, new long[]{0}, S, S, 0, new double[]{Double.NaN}, 20 * MS, List.of(),
                null));
        assertEquals(3, l.stackSamples(), "no harvest, nothing to count");
    }

    @Test
    void theWaitForStacksFromTimeZeroStartsAtZero() {
        EnergyLedger l = ledger(Double.NaN, true);
        long e = J;
        l.apply(new IntervalInput(0, 5 * S, new long[]{e}, S, S, 0, new double[]{Double.NaN}, 20 * MS, List.of(),
                null));
        l.apply(new IntervalInput(5 * S, 10 * S, new long[]{e}, S, S, 0, new double[]{Double.NaN}, 20 * MS,
                List.of(), null));
        assertEquals(2 * e, l.pendingNanoJoules(0), "10 s since 0: still waiting");
        l.apply(new IntervalInput(10 * S, 10 * S + 1, new long[]{e}, S, S, 0, new double[]{Double.NaN}, 20 * MS,
                List.of(), null));
        assertEquals(0, l.pendingNanoJoules(0), "past 10 s since 0: given up");
        assertEquals(3 * e, l.bucketNode(LedgerNode.UNINSTRUMENTED).selfNanoJoules[0]);
    }

    @Test
    void stackEnergyOnAPathAndOnAJvmBucketCarriesTheSamplingVariance() {
        EnergyLedger l = ledger(Double.NaN, true);
        LedgerNode a = l.child(l.root(), A);
        StackSamples s = new StackSamples(10 * MS);
        s.add(new Stack(ThreadKind.JAVA, new int[]{A}), 3);
        s.add(new Stack(ThreadKind.GC, new int[0]), 1);
        // 1 s, 4 J, all the process's (4 W; the 1 ms grain at a 4 W step: 0.004 J), 3 samples in A, 1 in GC.
        l.apply(new IntervalInput(0, S, new long[]{4 * J}, S, S, 0, new double[]{Double.NaN}, 20 * MS, List.of(), s));
        assertEquals(3 * J, a.selfNanoJoules[0]);
        LedgerNode gc = l.bucketNode(LedgerNode.GC);
        assertEquals(J, gc.selfNanoJoules[0]);
        // 1 J a sample. A: p = 3/4, grain 0.004 J × 3/4; GC: p = 1/4, grain 0.004 J × 1/4.
        double gA = 0.003 * 1e9 * 2 * Math.sqrt(0.75 * 0.25);
        double gGc = 0.001 * 1e9 * 2 * Math.sqrt(0.25 * 0.75);
        double vA = 1e18 * (3 * 0.25 + 1) + gA * gA;
        double vGc = 1e18 * (1 * 0.75 + 1) + gGc * gGc;
        assertEquals(vA, a.selfVariance[0], 1e-9 * vA);
        assertEquals(vGc, gc.selfVariance[0], 1e-9 * vGc);
        assertEquals(A, l.timeline().points().get(0).topMethodId(), "a method, never a bucket, is the top");
    }

    @Test
    void aSampledStackCachesItsPathButNotTheOverflowBucket() {
        EnergyLedger l = new EnergyLedger(List.of(new Domain(Domain.PACKAGE, 0, false, MS, "test")),
                new EnergyLedger.Options(false, false, new double[]{Double.NaN}, 1, id -> false, true));
        Stack kept = new Stack(ThreadKind.JAVA, new int[]{A});
        Stack over = new Stack(ThreadKind.JAVA, new int[]{B});
        StackSamples s = new StackSamples(10 * MS);
        s.add(kept, 1);
        s.add(over, 1);
        l.apply(new IntervalInput(0, S, new long[]{2 * J}, S, S, 0, new double[]{Double.NaN}, 20 * MS, List.of(), s));
        assertSame(l.child(l.root(), A), kept.ledgerLeaf);
        assertNull(over.ledgerLeaf, "one path allowed: B went to (other paths), not pinned there");
        assertEquals(J, l.bucketNode(LedgerNode.OTHER_PATHS).selfNanoJoules[0]);
    }

    @Test
    void methodCallsAddsUpTheCallsOfEveryMethodPathAndNoBucketsCalls() {
        EnergyLedger l = ledger(0, true);
        LedgerNode a = l.child(l.root(), 1);
        l.addCalls(a, 5);
        l.addCalls(l.child(a, 2), 7);
        l.addCalls(l.child(l.root(), 2), 3);
        l.addCalls(l.bucketNode(LedgerNode.OTHER_PATHS), 11);
        assertEquals(15, l.methodCalls(), "5 + 7 + 3 on method paths; the bucket's 11 are not a method's");
    }
}

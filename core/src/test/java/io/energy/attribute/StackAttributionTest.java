package io.energy.attribute;

import io.energy.power.Domain;
import io.energy.sampling.Stack;
import io.energy.sampling.StackSamples;
import io.energy.sampling.ThreadKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ledger with a stack sampler: each stretch of the process's CPU energy goes to the stacks sampled in
 * it, by count. Every expected figure below is computed from the energy fed in, not from the ledger.
 */
class StackAttributionTest {
    private static final long PERIOD = 10_000_000L;
    private static final double NO_IDLE = Double.NaN;

    private static EnergyLedger ledger(int domains) {
        List<Domain> d = domains == 1 ? List.of(new Domain(Domain.PACKAGE, 0, false, 1_000_000, "test"))
                : List.of(new Domain(Domain.PACKAGE, 0, false, 1_000_000, "test"),
                new Domain(Domain.DRAM, 0, false, 1_000_000, "test"));
        double[] idle = new double[d.size()];
        java.util.Arrays.fill(idle, NO_IDLE);
        return new EnergyLedger(d, new EnergyLedger.Options(true, false, idle, 20_000, id -> true, true));
    }

    private static IntervalInput interval(long start, long nanoJoules, StackSamples s) {
        return new IntervalInput(start, start + 100_000_000L, new long[]{nanoJoules}, 200_000_000L,
                200_000_000L, 0, new double[]{Double.NaN}, PERIOD, List.of(), s);
    }

    private static LedgerNode path(EnergyLedger l, int... frames) {
        LedgerNode n = l.root();
        for (int f : frames) {
            n = l.child(n, f);
        }
        return n;
    }

    @Test
    void aProcesssCpuEnergyIsSplitOverItsSamplesByCountSelfToTheInnermostFrame() {
        EnergyLedger l = ledger(1);
        StackSamples s = new StackSamples(PERIOD);
        s.add(new Stack(ThreadKind.JAVA, new int[]{1, 2}), 30);
        s.add(new Stack(ThreadKind.JAVA, new int[]{1, 3}), 10);
        l.apply(interval(0, 4_000_000_000L, s));
        assertEquals(3_000_000_000L, path(l, 1, 2).selfNanoJoules[0]);
        assertEquals(1_000_000_000L, path(l, 1, 3).selfNanoJoules[0]);
        assertEquals(0, path(l, 1).selfNanoJoules[0], "the caller has no self energy of its own here");
        assertEquals(300_000_000L, path(l, 1, 2).cpuNanos, "30 samples of 10 ms");
    }

    @Test
    void jvmThreadsAndTheAgentGetTheirOwnBuckets() {
        EnergyLedger l = ledger(1);
        StackSamples s = new StackSamples(PERIOD);
        s.add(new Stack(ThreadKind.JAVA, new int[]{1}), 5);
        s.add(new Stack(ThreadKind.GC, new int[0]), 2);
        s.add(new Stack(ThreadKind.JIT, new int[0]), 2);
        s.add(new Stack(ThreadKind.VM, new int[0]), 0);
        s.add(new Stack(ThreadKind.AGENT, new int[0]), 1);
        l.apply(interval(0, 1_000_000_000L, s));
        assertEquals(500_000_000L, path(l, 1).selfNanoJoules[0]);
        assertEquals(200_000_000L, l.bucketNode(LedgerNode.GC).selfNanoJoules[0]);
        assertEquals(200_000_000L, l.bucketNode(LedgerNode.JIT).selfNanoJoules[0]);
        assertEquals(0, l.bucketNode(LedgerNode.VM).selfNanoJoules[0]);
        assertEquals(100_000_000L, l.bucketNode(LedgerNode.AGENT).selfNanoJoules[0]);
        assertEquals(0, l.bucketNode(LedgerNode.UNINSTRUMENTED).selfNanoJoules[0]);
    }

    @Test
    void energyOfIntervalsWithoutSamplesWaitsForTheNextSamplesInsteadOfBeingLost() {
        EnergyLedger l = ledger(1);
        // A thread that runs short bursts: two intervals pass without a sample, the third has one.
        l.apply(interval(0, 700_000_000L, null));
        l.apply(interval(100_000_000L, 200_000_000L, new StackSamples(PERIOD)));
        assertEquals(900_000_000L, l.pendingNanoJoules(0));
        StackSamples s = new StackSamples(PERIOD);
        s.add(new Stack(ThreadKind.JAVA, new int[]{7}), 1);
        l.apply(interval(200_000_000L, 100_000_000L, s));
        assertEquals(1_000_000_000L, path(l, 7).selfNanoJoules[0]);
        assertEquals(0, l.pendingNanoJoules(0));
        assertEquals(0, l.bucketNode(LedgerNode.UNINSTRUMENTED).selfNanoJoules[0]);
    }

    @Test
    void energyThatFindsNoSampleForTenSecondsGoesToUnsampled() {
        EnergyLedger l = ledger(1);
        long t = 0;
        long fed = 0;
        for (int i = 0; i < 102; i++) {
            l.apply(interval(t, 10_000_000L, null));
            fed += 10_000_000L;
            t += 100_000_000L;
        }
        assertEquals(fed, l.bucketNode(LedgerNode.UNINSTRUMENTED).selfNanoJoules[0] + l.pendingNanoJoules(0));
        assertTrue(l.bucketNode(LedgerNode.UNINSTRUMENTED).selfNanoJoules[0] >= 1_000_000_000L,
                "after 10 s the waiting energy is given up");
    }

    @Test
    void eachHarvestTakesTheEnergyOfItsOwnStretchSoAMethodRunningWhilePowerIsHighGetsMore() {
        EnergyLedger l = ledger(1);
        StackSamples a = new StackSamples(PERIOD);
        a.add(new Stack(ThreadKind.JAVA, new int[]{1}), 10);
        l.apply(interval(0, 6_000_000_000L, a)); // 60 W while A runs
        StackSamples b = new StackSamples(PERIOD);
        b.add(new Stack(ThreadKind.JAVA, new int[]{2}), 10);
        l.apply(interval(100_000_000L, 3_000_000_000L, b)); // 30 W while B runs, same CPU time
        assertEquals(6_000_000_000L, path(l, 1).selfNanoJoules[0]);
        assertEquals(3_000_000_000L, path(l, 2).selfNanoJoules[0]);
    }

    @Test
    void everyNanojouleFedInIsFoundInTheTreeWhateverTheSamples() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(42);
        for (int run = 0; run < 50; run++) {
            EnergyLedger l = ledger(2);
            long[] fed = new long[2];
            long t = 0;
            for (int i = 0; i < 40; i++) {
                long[] e = {r.nextLong(0, 5_000_000_000L), r.nextLong(0, 1_000_000_000L)};
                fed[0] += e[0];
                fed[1] += e[1];
                StackSamples s = r.nextInt(3) == 0 ? null : new StackSamples(PERIOD);
                if (s != null) {
                    for (int k = r.nextInt(5); k > 0; k--) {
                        s.add(new Stack(ThreadKind.values()[r.nextInt(ThreadKind.values().length)],
                                new int[]{1 + r.nextInt(4), 1 + r.nextInt(4)}), r.nextInt(1, 20));
                    }
                }
                l.apply(new IntervalInput(t, t + 100_000_000L, e, 200_000_000L, 200_000_000L, 0,
                        new double[]{Double.NaN, Double.NaN}, PERIOD, List.of(), s));
                t += 100_000_000L;
            }
            for (int d = 0; d < 2; d++) {
                assertEquals(fed[d], treeSum(l.root(), d) + l.pendingNanoJoules(d), "domain " + d + " run " + run);
            }
        }
    }

    private static double boundOfA(long grainNanos, long[] energies) {
        EnergyLedger l = new EnergyLedger(List.of(new Domain(Domain.PACKAGE, 0, false, grainNanos, "test")),
                new EnergyLedger.Options(true, false, new double[]{Double.NaN}, 1000, id -> true, true));
        long t = 0;
        for (long e : energies) {
            StackSamples s = new StackSamples(PERIOD);
            s.add(new Stack(ThreadKind.JAVA, new int[]{1}), 5);
            s.add(new Stack(ThreadKind.JAVA, new int[]{2}), 5);
            l.apply(interval(t, e, s));
            t += 100_000_000L;
        }
        return l.child(l.root(), 1).selfVariance[0];
    }

    @Test
    void aCoarseCounterUnderConstantPowerAddsOnlyItsEndsToTheBoundNotOneTermPerInterval() {
        // 80 W for one minute and for two: the 1 s counter's share of the variance (over a 1 ms counter's)
        // is the start of the run, once; it does not grow with the number of intervals.
        long[] minute = new long[600];
        long[] twoMinutes = new long[1200];
        java.util.Arrays.fill(minute, 8_000_000_000L);
        java.util.Arrays.fill(twoMinutes, 8_000_000_000L);
        double grainPartMinute = boundOfA(1_000_000_000L, minute) - boundOfA(1_000_000L, minute);
        double grainPartTwo = boundOfA(1_000_000_000L, twoMinutes) - boundOfA(1_000_000L, twoMinutes);
        assertTrue(grainPartMinute > 0, "the run's start is not placed finer than the counter's grain");
        assertEquals(grainPartMinute, grainPartTwo, grainPartMinute * 1e-9);
    }

    @Test
    void aCoarseCounterWidensTheBoundWherePowerChanges() {
        long[] steps = new long[600];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = (i / 10) % 2 == 0 ? 8_000_000_000L : 3_000_000_000L;
        }
        assertTrue(boundOfA(1_000_000_000L, steps) > 2 * boundOfA(1_000_000L, steps));
    }

    private static long treeSum(LedgerNode n, int d) {
        long s = n.selfNanoJoules[d];
        for (LedgerNode c : n.children()) {
            s += treeSum(c, d);
        }
        return s;
    }

    /** A counter with no grain: the bounds below are the sampling's alone. */
    private static EnergyLedger exact() {
        List<Domain> d = List.of(new Domain(Domain.PACKAGE, 0, false, 0, "test"));
        return new EnergyLedger(d, new EnergyLedger.Options(true, false, new double[]{NO_IDLE}, 20_000, id -> true, true));
    }

    private static double boundSamples(LedgerNode n, double joulesPerSample) {
        return 2 * Math.sqrt(n.selfVariance[0]) / joulesPerSample;
    }

    @Test
    void threadsSampledOnTheirOwnClocksThatEachRunOneMethodAreBoundedByTheEndsOfTheirRunsNotByChance() {
        // 60 samples in two threads, 40 and 20, each wholly in one method: with per-thread CPU clocks a
        // thread's count is its CPU time to within a sample, and the split inside it is certain.
        EnergyLedger perThread = exact();
        StackSamples s = new StackSamples(PERIOD, true);
        s.add(new Stack(ThreadKind.JAVA, new int[]{1, 2}), 40, 101);
        s.add(new Stack(ThreadKind.JAVA, new int[]{1, 3}), 20, 102);
        perThread.apply(interval(0, 6_000_000_000L, s));
        double perSample = 100_000_000;
        assertEquals(2.0, boundSamples(path(perThread, 1, 2), perSample), 1e-9, "2σ = 2·√1: one sample for the ends");
        assertEquals(2.0, boundSamples(path(perThread, 1, 3), perSample), 1e-9);

        // The same counts from a process-wide timer: which thread a tick lands in is chance too.
        EnergyLedger shared = exact();
        StackSamples t = new StackSamples(PERIOD, false);
        t.add(new Stack(ThreadKind.JAVA, new int[]{1, 2}), 40, 101);
        t.add(new Stack(ThreadKind.JAVA, new int[]{1, 3}), 20, 102);
        shared.apply(interval(0, 6_000_000_000L, t));
        double binomial = 2 * Math.sqrt(40 * (1 - 40 / 60.0) + 1);
        assertEquals(binomial, boundSamples(path(shared, 1, 2), perSample), 1e-9);
    }

    @Test
    void withinOneThreadTheSplitBetweenItsStacksIsBinomialInThatThreadsSamples() {
        EnergyLedger l = exact();
        StackSamples s = new StackSamples(PERIOD, true);
        s.add(new Stack(ThreadKind.JAVA, new int[]{1, 2}), 30, 7);
        s.add(new Stack(ThreadKind.JAVA, new int[]{1, 3}), 10, 7);
        s.add(new Stack(ThreadKind.JAVA, new int[]{4}), 60, 8);
        l.apply(interval(0, 10_000_000_000L, s));
        double perSample = 100_000_000;
        // n(1 − n/N) inside thread 7 (N = 40), not inside the harvest (100), plus one sample for the ends.
        double v2 = 30 * (1 - 30 / 40.0) + 1;
        double v3 = 10 * (1 - 10 / 40.0) + 1;
        assertEquals(2 * Math.sqrt(v2), boundSamples(path(l, 1, 2), perSample), 1e-9);
        assertEquals(2 * Math.sqrt(v3), boundSamples(path(l, 1, 3), perSample), 1e-9);
        assertEquals(2.0, boundSamples(path(l, 4), perSample), 1e-9);
        // A sample without a thread falls back to the harvest-wide binomial, never to nothing.
        EnergyLedger m = exact();
        StackSamples u = new StackSamples(PERIOD, true);
        u.add(new Stack(ThreadKind.JAVA, new int[]{1, 2}), 30);
        u.add(new Stack(ThreadKind.JAVA, new int[]{1, 3}), 10, 7);
        m.apply(interval(0, 4_000_000_000L, u));
        assertEquals(2 * Math.sqrt(30 * (1 - 30 / 40.0) + 1), boundSamples(path(m, 1, 2), perSample), 1e-9);
    }

    @Test
    void aCallerWhoseCalleesTakeTurnsOnOneThreadIsBoundedByTheSamplesThroughItNotItsCalleesAddedUp() {
        EnergyLedger l = exact();
        StackSamples s = new StackSamples(PERIOD, true);
        // Thread 5 spends the harvest in caller 1, half in callee 2 and half in callee 3.
        s.add(new Stack(ThreadKind.JAVA, new int[]{1, 2}), 50, 5);
        s.add(new Stack(ThreadKind.JAVA, new int[]{1, 3}), 50, 5);
        s.add(new Stack(ThreadKind.JAVA, new int[]{9}), 100, 6);
        l.apply(interval(0, 20_000_000_000L, s));
        double perSample = 100_000_000;
        LedgerNode caller = path(l, 1);
        // Each callee: 50·(1 − ½) + 1 samples²; the caller has all of thread 5's samples: 1 sample².
        double callee = 50 * 0.5 + 1;
        assertEquals(2 * Math.sqrt(callee), 2 * Math.sqrt(path(l, 1, 2).inclusiveVariance[0]) / perSample, 1e-9);
        assertEquals(2.0, 2 * Math.sqrt(caller.inclusiveVariance[0]) / perSample, 1e-9,
                "not √2 × a callee's bound: the callees' errors cancel in their caller");
        assertEquals(0, caller.selfVariance[0], "the caller itself has no self samples");
    }

    /** Adds {@code count} samples of thread {@code tid} in the one-frame stack {@code frame}, and the thread's CPU. */
    private static void sampled(StackSamples s, int frame, long count, long tid, long cpuNanos) {
        s.add(new Stack(ThreadKind.JAVA, new int[]{frame}), count, tid);
        s.setThreadCpu(tid, cpuNanos);
    }

    private static IntervalInput spanOf(long start, long nanoJoules, long processCpu, StackSamples s) {
        return new IntervalInput(start, start + 100_000_000L, new long[]{nanoJoules}, processCpu,
                processCpu, 0, new double[]{Double.NaN}, PERIOD, List.of(), s);
    }

    @Test
    void withTheSampledThreadsClocksEachIsPaidItsOwnCpuAndCpuNoSampleStandsForGoesToNoMethod() {
        EnergyLedger l = ledger(1);
        // One busy thread, 8 samples and 83 ms by its own clock, in a span where the process used 100 ms: the
        // other 17 ms were threads no tick fell in (a server, the JIT). By count the busy method took all 1 J.
        StackSamples s = new StackSamples(PERIOD, true);
        s.add(new Stack(ThreadKind.JAVA, new int[]{1, 2}), 6, 7);
        s.add(new Stack(ThreadKind.JAVA, new int[]{1, 3}), 2, 7);
        s.setThreadCpu(7, 83_000_000L);
        l.apply(spanOf(0, 1_000_000_000L, 100_000_000L, s));
        assertEquals(622_500_000L, path(l, 1, 2).selfNanoJoules[0], "6/8 of 83% of the energy");
        assertEquals(207_500_000L, path(l, 1, 3).selfNanoJoules[0]);
        assertEquals(170_000_000L, l.bucketNode(LedgerNode.UNINSTRUMENTED).selfNanoJoules[0],
                "the CPU no sampled thread used is no method's");
        // Its bound: the process clock's 10 ms step at each end of the span, at the span's 10 nJ per ns of CPU, and
        // the source's grain (1 ms at 10 W: 0.01 J) for its share f of the interval.
        double grainNj = 0.01 * 1e9 * 2 * Math.sqrt(0.17 * 0.83);
        assertEquals(100.0 * 1e7 * 1e7 / 6 + grainNj * grainNj,
                l.bucketNode(LedgerNode.UNINSTRUMENTED).selfVariance[0], 1e6);
        assertEquals(l.bucketNode(LedgerNode.UNINSTRUMENTED).selfVariance[0],
                l.bucketNode(LedgerNode.UNINSTRUMENTED).inclusiveVariance[0], 1e6);
        // The methods' bounds are the split inside the thread, of the energy the samples were paid (0.83 J).
        assertEquals(EnergyLedger.sampledVariance(830_000_000L, 6, 8, 8, 0.01 * 0.6225),
                path(l, 1, 2).selfVariance[0], 1e6);
        double perSample = 830_000_000.0 / 8;
        assertTrue(path(l, 1, 2).selfVariance[0] >= perSample * perSample * (6 * (1 - 6 / 8.0) + 1));
        assertEquals(EnergyLedger.sampledVariance(830_000_000L, 8, 8, 8, 0.01 * 8 / 8),
                path(l, 1).inclusiveVariance[0], 1e6,
                "the caller holds all of the thread's samples: one sample for the ends of its run");
    }

    @Test
    void threadsThatEndedShareWhatTheProcessClockLeavesWhenItIsLessThanHalfAPeriodEach() {
        EnergyLedger l = ledger(1);
        StackSamples s = new StackSamples(PERIOD, true);
        sampled(s, 4, 2, 20, StackSamples.CPU_ENDED);
        sampled(s, 5, 2, 21, StackSamples.CPU_ENDED);
        sampled(s, 6, 5, 22, 50_000_000L);
        // 100 ms of process CPU: 20 + 20 + 50 paid, 10 left: 5 ms to each ended thread, none to (unattributed).
        l.apply(spanOf(0, 1_000_000_000L, 100_000_000L, s));
        assertEquals(250_000_000L, path(l, 4).selfNanoJoules[0]);
        assertEquals(250_000_000L, path(l, 5).selfNanoJoules[0]);
        assertEquals(500_000_000L, path(l, 6).selfNanoJoules[0]);
        assertEquals(0, l.bucketNode(LedgerNode.UNINSTRUMENTED).selfNanoJoules[0]);
        assertEquals(0, l.bucketNode(LedgerNode.UNINSTRUMENTED).selfVariance[0], "no rest, no bound for one");
        StackSamples t = new StackSamples(PERIOD, true);
        sampled(t, 7, 2, 30, StackSamples.CPU_ENDED);
        sampled(t, 8, 2, 31, StackSamples.CPU_ENDED);
        sampled(t, 9, 5, 32, 50_000_000L);
        // 96 ms: 6 left, 3 ms each.
        l.apply(spanOf(100_000_000L, 960_000_000L, 96_000_000L, t));
        assertEquals(230_000_000L, path(l, 7).selfNanoJoules[0]);
        assertEquals(230_000_000L, path(l, 8).selfNanoJoules[0]);
        assertEquals(500_000_000L, path(l, 9).selfNanoJoules[0]);
    }

    @Test
    void whereTheProcessClockWasNotReadAHarvestWithThreadClocksIsSplitByCount() {
        EnergyLedger l = ledger(1);
        StackSamples s = new StackSamples(PERIOD, true);
        sampled(s, 1, 6, 7, 30_000_000L);
        sampled(s, 2, 6, 8, 90_000_000L);
        l.apply(spanOf(0, 1_000_000_000L, -1, s));
        assertEquals(500_000_000L, path(l, 1).selfNanoJoules[0]);
        assertEquals(500_000_000L, path(l, 2).selfNanoJoules[0]);
        StackSamples t = new StackSamples(PERIOD, true);
        sampled(t, 1, 6, 7, 30_000_000L);
        sampled(t, 2, 6, 8, 90_000_000L);
        l.apply(spanOf(100_000_000L, 1_000_000_000L, 120_000_000L, t));
        assertEquals(750_000_000L, path(l, 1).selfNanoJoules[0], "with the process clock: 30 against 90 ms");
        assertEquals(1_250_000_000L, path(l, 2).selfNanoJoules[0]);
    }

    @Test
    void aThreadThatEndedIsPaidItsSamplesAndHalfAPeriodForTheCpuAfterItsLastTick() {
        EnergyLedger l = ledger(1);
        StackSamples s = new StackSamples(PERIOD, true);
        sampled(s, 4, 3, 20, StackSamples.CPU_ENDED);
        sampled(s, 5, 6, 21, 60_000_000L);
        l.apply(spanOf(0, 1_000_000_000L, 100_000_000L, s));
        assertEquals(350_000_000L, path(l, 4).selfNanoJoules[0], "30 ms of ticks and 5 ms after the last");
        assertEquals(600_000_000L, path(l, 5).selfNanoJoules[0]);
        assertEquals(50_000_000L, l.bucketNode(LedgerNode.UNINSTRUMENTED).selfNanoJoules[0]);
    }

    @Test
    void threadClocksReadingBeyondTheProcessClocksStepAreTakenFromTheNextHarvestsRest() {
        EnergyLedger l = ledger(1);
        StackSamples a = new StackSamples(PERIOD, true);
        sampled(a, 1, 11, 7, 110_000_000L); // the process clock read 100 ms: one 10 ms step behind
        l.apply(spanOf(0, 1_000_000_000L, 100_000_000L, a));
        assertEquals(1_000_000_000L, path(l, 1).selfNanoJoules[0]);
        assertEquals(0, l.bucketNode(LedgerNode.UNINSTRUMENTED).selfNanoJoules[0]);
        StackSamples b = new StackSamples(PERIOD, true);
        sampled(b, 1, 8, 7, 80_000_000L);
        l.apply(spanOf(100_000_000L, 1_000_000_000L, 100_000_000L, b));
        // The rest is 100 ms less the thread's 80 and the 10 the last span over-read: 10 against 80. (Over both
        // spans the thread used 190 of 200 ms and is paid 1.889 of 2 J; without the carry it would be 1.8 J.)
        assertEquals(111_111_111L, l.bucketNode(LedgerNode.UNINSTRUMENTED).selfNanoJoules[0]);
        assertEquals(1_888_888_889L, path(l, 1).selfNanoJoules[0]);
    }

    @Test
    void theProcessCpuOfIntervalsBetweenHarvestsIsTheSpanTheHarvestsRestIsFoundIn() {
        EnergyLedger l = ledger(1);
        // Three intervals of 50 ms of process CPU each, the harvest at the third: the span is 150 ms.
        l.apply(spanOf(0, 1_000_000_000L, 50_000_000L, null));
        l.apply(spanOf(100_000_000L, 1_000_000_000L, 50_000_000L, null));
        StackSamples s = new StackSamples(PERIOD, true);
        sampled(s, 1, 12, 7, 120_000_000L);
        l.apply(spanOf(200_000_000L, 1_000_000_000L, 50_000_000L, s));
        assertEquals(2_400_000_000L, path(l, 1).selfNanoJoules[0], "120 of 150 ms");
        assertEquals(600_000_000L, l.bucketNode(LedgerNode.UNINSTRUMENTED).selfNanoJoules[0]);
    }

    @Test
    void withoutThreadClocksAHarvestIsStillSplitByCount() {
        EnergyLedger l = ledger(1);
        StackSamples s = new StackSamples(PERIOD, true);
        s.add(new Stack(ThreadKind.JAVA, new int[]{1}), 8, 7);
        l.apply(spanOf(0, 1_000_000_000L, 100_000_000L, s));
        assertEquals(1_000_000_000L, path(l, 1).selfNanoJoules[0]);
        assertEquals(0, l.bucketNode(LedgerNode.UNINSTRUMENTED).selfNanoJoules[0]);
    }

    @Test
    void aHarvestWithoutSamplesLeavesItsSpansCpuToTheNextHarvestWithItsEnergy() {
        EnergyLedger l = ledger(1);
        l.apply(spanOf(0, 1_000_000_000L, 50_000_000L, new StackSamples(PERIOD, true)));
        StackSamples s = new StackSamples(PERIOD, true);
        sampled(s, 1, 8, 7, 80_000_000L); // the thread's clock moved over both spans, as the readings did not move
        l.apply(spanOf(100_000_000L, 1_000_000_000L, 50_000_000L, s));
        assertEquals(1_600_000_000L, path(l, 1).selfNanoJoules[0], "80 of the two spans' 100 ms");
        assertEquals(400_000_000L, l.bucketNode(LedgerNode.UNINSTRUMENTED).selfNanoJoules[0]);
    }

    @Test
    void aThreadPaidMorePerSampleThanAnotherHasTheWiderBoundPerSample() {
        EnergyLedger l = ledger(1);
        StackSamples s = new StackSamples(PERIOD, true);
        sampled(s, 1, 2, 7, 40_000_000L);
        sampled(s, 2, 8, 8, 60_000_000L);
        l.apply(spanOf(0, 1_000_000_000L, 100_000_000L, s));
        assertEquals(400_000_000L, path(l, 1).selfNanoJoules[0]);
        // 0.2 J per sample for thread 7, 0.075 J for thread 8: each its own run's ends (one sample) at its own rate.
        // (The source's grain adds a few 1e13 here.)
        assertEquals(200_000_000.0 * 200_000_000.0, path(l, 1).selfVariance[0], 5e13,
                "at the harvest's mean rate (0.1 J per sample) it would be 1e16");
        assertEquals(75_000_000.0 * 75_000_000.0, path(l, 2).selfVariance[0], 5e13);
        assertEquals(200_000_000.0 * 200_000_000.0, path(l, 1).inclusiveVariance[0], 5e13, "inclusive too");
    }
}

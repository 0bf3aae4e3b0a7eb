package io.energy.attribute;

import io.energy.power.Domain;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The catch-all buckets absorb the errors of the clocks they are split by, so their bounds must carry those errors
 * (issue 14: they printed ±0.000). The truth here comes from a model of the kernel's accounting, not from the
 * ledger's: a millisecond timeline of which CPU runs what, the process's CPU time counted exactly and read in 10 ms
 * steps ({@code times()}), the machine's busy time counted by the scheduler tick on each CPU ({@code /proc/stat}),
 * the energy of each interval at a different power. Many runs: the true error must be inside the reported bound
 * (2σ) in nearly all of them, and the bound no wider than a few times the typical error.
 */
class CatchAllBoundTest {
    private static final long MS = 1_000_000L;
    private static final int INTERVAL_MS = 100;
    private static final int INTERVALS = 60;
    private static final int RUNS = 200;
    private static final int METHOD = 7;

    /** One run's result: the ledger's bucket minus the truth, and the bucket's reported 2σ bound, in nJ. */
    private record Trial(double error, double bound) {
    }

    /** Busy at each millisecond, in bursts of 1 to {@code maxBurst} ms, busy a fraction {@code p} of the time. */
    private static boolean[] bursts(SplittableRandom r, int ms, double p, int maxBurst) {
        boolean[] on = new boolean[ms];
        int t = 0;
        while (t < ms) {
            boolean busy = r.nextDouble() < p;
            int len = 1 + r.nextInt(maxBurst);
            for (int i = t; i < Math.min(ms, t + len); i++) {
                on[i] = busy;
            }
            t += len;
        }
        return on;
    }

    /** The scheduler tick's count of one CPU's busy time up to each interval's end, ns; ticks at {@code phase}. */
    private static long[] tickCounted(boolean[] on, int phase, int intervals) {
        long[] out = new long[intervals + 1];
        long busy = 0;
        for (int ms = 0; ms < on.length; ms++) {
            if ((ms - phase) % 10 == 0 && ms >= phase && on[ms]) {
                busy += 10 * MS;
            }
            if ((ms + 1) % INTERVAL_MS == 0) {
                out[(ms + 1) / INTERVAL_MS] = busy;
            }
        }
        return out;
    }

    private static long busyMs(boolean[] on, int interval) {
        long n = 0;
        for (int ms = interval * INTERVAL_MS; ms < (interval + 1) * INTERVAL_MS; ms++) {
            n += on[ms] ? 1 : 0;
        }
        return n;
    }

    /**
     * The process's CPU clock as {@code times()} gives it: user and system time counted exactly, each cut to whole
     * 10 ms ticks on its own, the two added; the counts start at a random point between two ticks.
     */
    private static final class ProcessClock {
        private final long userStart;
        private final long systemStart;
        private long user;
        private long system;

        ProcessClock(SplittableRandom r) {
            userStart = r.nextLong(10 * MS);
            systemStart = r.nextLong(10 * MS);
            user = userStart;
            system = systemStart;
        }

        void add(long nanos, boolean inKernel) {
            if (inKernel) {
                system += nanos;
            } else {
                user += nanos;
            }
        }

        long read() {
            long tick = 10 * MS;
            return user / tick * tick + system / tick * tick - (userStart / tick * tick + systemStart / tick * tick);
        }
    }

    /** A shared 2-CPU machine: this process on CPU 0, another on CPU 1, each in bursts at a level that changes. */
    private static final class SharedMachine {
        final boolean[] mine;
        final boolean[] theirs;
        final long[] cpu0;
        final long[] cpu1;

        SharedMachine(SplittableRandom r, int intervals, int maxBurst) {
            int ms = intervals * INTERVAL_MS;
            mine = new boolean[ms];
            theirs = new boolean[ms];
            for (int i = 0; i < intervals; i++) {
                boolean[] a = bursts(r, INTERVAL_MS, 0.1 + 0.8 * r.nextDouble(), maxBurst);
                boolean[] b = bursts(r, INTERVAL_MS, 0.1 + 0.8 * r.nextDouble(), maxBurst);
                System.arraycopy(a, 0, mine, i * INTERVAL_MS, INTERVAL_MS);
                System.arraycopy(b, 0, theirs, i * INTERVAL_MS, INTERVAL_MS);
            }
            cpu0 = tickCounted(mine, r.nextInt(10), intervals);
            cpu1 = tickCounted(theirs, r.nextInt(10), intervals);
        }

        long machineRead(int i) {
            return (cpu0[i + 1] - cpu0[i]) + (cpu1[i + 1] - cpu1[i]);
        }
    }

    private static EnergyLedger ledger(boolean dedicated, boolean staticToProcess, double idleWatts, int knownCpus) {
        return new EnergyLedger(List.of(new Domain(Domain.PACKAGE, 0, false, MS, "test")),
                new EnergyLedger.Options(dedicated, staticToProcess, new double[]{idleWatts}, 1000, id -> true, false,
                        knownCpus));
    }

    private static Trial otherProcessesRun(long seed, int maxBurst) {
        return otherProcessesRun(seed, maxBurst, 2, false);
    }

    /** The ledger's input for interval {@code i}: the process clock's reading, the busy clock's, the energy. */
    private interface IntervalMaker {
        IntervalInput make(int i, long processCpu, long busy, long energy);
    }

    /**
     * A shared machine (see {@link SharedMachine}) at 10-40 W an interval, this process's CPU read as
     * {@link ProcessClock}. True {@code (other processes)} of domain 0: each interval's energy that the share
     * splits times the other process's part of the busy time, counted exactly.
     */
    private static Trial othersRun(SplittableRandom r, SharedMachine m, EnergyLedger l, IntervalMaker make) {
        ProcessClock clock = new ProcessClock(r);
        double kernelShare = 0.2 + 0.2 * r.nextDouble();
        long lastRead = 0;
        double truth = 0;
        for (int i = 0; i < INTERVALS; i++) {
            long myMs = busyMs(m.mine, i);
            long theirMs = busyMs(m.theirs, i);
            for (int k = 0; k < myMs; k++) {
                clock.add(MS, r.nextDouble() < kernelShare);
            }
            long read = clock.read();
            long energy = Math.round((10 + 30 * r.nextDouble()) * 0.1 * 1e9);
            // Without static=process the idle watts are unset here: all of the energy is split by the share. A
            // machine that nobody used in an interval: its energy is nobody's here, so the other processes'.
            truth += myMs + theirMs > 0 ? (double) energy * theirMs / (myMs + theirMs) : energy;
            l.apply(make.make(i, read - lastRead, m.machineRead(i), energy));
            lastRead = read;
        }
        LedgerNode others = l.bucketNode(LedgerNode.OTHER_PROCESSES);
        return new Trial(others.selfNanoJoules[0] - truth, 2 * Math.sqrt(others.selfVariance[0]));
    }

    /**
     * A shared 2-CPU machine, the share read from the machine's busy time ({@link #othersRun}).
     *
     * @param knownCpus       the machine's CPU count as the ledger is told it (0: unknown)
     * @param staticToProcess the idle part (10 W) is split by the same share ({@code static=process})
     */
    private static Trial otherProcessesRun(long seed, int maxBurst, int knownCpus, boolean staticToProcess) {
        SplittableRandom r = new SplittableRandom(seed);
        SharedMachine m = new SharedMachine(r, INTERVALS, maxBurst);
        EnergyLedger l = ledger(false, staticToProcess, staticToProcess ? 10 : Double.NaN, knownCpus);
        return othersRun(r, m, l, (i, p, busy, energy) -> new IntervalInput(i * INTERVAL_MS * MS,
                (i + 1) * INTERVAL_MS * MS, new long[]{energy}, p, busy, 0, new double[]{Double.NaN}, 10 * MS,
                List.of()));
    }

    /**
     * A machine of two sockets whose package energy is measured apart: this process and another share socket 0
     * (one CPU each, see {@link SharedMachine}; socket 0 has two CPUs), socket 1 runs only others. Each socket's
     * share is read as {@code SocketShares} reads it, from the socket's ticked busy time and the process's CPU
     * clock ({@link #othersRun}: the truth of socket 0).
     */
    private static Trial socketRun(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        SharedMachine m = new SharedMachine(r, INTERVALS, 1);
        EnergyLedger l = new EnergyLedger(List.of(new Domain(Domain.PACKAGE, 0, false, MS, "test"),
                new Domain(Domain.PACKAGE, 1, false, MS, "test")),
                new EnergyLedger.Options(false, false, new double[]{Double.NaN, Double.NaN}, 1000, id -> true, false, 4));
        long b1 = 100 * MS; // socket 1: one of its CPUs kept busy by others
        return othersRun(r, m, l, (i, p, b0, energy) -> new IntervalInput(i * INTERVAL_MS * MS,
                (i + 1) * INTERVAL_MS * MS, new long[]{energy, energy}, p, b0 + b1, 0,
                new double[]{b0 > 0 ? Math.min(1, (double) p / b0) : (p > 0 ? 1 : 0), 0}, 10 * MS, List.of(), null,
                new IntervalInput.ShareClock[]{new IntervalInput.ShareClock(b0, 1.0, 2),
                        new IntervalInput.ShareClock(b1, 0.0, 2)}));
    }

    /**
     * The path sampler: one instrumented thread whose CPU clock is exact, and a thread the sampler does not follow
     * (a JIT compiler, say) whose CPU is only in the process's clock ({@link ProcessClock}). On a dedicated machine
     * each interval's energy is the process's; on a shared one (see {@link SharedMachine}) it is its share. True
     * {@code (uninstrumented)}: each interval's energy times the untracked thread's part of the busy time.
     *
     * @param untracked the most of the process's busy milliseconds that are the untracked thread's (each
     *                  interval draws its own part up to this)
     */
    private static Trial uninstrumentedRun(long seed, boolean dedicated, int intervals, double untracked) {
        SplittableRandom r = new SplittableRandom(seed);
        SharedMachine m = new SharedMachine(r, intervals, 20);
        EnergyLedger l = ledger(dedicated, false, Double.NaN, 2);
        LedgerNode method = l.child(l.root(), METHOD);
        ProcessClock clock = new ProcessClock(r);
        double kernelShare = 0.2 + 0.2 * r.nextDouble();
        long lastRead = 0;
        double truth = 0;
        for (int i = 0; i < intervals; i++) {
            double q = untracked * r.nextDouble();
            long trackedMs = 0;
            long untrackedMs = 0;
            for (int ms = i * INTERVAL_MS; ms < (i + 1) * INTERVAL_MS; ms++) {
                if (m.mine[ms]) {
                    if (r.nextDouble() < q) {
                        untrackedMs++;
                    } else {
                        trackedMs++;
                    }
                    clock.add(MS, r.nextDouble() < kernelShare);
                }
            }
            long theirMs = dedicated ? 0 : busyMs(m.theirs, i);
            long read = clock.read();
            long energy = Math.round((10 + 30 * r.nextDouble()) * 0.1 * 1e9);
            long mine = trackedMs + untrackedMs;
            // An interval in which no CPU was busy: on a dedicated machine its energy is nobody's method's, so
            // (uninstrumented)'s; on a shared one, the other processes'.
            truth += mine + theirMs > 0 ? (double) energy * untrackedMs / (mine + theirMs) : dedicated ? energy : 0;
            // Every sample of the thread is in the method: the split inside the thread is not chance here.
            IntervalInput.ThreadSlice t = new IntervalInput.ThreadSlice(trackedMs * MS, 0, 0, new LedgerNode[]{method},
                    new int[]{10}, new int[]{10}, 1);
            l.apply(new IntervalInput(i * INTERVAL_MS * MS, (i + 1) * INTERVAL_MS * MS, new long[]{energy},
                    read - lastRead, dedicated ? -1 : m.machineRead(i), 0, new double[]{Double.NaN}, 10 * MS,
                    List.of(t)));
            lastRead = read;
        }
        LedgerNode u = l.bucketNode(LedgerNode.UNINSTRUMENTED);
        return new Trial(u.selfNanoJoules[0] - truth, 2 * Math.sqrt(u.selfVariance[0]));
    }

    /**
     * The path sampler on a dedicated machine, one thread that spends 30% of its CPU outside every instrumented
     * method, its 10 samples an interval landing there by chance: {@code (uninstrumented)}'s part of the thread is
     * as much chance as the method's. Every clock is exact here (100 ms of the thread's CPU an interval, all of the
     * process's), so only the samples can err.
     */
    private static Trial samplesOutsideEveryMethodRun(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        EnergyLedger l = new EnergyLedger(List.of(new Domain(Domain.PACKAGE, 0, false, MS, "test")),
                new EnergyLedger.Options(true, false, new double[]{Double.NaN}, 1000, id -> true, false, 2));
        LedgerNode method = l.child(l.root(), METHOD);
        double truth = 0;
        for (int i = 0; i < INTERVALS; i++) {
            long energy = Math.round((10 + 30 * r.nextDouble()) * 0.1 * 1e9);
            truth += 0.3 * energy;
            int outside = 0;
            for (int k = 0; k < 10; k++) {
                outside += r.nextDouble() < 0.3 ? 1 : 0;
            }
            IntervalInput.ThreadSlice t = new IntervalInput.ThreadSlice(INTERVAL_MS * MS, outside, outside,
                    new LedgerNode[]{method}, new int[]{10 - outside}, new int[]{10 - outside}, 1);
            l.apply(new IntervalInput(i * INTERVAL_MS * MS, (i + 1) * INTERVAL_MS * MS, new long[]{energy},
                    INTERVAL_MS * MS, -1, 0, new double[]{Double.NaN}, 10 * MS, List.of(t)));
        }
        LedgerNode u = l.bucketNode(LedgerNode.UNINSTRUMENTED);
        return new Trial(u.selfNanoJoules[0] - truth, 2 * Math.sqrt(u.selfVariance[0]));
    }

    private static String check(List<Trial> trials, double minInside, double maxWidthRatio) {
        int inside = 0;
        List<Double> errors = new ArrayList<>();
        List<Double> bounds = new ArrayList<>();
        for (Trial t : trials) {
            inside += Math.abs(t.error()) <= t.bound() ? 1 : 0;
            errors.add(Math.abs(t.error()));
            bounds.add(t.bound());
        }
        Collections.sort(errors);
        Collections.sort(bounds);
        double medianError = errors.get(errors.size() / 2);
        double medianBound = bounds.get(bounds.size() / 2);
        String what = String.format(java.util.Locale.ROOT, "truth inside the bound in %d of %d runs; median bound %.4f J,"
                + " median error %.4f J", inside, trials.size(), medianBound / 1e9, medianError / 1e9);
        assertTrue(inside >= minInside * trials.size(), what);
        assertTrue(medianBound <= maxWidthRatio * medianError, "the bound is wider than it needs to be: " + what);
        return what;
    }

    /**
     * Bursts shorter than the scheduler's tick: each tick's busy-or-not is a fresh draw, the case the bound's
     * machine term assumes (it is the widest that tick sampling can err for a given busy fraction), so here the
     * bound must be tight as well as cover.
     */
    @Test
    void otherProcessesBoundCoversTheTickedClocksErrorAndIsTightWhereEveryTickIsAFreshDraw() {
        List<Trial> trials = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            trials.add(otherProcessesRun(1000 + i, 1));
        }
        String what = check(trials, 0.95, 3.5);
        assertTrue(trials.stream().allMatch(t -> t.bound() > 0), "no ±0 on a bucket that took energy: " + what);
    }

    /**
     * Bursts of 1-20 ms: the tick errs only at a burst's edges, which the ledger cannot see, so the bound (the
     * fresh-draw case) is wider than the error, measured about 6× the median error for 20 ms bursts and 2.2×
     * for 1 ms ones. It must still cover, and not by more than that.
     */
    @Test
    void otherProcessesBoundCoversTheTickedClocksErrorForBurstsLongerThanATick() {
        List<Trial> trials = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            trials.add(otherProcessesRun(3000 + i, 20));
        }
        check(trials, 0.95, 8.0);
    }

    /**
     * Without the machine's CPU count the machine term falls back to {@code tick × M} ({@code Σ b(1 − b) ≤ Σ b}):
     * never narrower than with the count, and it still covers.
     */
    @Test
    void withoutTheMachinesCpuCountOtherProcessesBoundIsWiderAndStillCovers() {
        List<Trial> unknown = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            Trial known = otherProcessesRun(1000 + i, 1, 2, false);
            Trial t = otherProcessesRun(1000 + i, 1, 0, false);
            assertEquals(known.error(), t.error(), "the count changes the bound, not the joules");
            assertTrue(t.bound() >= known.bound(), "run " + i + ": " + t.bound() + " < " + known.bound());
            unknown.add(t);
        }
        check(unknown, 0.95, 6.0);
    }

    @Test
    void uninstrumentedBoundOfThePathSamplerCoversTheErrorOfTheProcessClocksTicks() {
        List<Trial> trials = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            trials.add(uninstrumentedRun(5000 + i, true, INTERVALS, 0.3));
        }
        check(trials, 0.93, 6.0);
    }

    /**
     * On a shared machine the path sampler's {@code (uninstrumented)} is the process's share of the energy times
     * its rest of the CPU: both clocks' errors reach it (found by review: 2-109 of 200 runs inside when only the
     * process clock's term, for a dedicated machine, was taken).
     */
    @Test
    void uninstrumentedBoundOfThePathSamplerOnASharedMachineCoversBothClocks() {
        for (double untracked : new double[]{0.05, 0.5}) {
            List<Trial> trials = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                trials.add(uninstrumentedRun(9000 + i, false, INTERVALS, untracked));
            }
            check(trials, 0.93, 6.0);
        }
    }

    /**
     * Every thread followed: the process clock reads below the threads' in one interval and above in the next. What
     * read below is carried, so (uninstrumented) stays within a tick or two of CPU over any run length (found by
     * review: clamped at zero, it grew with the run, 3.9 J of 120 J after 60 intervals and 39 J after 600).
     */
    @Test
    void aProcessWhoseEveryThreadIsFollowedLeavesNothingToUninstrumentedHoweverLongItRuns() {
        for (int intervals : new int[]{60, 600}) {
            List<Trial> trials = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                Trial t = uninstrumentedRun(12_000 + i, true, intervals, 0);
                // Two ticks of CPU at the most power here (40 W over a 100 ms interval of ~50 ms of CPU): 3.2 J.
                assertTrue(Math.abs(t.error()) < 3.2e9, intervals + " intervals: " + t.error() / 1e9 + " J");
                trials.add(t);
            }
            Collections.sort(trials, java.util.Comparator.comparingDouble(t -> Math.abs(t.error())));
            assertTrue(trials.stream().filter(t -> Math.abs(t.error()) <= t.bound()).count() >= 93,
                    intervals + " intervals: the truth outside the bound in more than 7 of 100 runs");
        }
    }

    /**
     * Where a socket's package energy is split by this process's share of that socket's busy time, the share comes
     * from the socket's ticked clock and the process's: {@code (other processes)} carries their errors as for the
     * machine's.
     */
    @Test
    void otherProcessesBoundOfASocketsPackageCoversTheSocketsClocks() {
        List<Trial> trials = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            trials.add(socketRun(18_000 + i));
        }
        check(trials, 0.93, 4.0);
    }

    /** With {@code static=process} the idle energy is split by the same share, and so are the clocks' errors. */
    @Test
    void otherProcessesBoundWithStaticToProcessCoversTheIdlePartToo() {
        List<Trial> trials = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            trials.add(otherProcessesRun(15_000 + i, 1, 2, true));
        }
        check(trials, 0.93, 4.0);
    }

    @Test
    void uninstrumentedBoundOfThePathSamplerCoversTheChanceOfTheSamplesThatFoundNoInstrumentedFrame() {
        List<Trial> trials = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            trials.add(samplesOutsideEveryMethodRun(7000 + i));
        }
        check(trials, 0.93, 4.0);
    }

    /** A shared machine, the path sampler: power alternating 10 W / 40 W, read from a source of the given grain. */
    private static EnergyLedger alternatingPower(long grainNanos) {
        EnergyLedger l = new EnergyLedger(List.of(new Domain(Domain.PACKAGE, 0, false, grainNanos, "test")),
                new EnergyLedger.Options(false, false, new double[]{Double.NaN}, 1000, id -> true, false, 2));
        LedgerNode method = l.child(l.root(), METHOD);
        for (int i = 0; i < INTERVALS; i++) {
            long energy = (i % 2 == 0 ? 1 : 4) * 100_000_000L; // 10 W or 40 W over 100 ms
            // The process: 60 ms of the machine's 120 ms; of it the thread 30 ms (all in the method), the agent 10.
            IntervalInput.ThreadSlice t = new IntervalInput.ThreadSlice(30 * MS, 0, 0, new LedgerNode[]{method},
                    new int[]{3}, new int[]{3}, 1);
            l.apply(new IntervalInput(i * INTERVAL_MS * MS, (i + 1) * INTERVAL_MS * MS, new long[]{energy}, 60 * MS,
                    120 * MS, 10 * MS, new double[]{Double.NaN}, 10 * MS, List.of(t)));
        }
        return l;
    }

    @Test
    void theCatchAllBucketsTakeTheSourcesGrainForTheirPartAndTheirInclusiveBoundIsTheirOwn() {
        EnergyLedger fine = alternatingPower(MS);
        EnergyLedger coarse = alternatingPower(1000 * MS);
        for (int bucket : new int[]{LedgerNode.OTHER_PROCESSES, LedgerNode.UNINSTRUMENTED, LedgerNode.AGENT}) {
            LedgerNode f = fine.bucketNode(bucket);
            LedgerNode c = coarse.bucketNode(bucket);
            assertTrue(f.selfNanoJoules[0] > 0, "bucket " + bucket + " took energy");
            assertEquals(f.selfNanoJoules[0], c.selfNanoJoules[0], "the grain moves the bound, not the joules");
            // 30 W changes every interval: a 1 s grain misplaces up to 30 J in time, a 1 ms one 0.03 J.
            assertTrue(c.selfVariance[0] > 100 * f.selfVariance[0], "bucket " + bucket + ": a 1 s grain gives "
                    + c.selfVariance[0] + " nJ², a 1 ms grain " + f.selfVariance[0]);
            assertEquals(c.selfVariance[0], c.inclusiveVariance[0], 1e-9 * c.selfVariance[0],
                    "a bucket has no callees: its inclusive bound is its own");
        }
    }

    @Test
    void underSteadyPowerAndCpuTheProcessClocksErrorDoesNotGrowWithTheRun() {
        TickedClockError c = new TickedClockError(1, 10 * MS, 1);
        double v = 0;
        for (int i = 0; i < 10; i++) {
            v += c.next(0, 3.0);
        }
        double tenIntervals = v;
        for (int i = 0; i < 990; i++) {
            v += c.next(0, 3.0);
        }
        // One reading at each end: 2 × (3 nJ/ns × 10 ms)² / 12.
        double oneEnd = 3.0 * 3.0 * 10 * MS * 10 * MS / 12;
        assertEquals(2 * oneEnd, tenIntervals, 1e-6 * oneEnd);
        assertEquals(2 * oneEnd, v, 1e-6 * oneEnd);
    }

    @Test
    void whereTheEnergyPerCpuSecondChangesEveryIntervalTheErrorGrowsWithTheRun() {
        TickedClockError c = new TickedClockError(1, 10 * MS, 1);
        double v = 0;
        for (int i = 0; i < 100; i++) {
            v += c.next(0, i % 2 == 0 ? 1.0 : 3.0);
        }
        double perReading = 10.0 * MS * 10 * MS / 12;
        // 1² at the start, 99 changes of 2, 3² at the open end.
        assertEquals((1 + 99 * 4 + 9) * perReading, v, 1e-6 * v);
    }
}

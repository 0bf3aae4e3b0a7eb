package io.energy.samples;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * {@code tradeoff [n] [rounds=N] [way=both|fast|lean]}: the same result computed two ways, so that a report can show that
 * less time is not less energy.
 *
 * <p>The result is a summary of the Collatz chains of every start in [1, n] (total steps, and the start
 * with the longest chain). {@link #fastButHungry} computes it with a parallel stream on every core of the
 * common fork/join pool; {@link #slowButLean} with a plain loop on one thread. The parallel way finishes
 * sooner, but it keeps every core busy and pays for splitting, scheduling, work stealing and merging,
 * so it burns at least as much CPU time (usually more) and draws far more power while it runs: its
 * joules are not smaller just because its seconds are. The sample prints both results (they must be
 * equal, else it exits 1), their wall times and the process CPU time each consumed.
 *
 * <p>The default n = 3,000,000 takes about a second on one current core (the lean way), so the whole
 * run including a short warm-up stays within about 4 s even on a two-core machine. On a 16-core host the
 * parallel way took 0.16 s of wall time but 2.3 s of CPU time, against 1.0 s and 1.0 s for the loop.
 * {@code rounds=N} repeats both ways N times for longer, steadier measurements.
 *
 * <p>{@code way=fast} or {@code way=lean} runs only that way (the default {@code both} runs both), so that
 * each variant can be measured as a run of its own and the runs set side by side with
 * {@code java -jar energy.jar compare}.
 */
public final class TradeoffSample {
    /** Pause between the two ways, so that power sources with a coarse grain (~100 ms) see them apart. */
    static final long PAUSE_MILLIS = 200;

    private TradeoffSample() {
    }

    public static void main(String[] args) throws Exception {
        int code = run(args, System.out);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs the sample and returns its exit code (tests call this in-process). */
    public static int run(String[] args, PrintStream out) throws Exception {
        Args parsed = new Args("tradeoff", args).allow("n", "rounds", "way").maxPositional(1);
        int n = (int) parsed.positionalLong(0, "n", 3_000_000, 1, 100_000_000);
        int rounds = (int) parsed.option("rounds", 1, 1, 10_000);
        String way = parsed.text("way", "both");
        if (!way.equals("both") && !way.equals("fast") && !way.equals("lean")) {
            throw new Args.UsageException("tradeoff: way must be both, fast or lean, got '" + way + "'");
        }
        if (!way.equals("both")) {
            return runOneWay(way.equals("fast"), n, rounds, out);
        }

        warmUp(Math.min(n, 20_000));
        long hungryWall = 0, hungryCpu = 0, leanWall = 0, leanCpu = 0;
        Chains hungry = null, lean = null;
        for (int r = 0; r < rounds; r++) {
            long cpu0 = processCpuNanos(), t0 = System.nanoTime();
            hungry = fastButHungry(n);
            long t1 = System.nanoTime(), cpu1 = processCpuNanos();
            Thread.sleep(PAUSE_MILLIS);
            long cpu2 = processCpuNanos(), t2 = System.nanoTime();
            lean = slowButLean(n);
            long t3 = System.nanoTime(), cpu3 = processCpuNanos();
            if (r + 1 < rounds) {
                Thread.sleep(PAUSE_MILLIS);
            }
            hungryWall += t1 - t0;
            hungryCpu += cpu1 - cpu0;
            leanWall += t3 - t2;
            leanCpu += cpu3 - cpu2;
        }
        out.println("tradeoff sample: n=" + n + ", rounds=" + rounds + ", fastButHungry " + hungry
                + ", slowButLean " + lean + (hungry.equals(lean) ? " (equal)" : " (DIFFERENT!)"));
        out.println(line("fastButHungry", hungryWall, hungryCpu,
                "parallel stream, " + Runtime.getRuntime().availableProcessors() + " cores"));
        out.println(line("slowButLean  ", leanWall, leanCpu, "one thread"));
        return hungry.equals(lean) ? 0 : 1;
    }

    /** {@code way=fast|lean}: one way only, warmed up the same way, printed as in the two-way run. */
    private static int runOneWay(boolean fast, int n, int rounds, PrintStream out) {
        warmUp(Math.min(n, 20_000));
        long wall = 0, cpu = 0;
        Chains result = null;
        for (int r = 0; r < rounds; r++) {
            long cpu0 = processCpuNanos(), t0 = System.nanoTime();
            result = fast ? fastButHungry(n) : slowButLean(n);
            wall += System.nanoTime() - t0;
            cpu += processCpuNanos() - cpu0;
        }
        out.println("tradeoff sample: n=" + n + ", rounds=" + rounds + ", " + (fast ? "fastButHungry " : "slowButLean ")
                + result);
        out.println(fast ? line("fastButHungry", wall, cpu, "parallel stream, "
                + Runtime.getRuntime().availableProcessors() + " cores") : line("slowButLean  ", wall, cpu, "one thread"));
        return 0;
    }

    /** What both ways compute: the total Collatz steps over [1, n] and the start with the longest chain. */
    record Chains(long totalSteps, int longestStart, int longestSteps) {
        @Override
        public String toString() {
            return "total steps " + totalSteps + ", longest chain starts at " + longestStart + " (" + longestSteps
                    + " steps)";
        }
    }

    /** Parallel stream on all cores: less wall time, more power, at least as much CPU time. */
    static Chains fastButHungry(int n) {
        return IntStream.rangeClosed(1, n).parallel()
                .collect(Accumulator::new, Accumulator::add, Accumulator::merge)
                .result();
    }

    /** A loop on the calling thread: more wall time, one core's power, no coordination overhead. */
    static Chains slowButLean(int n) {
        Accumulator acc = new Accumulator();
        for (int start = 1; start <= n; start++) {
            acc.add(start);
        }
        return acc.result();
    }

    /** Runs both ways on a small input first, so the timed runs compare compiled code with compiled code. */
    static void warmUp(int n) {
        for (int i = 0; i < 5; i++) {
            fastButHungry(n);
            slowButLean(n);
        }
    }

    /** Steps for {@code start} to reach 1 under n → n/2 (even), 3n+1 (odd). */
    static int collatzSteps(long start) {
        long x = start;
        int steps = 0;
        while (x != 1) {
            x = (x & 1) == 0 ? x >>> 1 : 3 * x + 1;
            steps++;
        }
        return steps;
    }

    /**
     * A mutable partial result. Ties for the longest chain go to the smaller start in both {@code add}
     * and {@code merge}, so the parallel result does not depend on how the stream was split.
     */
    static final class Accumulator {
        private long totalSteps;
        private int longestStart;
        private int longestSteps = -1;

        void add(int start) {
            int steps = collatzSteps(start);
            totalSteps += steps;
            if (steps > longestSteps || (steps == longestSteps && start < longestStart)) {
                longestSteps = steps;
                longestStart = start;
            }
        }

        void merge(Accumulator other) {
            totalSteps += other.totalSteps;
            if (other.longestSteps > longestSteps
                    || (other.longestSteps == longestSteps && other.longestStart < longestStart)) {
                longestSteps = other.longestSteps;
                longestStart = other.longestStart;
            }
        }

        Chains result() {
            return new Chains(totalSteps, longestStart, longestSteps);
        }
    }

    private static String line(String name, long wallNanos, long cpuNanos, String how) {
        return String.format(Locale.ROOT, "%s: %.3f s wall, %.3f s CPU (%s)", name, wallNanos / 1e9,
                cpuNanos / 1e9, how);
    }

    /**
     * CPU time of the whole process (all threads, the JIT and GC included), because the parallel way's
     * work happens on the fork/join pool's threads, not on the calling one. -1 where unavailable.
     */
    static long processCpuNanos() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return -1;
    }
}

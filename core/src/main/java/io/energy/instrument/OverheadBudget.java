package io.energy.instrument;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The overhead budget: decides, from each woven method's call rate and a cost per woven call, which
 * methods must stop being counted so that counting costs at most a fraction of the process's CPU time.
 *
 * <p>Fed with cumulative counts (calls per method id, the process's CPU time) at any cadence; it looks at
 * the window since its last decision once that window is at least {@code minWindowNanos} long (a quarter of that
 * where counting costs {@link #EARLY_FACTOR} times the budget or more). In each
 * window the estimated cost of counting is {@code Σ calls × callCostNanos}; when that exceeds
 * {@code fraction × process CPU}, the methods with the most calls in the window are stopped, hottest
 * first, until the rest costs at most {@link #REFILL_TO} of the budget. A stopped method is never
 * considered again. Pure bookkeeping: no clock,
 * no threads, no instrumentation; the caller acts on what it returns.
 *
 * <p>The denominator is the process's CPU time, not the wall clock, so that the budget means the same on
 * one busy thread and on sixteen: counting costs CPU on the threads that make the calls. A nearly idle
 * process is treated as using at least {@link #MIN_CPU_SHARE} of one CPU, so a service waiting for work
 * does not lose its counting to a few hundred calls.
 */
public final class OverheadBudget {
    /**
     * Cost of one woven call in real code, in CPU nanoseconds, a constant calibrated on H2 (scripts/bench-h2.sh,
     * docs/performance.md): the same three packages woven with {@code overhead=off} and with the budget, paired
     * runs, extra CPU time divided by the extra calls counted: 26–40 ns (median 31) on the shared 2-vCPU build
     * machine; the issue that asked for the budget measured ~14 ns on a quieter one (252 M calls, +3.8 s). JMH's
     * 4–5 ns is the bridge alone: in real code the woven method and the bridge stop being inlined
     * (docs/design.md). The higher figure errs on the side of the program's speed.
     */
    public static final double CALL_COST_NANOS = 30;
    /**
     * Shortest window a decision is made on. Each decision is a retransformation, which stops the world and
     * throws away the compiled code that inlined the class's methods: the JIT's recompiling costs more than a
     * few hundred milliseconds of cheap counting, so the budget decides seldom and thoroughly (measured on
     * H2: decisions every 200 ms, a few methods each, cost more CPU than counting every call).
     */
    public static final long MIN_WINDOW_NANOS = 1_000_000_000L;
    /**
     * When over budget, methods are stopped until the rest costs at most this share of the budget, so that
     * the next windows' fluctuations do not call for another retransformation.
     */
    public static final double REFILL_TO = 0.5;
    /**
     * A window of at least a quarter of the minimum decides early when counting costs at least this many times the
     * budget: a phase of a program that runs for less than the minimum window (H2's group-by, 7.8 M calls of one
     * method in its last second) was over before any decision could act on it, and cost 3.5% against a 1% budget
     * (docs/performance.md). Far over budget, counting costs more than the retransformation it calls for.
     */
    public static final double EARLY_FACTOR = 4;
    /** A process is taken to use at least this share of one CPU when the budget is computed. */
    public static final double MIN_CPU_SHARE = 0.10;

    /** One method whose counting stopped, and why. */
    public record Stop(int methodId, long atNanos, long callsInWindow, double callsPerSecond, double costShare) {
    }

    private final double fraction;
    private final double callCostNanos;
    private final long minWindowNanos;
    private boolean[] stopped = new boolean[0];
    private final List<Stop> stops = new ArrayList<>();
    private long lastNanos = Long.MIN_VALUE;
    /** When an early window last looked without deciding (see {@link #EARLY_FACTOR}). */
    private long lastEarlyLook = Long.MIN_VALUE / 2;
    private long lastCpu;
    private long[] lastCalls = new long[0];

    /**
     * @param fraction       share of the process's CPU time counting may cost (0.01 for 1%)
     * @param callCostNanos  cost of one woven call
     * @param minWindowNanos shortest window to decide on
     */
    public OverheadBudget(double fraction, double callCostNanos, long minWindowNanos) {
        if (!(fraction > 0) || !(callCostNanos > 0) || minWindowNanos <= 0) {
            throw new IllegalArgumentException("fraction, cost and window must be positive");
        }
        this.fraction = fraction;
        this.callCostNanos = callCostNanos;
        this.minWindowNanos = minWindowNanos;
    }

    /**
     * Looks at the counts now; returns the methods to stop counting (hottest first), empty when within budget
     * or when the window is still too short.
     *
     * @param nowNanos        monotonic time
     * @param processCpuNanos the process's cumulative CPU time, or negative if unknown (then the wall clock
     *                        of one CPU stands in)
     * @param calls           cumulative calls per method id (index = id; ids 0 and below are not methods)
     */
    public List<Stop> observe(long nowNanos, long processCpuNanos, long[] calls) {
        if (lastNanos == Long.MIN_VALUE) {
            remember(nowNanos, processCpuNanos, calls);
            return List.of();
        }
        long dt = nowNanos - lastNanos;
        if (dt < earlyWindowNanos()) {
            return List.of();
        }
        long cpu = processCpuNanos >= 0 && lastCpu >= 0 ? processCpuNanos - lastCpu : dt;
        double denominator = Math.max(cpu, MIN_CPU_SHARE * dt);
        double allowed = fraction * denominator;
        boolean[] stopped = stopped(calls.length);
        int n = calls.length;
        long[] delta = new long[n];
        double total = 0;
        for (int id = 1; id < n; id++) {
            long before = id < lastCalls.length ? lastCalls[id] : 0;
            delta[id] = Math.max(0, calls[id] - before);
            if (!stopped[id]) {
                total += delta[id] * callCostNanos;
            }
        }
        if (dt < minWindowNanos && total < EARLY_FACTOR * allowed) {
            lastEarlyLook = nowNanos; // the next early look a quarter window on: each look walks every call path
            return List.of(); // not far enough over to decide early: the window goes on from its start
        }
        List<Stop> out = new ArrayList<>();
        if (total > allowed) {
            List<Integer> hottest = new ArrayList<>();
            for (int id = 1; id < n; id++) {
                if (!stopped[id] && delta[id] > 0) {
                    hottest.add(id);
                }
            }
            hottest.sort((a, b) -> Long.compare(delta[b], delta[a]));
            for (int id : hottest) {
                if (total <= allowed * REFILL_TO) {
                    break;
                }
                double cost = delta[id] * callCostNanos;
                total -= cost;
                stopped[id] = true;
                Stop s = new Stop(id, nowNanos, delta[id], delta[id] * 1e9 / dt, cost / denominator);
                out.add(s);
                stops.add(s);
            }
        }
        remember(nowNanos, processCpuNanos, calls);
        return out;
    }

    /** Whether {@link #observe} would look at the window now: the caller can skip gathering the counts. */
    public boolean due(long nowNanos) {
        return lastNanos == Long.MIN_VALUE || nowNanos - lastNanos >= minWindowNanos
                || nowNanos - lastNanos >= earlyWindowNanos() && nowNanos - lastEarlyLook >= earlyWindowNanos();
    }

    /** The shortest window that can decide early (see {@link #EARLY_FACTOR}): a quarter of the minimum. */
    private long earlyWindowNanos() {
        return minWindowNanos / 4;
    }

    private void remember(long nowNanos, long processCpuNanos, long[] calls) {
        lastNanos = nowNanos;
        lastCpu = processCpuNanos;
        lastCalls = calls.clone();
    }

    private boolean[] stopped(int size) {
        if (stopped.length < size) {
            stopped = java.util.Arrays.copyOf(stopped, size);
        }
        return stopped;
    }

    /** Every stop so far, in the order decided. */
    public List<Stop> stops() {
        return Collections.unmodifiableList(stops);
    }

    public double fraction() {
        return fraction;
    }

    public double callCostNanos() {
        return callCostNanos;
    }
}

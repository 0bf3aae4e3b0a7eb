package io.energy.attribute;

/**
 * The error a cumulative clock read in whole ticks puts on energy that a split gives by it, per domain: the
 * process's CPU time ({@code getProcessCpuTime}) moves in 10 ms steps on Linux, while the energy of each interval
 * is split by the difference of two readings. A reading is the sum of {@code truncations} counts each cut to whole
 * ticks ({@code times()} cuts user and system time apart: two), each error uniform over a tick (variance tick²/12),
 * and it enters two intervals with opposite signs, so over a run the errors telescope: what one interval
 * over-reads, the next under-reads. The energy it moves is {@code k} nJ per ns of reading error in each interval
 * (it depends on the interval's energy and CPU times), so the run's error is
 * {@code Σ ε_i (k_i − k_{i+1})} plus the two ends: under steady power and CPU it stays one reading's worth, however
 * long the run; where the interval's energy per CPU-second changes, it grows with each change.
 *
 * <p>The catch-all buckets that take "the rest" of such a split ({@code (other processes)}, and
 * {@code (uninstrumented)} without a stack sampler) absorb this error; without it they printed ±0.
 */
final class TickedClockError {
    /** The tick of the process's CPU clock on Linux ({@code times()}: USER_HZ, fixed at 100 by the kernel's ABI). */
    static final long PROCESS_CLOCK_TICK_NANOS = io.energy.power.ProcStat.NANOS_PER_TICK;

    private final double readingVariance;
    private final double[] lastK;
    private final double[] tail;

    /** Counts cut to whole ticks in one reading of the process's CPU clock: user and system time. */
    static final int PROCESS_CLOCK_TRUNCATIONS = 2;

    TickedClockError(int domains, long tickNanos, int truncations) {
        this.readingVariance = truncations * (double) tickNanos * tickNanos / 12;
        this.lastK = new double[domains];
        this.tail = new double[domains];
    }

    /**
     * The next interval of domain {@code d} moves {@code k} nJ per ns that its clock difference is off.
     *
     * @return the change of the run's variance in nJ² (the previous interval's open end is replaced by this
     *         one's, so a single change may be negative; the running total never is)
     */
    double next(int d, double k) {
        double dk = k - lastK[d];
        double end = k * k * readingVariance;
        double change = dk * dk * readingVariance + end - tail[d];
        lastK[d] = k;
        tail[d] = end;
        return change;
    }
}

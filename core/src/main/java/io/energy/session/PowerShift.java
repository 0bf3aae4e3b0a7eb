package io.energy.session;

/**
 * Says when the stack sampler should be harvested early because the power changed. A harvest splits the CPU energy
 * of every interval since the one before over the samples taken in between, as if each sample carried the same
 * energy. That holds while the power per CPU-second is steady; where it changes (a phase at 60 W, then one at 30 W),
 * a harvest that spans both gives each phase's methods the average, not their own: the truth suite's per-method
 * power case lost 13–15% of its joules that way when a harvest's cost spaced harvests a second apart.
 *
 * <p>So the collector asks, at each interval's close, whether this interval's power differs from the mean of the
 * intervals pooled since the last harvest by more than {@link #SHIFT} of the larger of the two; if so the harvest
 * happens now, and the pool then holds one interval of the new level at most. Early harvests cost the collector's
 * CPU (1–2 ms a warm one, 10–20 ms while the harvest's code is still cold), so they are at least
 * {@link #MIN_GAP_NANOS} apart, and all of them together keep within {@link #BUDGET} of a core over the run, after an
 * {@link #ALLOWANCE_NANOS allowance} for the cold ones (a budget per gap spaced them a second or two apart in a
 * program's first seconds, as often as the regular harvests, which helped nothing). GPU domains are left out (their
 * energy follows wall time, not samples), and so are estimated ones: the estimate's energy per CPU-second is steady
 * by construction, so pooling costs it nothing.
 */
final class PowerShift {
    /** A change of power, relative to the larger of the two levels, that is worth an early harvest. */
    static final double SHIFT = 0.25;
    /** Power changes below this (watts) are noise for this purpose, whatever their relative size. */
    static final double FLOOR_WATTS = 0.5;
    /** Early harvests are at least this far apart (one default interval). */
    static final long MIN_GAP_NANOS = 100_000_000L;
    /** Share of a core that early harvests may take, all together, over the run. */
    static final double BUDGET = 0.01;
    /** CPU that early harvests may take beyond {@link #BUDGET}: a dozen cold ones. */
    static final long ALLOWANCE_NANOS = 150_000_000L;

    private double pooledNanoJoules;
    private long pooledNanos;
    private long lastHarvestAt = Long.MIN_VALUE;
    private long firstAt = Long.MIN_VALUE;
    private long earlyCostNanos;

    /**
     * Whether to harvest at this interval's close: its power is far from the pool's since the last harvest.
     *
     * @param nanoJoules the interval's energy in the domains whose energy follows samples
     * @param nanos      the interval's length
     * @param nowNanos   the interval's end
     */
    boolean shifted(long nanoJoules, long nanos, long nowNanos) {
        if (pooledNanos <= 0 || nanos <= 0) {
            return false;
        }
        double pool = pooledNanoJoules / pooledNanos; // watts (nJ per ns)
        double now = (double) nanoJoules / nanos;
        double larger = Math.max(pool, now);
        if (Math.abs(now - pool) <= Math.max(SHIFT * larger, FLOOR_WATTS)) {
            return false;
        }
        long since = lastHarvestAt == Long.MIN_VALUE ? Long.MAX_VALUE : nowNanos - lastHarvestAt;
        long age = firstAt == Long.MIN_VALUE ? 0 : nowNanos - firstAt;
        return since >= MIN_GAP_NANOS && earlyCostNanos <= ALLOWANCE_NANOS + BUDGET * age;
    }

    /**
     * The interval was closed: a harvest took the pool (and this interval) with it, or this interval joins the pool.
     *
     * @param harvested   whether the stack sampler was harvested at this close
     * @param harvestCost the harvest's CPU cost on the collector thread, if it was
     * @param early       whether it was harvested because {@link #shifted} said so (its cost counts in the budget)
     */
    void closed(long nanoJoules, long nanos, long nowNanos, boolean harvested, long harvestCost, boolean early) {
        if (firstAt == Long.MIN_VALUE) {
            firstAt = nowNanos - Math.max(0, nanos);
        }
        if (harvested) {
            pooledNanoJoules = 0;
            pooledNanos = 0;
            lastHarvestAt = nowNanos;
            earlyCostNanos += early ? Math.max(0, harvestCost) : 0;
        } else {
            pooledNanoJoules += Math.max(0, nanoJoules);
            pooledNanos += Math.max(0, nanos);
        }
    }
}

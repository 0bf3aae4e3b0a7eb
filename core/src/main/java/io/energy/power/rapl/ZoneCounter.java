package io.energy.power.rapl;

/**
 * Turns the successive raw readings of one zone's {@code energy_uj} into cumulative nanojoules that never
 * go down, however the counter misbehaves.
 *
 * <p>The counter counts microjoules and wraps to 0 at {@code max_energy_range_uj} (about 262 kJ on most
 * Intel parts: some 20 minutes at 200 W). Each zone wraps on its own, so each zone is unwrapped on its own.
 *
 * <p>Between two reads the true energy is {@code delta + k × range} for some whole {@code k ≥ 0} (and
 * {@code k ≥ 1} when the counter went down). The counter alone cannot tell {@code k}; elapsed time can
 * bound it, because no zone draws more than a ceiling ({@link #DEFAULT_MAX_WATTS} unless configured):
 * <ul>
 *   <li>every candidate whose average power would exceed the ceiling is impossible;</li>
 *   <li>if the smallest candidate is already impossible, the reading is wrong, not the physics: a counter
 *       that stepped back a little (its "wrap" would be almost a full range in a short time), or a jump
 *       far beyond any real power. Such a reading is an anomaly: counted, credited with no more than the
 *       zone's last plausible rate over the elapsed time if it jumped, with nothing if it stepped back,
 *       and taken as the new baseline;</li>
 *   <li>if more than one candidate is possible (only after a read that came very late: ≥ 52 s at 5 kW
 *       for a 262 kJ range) the zone's last plausible rate picks the candidate nearest to it, since power
 *       drifts far less than a whole range over one interval; with no rate yet, the smallest is taken.
 *       Either way the figure is a guess, so it is counted as an anomaly too.</li>
 * </ul>
 * Reads that fail (file gone, unreadable, garbage) leave the baseline alone, so the next good read covers
 * the whole gap and nothing is lost when the failure was brief.
 */
final class ZoneCounter {
    /** Far above any one socket, DRAM bank or platform today; an order below what a glitch implies. */
    static final double DEFAULT_MAX_WATTS = 5000;
    /** The counter moves about every millisecond, so even an instant read may see a millisecond of energy. */
    static final long COUNTER_GRAIN_NANOS = 1_000_000L;

    private final long rangeUj;
    private final double maxWatts;
    private boolean hasBase;
    private long lastRaw;
    private long lastNanos;
    private double rateWatts = Double.NaN;
    private long cumulativeNanoJoules;
    private long anomalies;
    private String lastAnomaly;

    /**
     * @param rangeUj  {@code max_energy_range_uj}, or ≤ 0 if unknown (then a counter going down is never
     *                 taken for a wrap)
     * @param maxWatts the most this zone can plausibly draw
     */
    ZoneCounter(long rangeUj, double maxWatts) {
        this.rangeUj = rangeUj;
        this.maxWatts = maxWatts;
    }

    long cumulativeNanoJoules() {
        return cumulativeNanoJoules;
    }

    long anomalies() {
        return anomalies;
    }

    /** What the last anomaly was, for the log; null if none. */
    String lastAnomaly() {
        return lastAnomaly;
    }

    /** Counts an anomaly that happened outside the counter (a failed read). */
    void anomaly(String what) {
        anomalies++;
        lastAnomaly = what;
    }

    /**
     * Takes one raw reading (already checked to be a non-negative number).
     *
     * @return the nanojoules credited by this reading
     */
    long advance(long rawUj, long nowNanos) {
        if (!hasBase) {
            hasBase = true;
            lastRaw = rawUj;
            lastNanos = nowNanos;
            return 0;
        }
        long elapsed = nowNanos - lastNanos;
        double seconds = Math.max(elapsed, COUNTER_GRAIN_NANOS) / 1e9;
        double capUj = maxWatts * seconds * 1e6;
        long delta = rawUj - lastRaw;
        long base;
        if (delta >= 0) {
            base = delta;
            if (base > capUj) {
                return implausible(rawUj, nowNanos, seconds, true, String.format(java.util.Locale.ROOT,
                        "counter jumped by %.1f J in %.3f s (over %.0f W)", base / 1e6, elapsed / 1e9, maxWatts));
            }
        } else {
            // the smallest candidate: one wrap
            base = rangeUj > 0 ? delta + rangeUj : -1;
            if (base < 0 || base > capUj) {
                return implausible(rawUj, nowNanos, seconds, false, String.format(java.util.Locale.ROOT,
                        "counter went back by %.6f J%s", -delta / 1e6,
                        rangeUj > 0 ? ", too soon for a wrap" : " and its wrap range is unknown"));
            }
        }
        long creditUj = base;
        if (rangeUj > 0) {
            long extraMax = (long) Math.floor((capUj - base) / rangeUj);
            if (extraMax >= 1) {
                long extra = 0;
                if (!Double.isNaN(rateWatts)) {
                    double expectedUj = rateWatts * (elapsed / 1e9) * 1e6;
                    extra = Math.max(0, Math.min(extraMax, Math.round((expectedUj - base) / rangeUj)));
                }
                creditUj += extra * rangeUj;
                anomaly(String.format(java.util.Locale.ROOT, "read %.1f s late: %d wrap(s) assumed from the last rate",
                        elapsed / 1e9, extra + (delta < 0 ? 1 : 0)));
            }
        }
        return credit(creditUj * 1000L, rawUj, nowNanos, elapsed);
    }

    /**
     * A reading no physics explains. A jump is capped at the zone's last plausible rate over the elapsed
     * time (the best guess of what really happened); a step back credits nothing, because a counter that
     * went back has said nothing about the energy of the interval.
     */
    private long implausible(long rawUj, long nowNanos, double seconds, boolean fillAtLastRate, String what) {
        anomaly(what);
        long nj = !fillAtLastRate || Double.isNaN(rateWatts) ? 0
                : Math.round(Math.min(rateWatts, maxWatts) * seconds * 1e9);
        // The reading itself is not believed, but it becomes the baseline: the counter goes on from there.
        lastRaw = rawUj;
        lastNanos = nowNanos;
        cumulativeNanoJoules += nj;
        return nj;
    }

    private long credit(long nj, long rawUj, long nowNanos, long elapsed) {
        cumulativeNanoJoules += nj;
        if (elapsed >= COUNTER_GRAIN_NANOS) {
            rateWatts = nj / (double) elapsed;
        }
        lastRaw = rawUj;
        lastNanos = nowNanos;
        return nj;
    }
}

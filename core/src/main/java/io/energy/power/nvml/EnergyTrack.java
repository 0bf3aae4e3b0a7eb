package io.energy.power.nvml;

/**
 * One GPU's cumulative energy, from occasional reads of its energy counter shaped in between by instant
 * power samples. Pure arithmetic on the readings it is given, so that its promises are tested without
 * a GPU or a library:
 *
 * <ul>
 *   <li>The value never decreases.</li>
 *   <li>At a counter read the value becomes the counter's (since the first read), unless the
 *       extrapolation had already gone past it: then the value holds until the counter, plus the
 *       extrapolation from that read, catches up. Undershoot is paid at once, overshoot by waiting.</li>
 *   <li>Between counter reads it grows by the trapezoid integral of instant power, scaled by how far
 *       instant power over- or under-stated the counter over the previous counter periods (the instant
 *       field and the energy counter need not cover exactly the same rails). The scale is learned only
 *       within 0.25..4; a ratio outside that is noise, not calibration.</li>
 *   <li>If the counter is not read for longer than {@link #MAX_EXTRAPOLATION_NANOS} it stops growing
 *       rather than guess on (the source gives up on a failing counter well before that).</li>
 *   <li>A counter that goes backwards or leaps by more than {@link #MAX_PLAUSIBLE_WATTS} is an anomaly:
 *       that step is replaced by the instant-power integral, and counting continues from the new
 *       counter value.</li>
 *   <li>Without a counter (GPUs before Volta, or after {@link #abandonCounter}) the value is the
 *       integral of instant power alone.</li>
 * </ul>
 *
 * <p>Units: time in ns, power in W, energy in nJ (W × ns = nJ).
 */
final class EnergyTrack {
    /** No single GPU board draws 10 kW (an H100 SXM is limited to 700 W, a GB200 superchip to ~2.7 kW). */
    static final double MAX_PLAUSIBLE_WATTS = 10_000;
    static final long MAX_EXTRAPOLATION_NANOS = 5_000_000_000L;
    private static final double MIN_SCALE = 0.25;
    private static final double MAX_SCALE = 4;
    /** Below 1 J of instant-power integral the ratio to the counter is mostly quantisation. */
    private static final double MIN_LEARN_NJ = 1e9;

    private final boolean instantShaped;
    private boolean counterMode;
    private boolean started;
    private long baseMilliJoules = -1;
    private long offsetNanoJoules;
    private long lastMilliJoules;
    private long anchorNanoJoules;
    private long anchorNanos;
    private double rawSinceAnchorNanoJoules;
    private boolean capped;
    private double scale = 1.0;
    private boolean scaleLearned;
    private double counterRateWatts = Double.NaN;
    private long lastSampleNanos;
    private double lastWatts = Double.NaN;
    private long reported;
    private long anomalies;
    private long holds;

    /**
     * @param counterMode   true if the energy counter is read, false to integrate instant power only
     * @param instantShaped true if the watts given are instant power samples (and so may be calibrated
     *                      against the counter)
     */
    EnergyTrack(boolean counterMode, boolean instantShaped) {
        this.counterMode = counterMode;
        this.instantShaped = instantShaped;
    }

    /**
     * One read.
     *
     * @param nowNanos  when
     * @param watts     instant power now, or NaN if not read or not readable
     * @param counterMilliJoules the energy counter now in mJ if it was read, else negative
     * @return cumulative nJ since the first read
     */
    long update(long nowNanos, double watts, long counterMilliJoules) {
        if (!(watts >= 0 && watts <= MAX_PLAUSIBLE_WATTS)) {
            if (!Double.isNaN(watts)) {
                anomalies++;
            }
            watts = Double.NaN;
        }
        if (!started) {
            started = true;
            anchorNanos = nowNanos;
            lastSampleNanos = nowNanos;
            lastWatts = watts;
            if (counterMode && counterMilliJoules >= 0) {
                baseMilliJoules = counterMilliJoules;
                lastMilliJoules = counterMilliJoules;
            }
            return reported;
        }
        if (nowNanos < lastSampleNanos) {
            return reported; // time never runs backwards for the collector; ignore a caller that says so
        }
        integrate(nowNanos, watts);
        if (counterMode && counterMilliJoules >= 0) {
            counter(nowNanos, counterMilliJoules);
        } else {
            reported = Math.max(reported, estimate());
        }
        lastSampleNanos = nowNanos;
        if (!Double.isNaN(watts)) {
            lastWatts = watts;
        }
        return reported;
    }

    private long estimate() {
        return anchorNanoJoules + Math.round(rawSinceAnchorNanoJoules * scale);
    }

    private void integrate(long now, double watts) {
        double p;
        if (!Double.isNaN(watts) && !Double.isNaN(lastWatts)) {
            p = (watts + lastWatts) / 2;
        } else if (!Double.isNaN(watts)) {
            p = watts;
        } else if (!Double.isNaN(lastWatts)) {
            p = lastWatts;
        } else {
            p = counterMode ? counterRateWatts : Double.NaN;
        }
        if (Double.isNaN(p)) {
            return;
        }
        long from = lastSampleNanos;
        long to = now;
        if (counterMode && to - anchorNanos > MAX_EXTRAPOLATION_NANOS) {
            to = anchorNanos + MAX_EXTRAPOLATION_NANOS;
            capped = true;
        }
        if (to > from) {
            rawSinceAnchorNanoJoules += p * (to - from);
        }
    }

    private void counter(long now, long mj) {
        long before = reported;
        if (baseMilliJoules < 0 || implausible(now, mj)) {
            if (baseMilliJoules >= 0) {
                anomalies++;
            }
            // This step's energy comes from the instant-power integral; the counter restarts from here.
            reported = Math.max(reported, estimate());
            baseMilliJoules = mj;
            lastMilliJoules = mj;
            offsetNanoJoules = reported;
            anchor(now, reported);
            return;
        }
        long truth = offsetNanoJoules + (mj - baseMilliJoules) * 1_000_000L;
        long gained = truth - anchorNanoJoules;
        if (instantShaped && !capped && rawSinceAnchorNanoJoules >= MIN_LEARN_NJ) {
            double ratio = gained / rawSinceAnchorNanoJoules;
            if (ratio >= MIN_SCALE && ratio <= MAX_SCALE) {
                scale = scaleLearned ? (scale + ratio) / 2 : ratio;
                scaleLearned = true;
            }
        }
        if (now > anchorNanos) {
            counterRateWatts = (double) gained / (now - anchorNanos);
        }
        lastMilliJoules = mj;
        if (truth < before) {
            holds++;
        }
        reported = Math.max(reported, truth);
        anchor(now, truth);
    }

    private boolean implausible(long now, long mj) {
        if (mj < lastMilliJoules) {
            return true;
        }
        long dt = now - anchorNanos;
        double nj = (double) (mj - lastMilliJoules) * 1e6;
        return dt <= 0 ? mj != lastMilliJoules : nj / dt > MAX_PLAUSIBLE_WATTS;
    }

    private void anchor(long now, long nj) {
        anchorNanoJoules = nj;
        anchorNanos = now;
        rawSinceAnchorNanoJoules = 0;
        capped = false;
    }

    /** From now on integrate instant power only (the counter kept failing). Keeps the learned scale. */
    void abandonCounter(long nowNanos) {
        if (counterMode) {
            counterMode = false;
            anchor(Math.max(nowNanos, lastSampleNanos), reported);
            lastSampleNanos = Math.max(nowNanos, lastSampleNanos);
        }
    }

    long value() {
        return reported;
    }

    boolean counterMode() {
        return counterMode;
    }

    long anomalies() {
        return anomalies;
    }

    /** How many counter reads found the extrapolation ahead of the counter (the value then held). */
    long holds() {
        return holds;
    }

    double scale() {
        return scale;
    }
}

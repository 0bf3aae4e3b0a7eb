package io.energy.power.nvml;

import org.junit.jupiter.api.Test;

import java.util.function.DoubleUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnergyTrackTest {
    private static final long MS = 1_000_000L;
    private static final long J = 1_000_000_000L;

    /**
     * Drives a track with reads every 100 ms for {@code seconds}, the counter read every {@code counterEvery}
     * reads (0: never after the first). Returns the value after each read.
     */
    private static long[] run(EnergyTrack t, double seconds, int counterEvery, DoubleUnaryOperator instantWatts,
                              DoubleUnaryOperator counterMilliJoules) {
        int reads = (int) Math.round(seconds * 10) + 1;
        long[] values = new long[reads];
        for (int k = 0; k < reads; k++) {
            double s = k / 10.0;
            boolean counter = k == 0 || (counterEvery > 0 && k % counterEvery == 0);
            values[k] = t.update(k * 100 * MS, instantWatts.applyAsDouble(s),
                    counter ? Math.round(counterMilliJoules.applyAsDouble(s)) : -1);
        }
        return values;
    }

    private static void assertNeverDecreases(long[] values) {
        for (int i = 1; i < values.length; i++) {
            assertTrue(values[i] >= values[i - 1], "value went back at read " + i + ": " + values[i - 1] + " -> " + values[i]);
        }
    }

    @Test
    void constantPowerGivesTheCounterEnergyExactly() {
        EnergyTrack t = new EnergyTrack(true, true);
        long[] v = run(t, 10, 10, s -> 150, s -> 7_000 + 150_000 * s);
        assertEquals(1500 * J, v[v.length - 1]);
        assertEquals(15 * J, v[1] - v[0], "between counter reads the energy follows instant power");
        assertEquals(0, t.anomalies());
    }

    @Test
    void betweenCounterReadsTheShapeFollowsInstantPower() {
        EnergyTrack t = new EnergyTrack(true, true);
        // 100 W, then 500 W from 0.5 s; the counter is read at 0 s and 1 s only
        DoubleUnaryOperator w = s -> s < 0.5 ? 100 : 500;
        long[] v = run(t, 1, 10, w, s -> s < 0.5 ? 100_000 * s : 50_000 + 500_000 * (s - 0.5));
        assertEquals(30 * J, v[4] - v[1], 1, "0.1 s to 0.4 s at 100 W");
        assertEquals(150 * J, v[9] - v[6], 1, "0.6 s to 0.9 s at 500 W");
        assertEquals(300 * J, v[10], "the counter read at 1 s settles the total");
        assertNeverDecreases(v);
    }

    @Test
    void overshootHoldsUntilTheCounterCatchesUpAndNeverGoesBack() {
        EnergyTrack t = new EnergyTrack(true, true);
        // instant power says 300 W, the counter 100 W
        long[] v = run(t, 10, 10, s -> 300, s -> 100_000 * s);
        assertNeverDecreases(v);
        assertEquals(270 * J, v[9], "extrapolated to 0.9 s at 300 W");
        assertEquals(270 * J, v[10], "the counter says 100 J at 1 s: the value holds instead of going back");
        assertTrue(t.holds() >= 1);
        assertEquals(1.0 / 3, t.scale(), 1e-9, "instant power is learned to overstate by 3x");
        assertEquals(1000 * J, v[100], "once caught up, the counter is the truth again");
    }

    @Test
    void undershootIsPaidAtTheNextCounterRead() {
        EnergyTrack t = new EnergyTrack(true, true);
        long[] v = run(t, 3, 10, s -> 50, s -> 100_000 * s);
        assertEquals(45 * J, v[9]);
        assertEquals(100 * J, v[10]);
        assertEquals(20 * J, v[12] - v[10], 1, "after one period the learned scale (2x) makes the extrapolation right");
        assertEquals(300 * J, v[30]);
    }

    @Test
    void aCounterThatGoesBackwardsIsAnAnomalyAndCountingContinuesFromIt() {
        EnergyTrack t = new EnergyTrack(true, true);
        // 100 W throughout, but the counter restarts from zero at 3 s (a driver reload)
        long[] v = run(t, 10, 10, s -> 100, s -> s < 3 ? 1_000_000 + 100_000 * s : 100_000 * (s - 3));
        assertNeverDecreases(v);
        assertEquals(1, t.anomalies());
        assertEquals(1000 * J, v[100], "the restart step is taken from instant power");
    }

    @Test
    void aCounterLeapBeyondAnyGpusPowerIsAnAnomalyNotEnergy() {
        EnergyTrack t = new EnergyTrack(true, true);
        long[] v = run(t, 10, 10, s -> 100, s -> 100_000 * s + (s >= 5 ? 1e12 : 0));
        assertEquals(1, t.anomalies());
        assertEquals(1000 * J, v[100]);
    }

    @Test
    void withoutACounterInstantPowerIsIntegrated() {
        EnergyTrack t = new EnergyTrack(false, true);
        long[] v = run(t, 5, 10, s -> s < 2 ? 200 : 100, s -> 999_999_999);
        // trapezoid: the step at 2 s costs half a sample period at the mean of both
        assertEquals((380 + 15 + 300) * J, v[50]);
        assertNeverDecreases(v);
    }

    @Test
    void extrapolationStopsWhenTheCounterIsNotReadForFiveSeconds() {
        EnergyTrack t = new EnergyTrack(true, true);
        long[] v = run(t, 10, 0, s -> 100, s -> 0);
        assertEquals(500 * J, v[100]);
        assertEquals(v[50], v[100]);
    }

    @Test
    void abandoningTheCounterContinuesWithCalibratedInstantPower() {
        EnergyTrack t = new EnergyTrack(true, true);
        run(t, 2, 10, s -> 200, s -> 100_000 * s);
        long at2 = t.value();
        assertEquals(200 * J, at2);
        t.abandonCounter(2000 * MS);
        for (int k = 21; k <= 30; k++) {
            t.update(k * 100 * MS, 200, 5_000_000);
        }
        assertEquals(at2 + 100 * J, t.value(), J / 1000, "1 s at 200 W instant, calibrated to the counter's 100 W");
    }

    @Test
    void implausibleInstantPowerIsIgnoredAndCounted() {
        EnergyTrack t = new EnergyTrack(false, true);
        t.update(0, 100, -1);
        t.update(100 * MS, -5, -1);
        t.update(200 * MS, 1e6, -1);
        t.update(300 * MS, Double.NaN, -1);
        t.update(400 * MS, 100, -1);
        assertEquals(2, t.anomalies(), "negative and 1 MW are anomalies; NaN is just 'not read'");
        assertEquals(40 * J, t.value(), "the last good sample is held across the bad ones");
    }

    @Test
    void instantPowerUpToTheCeilingCountsAndAboveOrBelowZeroIsAnAnomaly() {
        EnergyTrack t = new EnergyTrack(false, true);
        t.update(0, EnergyTrack.MAX_PLAUSIBLE_WATTS, -1);
        assertEquals(10_000 * J, t.update(1000 * MS, EnergyTrack.MAX_PLAUSIBLE_WATTS, -1), "exactly the ceiling");
        assertEquals(0, t.anomalies());
        t.update(2000 * MS, EnergyTrack.MAX_PLAUSIBLE_WATTS + 1, -1);
        assertEquals(1, t.anomalies());
        EnergyTrack z = new EnergyTrack(false, true);
        z.update(0, 0.0, -1);
        assertEquals(0, z.update(1000 * MS, 0.0, -1), "0 W is a reading, not an anomaly");
        assertEquals(0, z.anomalies());
        z.update(2000 * MS, -0.5, -1);
        z.update(3000 * MS, Double.NaN, -1); // not read: no anomaly
        assertEquals(1, z.anomalies());
    }

    @Test
    void instantPowerIsIntegratedAsATrapezoidAndACallerGoingBackInTimeIsIgnored() {
        EnergyTrack t = new EnergyTrack(false, true);
        assertEquals(0, t.update(5000 * MS, 100, -1));
        assertEquals(150 * J, t.update(6000 * MS, 200, -1), "(100 + 200) / 2 W over 1 s");
        assertEquals(150 * J, t.update(5500 * MS, 900, -1), "earlier than the last read: ignored");
        assertEquals(150 * J, t.update(6000 * MS, 200, -1), "the same instant adds nothing");
        assertEquals(350 * J, t.update(7000 * MS, 200, -1), "and 200 W from there");
        assertEquals(550 * J, t.update(8000 * MS, Double.NaN, -1), "a missed reading holds the last power");
    }

    @Test
    void aCounterReadAtTheSameInstantAsItsAnchorIsOnlyPlausibleIfUnchanged() {
        EnergyTrack t = new EnergyTrack(true, false);
        t.update(0, 100, 1_000);
        assertEquals(100 * J, t.update(1000 * MS, 100, 1_000 + 100_000), "100 J by the counter");
        assertEquals(100 * J, t.update(1000 * MS, 100, 1_000 + 100_000), "same instant, same count: fine");
        assertEquals(0, t.anomalies());
        t.update(1000 * MS, 100, 1_000 + 100_001);
        assertEquals(1, t.anomalies(), "same instant, a different count: implausible");
    }

    @Test
    void aCounterStepAtExactlyTheCeilingIsEnergyAndAboveItIsAnAnomaly() {
        EnergyTrack t = new EnergyTrack(true, false);
        t.update(0, 100, 0);
        assertEquals(10_000 * J, t.update(1000 * MS, 100, 10_000_000), "10 kJ in 1 s: exactly 10 kW");
        assertEquals(0, t.anomalies());
        t.update(2000 * MS, 100, 10_000_000 + 10_000_001);
        assertEquals(1, t.anomalies());
    }
}

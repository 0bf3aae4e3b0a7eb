package io.energy.session;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stack sampler is harvested early where the power changes, so a harvest does not average two power levels. */
class PowerShiftTest {
    private static final long MS = 1_000_000L;
    private static final long INTERVAL = 100 * MS;

    /** One interval of {@code watts} ending at {@code end}: 1 W over 100 ms is 0.1 J = 1e8 nJ. */
    private static long nj(double watts) {
        return Math.round(watts * INTERVAL);
    }

    /** Closes intervals of {@code watts} without a harvest, from {@code t}; returns the new time. */
    private static long steady(PowerShift p, double watts, int intervals, long t) {
        for (int i = 0; i < intervals; i++) {
            t += INTERVAL;
            assertFalse(p.shifted(nj(watts), INTERVAL, t), "steady " + watts + " W at " + t / MS + " ms");
            p.closed(nj(watts), INTERVAL, t, false, 0, false);
        }
        return t;
    }

    @Test
    void aStepFromOnePowerLevelToAnotherAsksForAHarvestAndSteadyPowerNever() {
        PowerShift p = new PowerShift();
        long t = steady(p, 60, 5, 0);
        t += INTERVAL;
        assertTrue(p.shifted(nj(30), INTERVAL, t), "60 W then 30 W: the pool would give 30 W's samples 60 W's joules");
        p.closed(nj(30), INTERVAL, t, true, MS / 2, true);
        t = steady(p, 30, 5, t);
        t += INTERVAL;
        assertTrue(p.shifted(nj(0), INTERVAL, t), "down to 0 W");
        p.closed(0, INTERVAL, t, true, MS / 2, true);
        t = steady(p, 0, 2, t);
        t += INTERVAL;
        assertTrue(p.shifted(nj(60), INTERVAL, t), "up from 0 W");
    }

    @Test
    void changesWithinAQuarterOrBelowHalfAWattAreNoise() {
        PowerShift p = new PowerShift();
        long t = steady(p, 40, 5, 0);
        t += INTERVAL;
        assertFalse(p.shifted(nj(31), INTERVAL, t), "40 -> 31 W is within 25% of 40");
        assertTrue(p.shifted(nj(29), INTERVAL, t), "40 -> 29 W is not");
        PowerShift small = new PowerShift();
        long u = steady(small, 0.3, 5, 0);
        u += INTERVAL;
        assertFalse(small.shifted(nj(0.7), INTERVAL, u), "0.3 -> 0.7 W: less than half a watt");
        assertTrue(small.shifted(nj(0.9), INTERVAL, u));
    }

    @Test
    void earlyHarvestsKeepTheirGapAndAllTogetherTheirBudgetOverTheRun() {
        PowerShift p = new PowerShift();
        long t = steady(p, 60, 3, 0);
        // Cold early harvests: 180 ms of CPU in all, past the 150 ms allowance plus 1% of the run's first 1.2 s.
        for (int i = 0; i < 4; i++) {
            t += INTERVAL;
            double w = i % 2 == 0 ? 10 : 60;
            assertTrue(p.shifted(nj(w), INTERVAL, t), "early harvest " + i + " within the allowance");
            p.closed(nj(w), INTERVAL, t, true, 45 * MS, true);
            t = steady(p, w, 1, t);
        }
        t += INTERVAL;
        assertFalse(p.shifted(nj(10), INTERVAL, t), "180 ms spent at 1.2 s: over 150 ms + 12 ms");
        p.closed(nj(10), INTERVAL, t, false, 0, false);
        t = steady(p, 10, 20, t);
        p.closed(nj(10), INTERVAL, t + INTERVAL, true, 500 * MS, false); // a regular harvest: not in the budget
        t = steady(p, 10, 3, t + INTERVAL);
        t += INTERVAL;
        assertTrue(p.shifted(nj(60), INTERVAL, t), "3.7 s into the run: 150 ms + 37 ms allowed, and regular harvests "
                + "do not count");

        PowerShift q = new PowerShift();
        long u = steady(q, 60, 3, 0);
        q.closed(nj(60), INTERVAL, u + INTERVAL, true, 0, true);
        q.closed(nj(60), 10 * MS, u + INTERVAL + 10 * MS, false, 0, false);
        assertFalse(q.shifted(nj(0), 50 * MS, u + INTERVAL + 60 * MS), "60 ms after the last harvest: under the gap");
        assertTrue(q.shifted(nj(0), 50 * MS, u + 2 * INTERVAL + 10 * MS), "110 ms after it");
    }

    @Test
    void nothingToCompareWithRightAfterAHarvest() {
        PowerShift p = new PowerShift();
        assertFalse(p.shifted(nj(60), INTERVAL, INTERVAL), "the first interval");
        p.closed(nj(60), INTERVAL, INTERVAL, true, 0, false);
        assertFalse(p.shifted(nj(5), INTERVAL, 2 * INTERVAL), "an empty pool after a harvest");
    }
}

package io.energy.power.rapl;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One zone's counter arithmetic with readings whose true energy the test knows (issue 14: PIT found its
 * boundaries untested). Units: raw readings in µJ, results in nJ, times in ns.
 */
class ZoneCounterTest {
    private static final long S = 1_000_000_000L;
    private static final long MS = 1_000_000L;

    @Test
    void theFirstReadingIsTheBaselineAndCreditsNothing() {
        ZoneCounter z = new ZoneCounter(1_000_000_000L, 100);
        assertEquals(0, z.advance(123_456, 5 * S));
        assertEquals(0, z.cumulativeNanoJoules());
        assertEquals(2_000_000_000L, z.advance(123_456 + 2_000_000, 6 * S), "2 J in 1 s");
        assertEquals(2_000_000_000L, z.cumulativeNanoJoules());
        assertEquals(0, z.anomalies());
    }

    @Test
    void aCounterThatDidNotMoveCreditsNothingEvenWithASmallRange() {
        ZoneCounter z = new ZoneCounter(1_000_000L, 100); // a 1 J range: one wrap would be plausible in 1 s
        z.advance(500_000, 0);
        assertEquals(0, z.advance(500_000, S));
        assertEquals(1, z.anomalies(), "up to 100 wraps were possible: the smallest is a guess, and counted");
    }

    @Test
    void exactlyTheCeilingIsPlausibleAndOneMicrojouleMoreIsAJump() {
        ZoneCounter z = new ZoneCounter(0, 100); // no range: no wrap candidates to confuse the boundary
        z.advance(0, 0);
        assertEquals(100_000_000_000L, z.advance(100_000_000, S), "100 J in 1 s at a 100 W ceiling");
        assertEquals(0, z.anomalies());
        ZoneCounter y = new ZoneCounter(0, 100);
        y.advance(0, 0);
        assertEquals(0, y.advance(100_000_001, S), "no rate known yet: a jump credits nothing");
        assertEquals(1, y.anomalies());
    }

    @Test
    void aJumpIsFilledAtTheLastPlausibleRateAndBecomesTheBaseline() {
        ZoneCounter z = new ZoneCounter(0, 100);
        z.advance(0, 0);
        z.advance(10_000_000, S); // 10 J in 1 s: 10 W
        assertEquals(20_000_000_000L, z.advance(10_000_000 + 900_000_000, 3 * S), "2 s at 10 W, not 900 J");
        assertEquals(1, z.anomalies());
        assertEquals(5_000_000_000L, z.advance(910_000_000 + 5_000_000, 4 * S), "on from the jump's reading");
        assertEquals(35_000_000_000L, z.cumulativeNanoJoules());
    }

    @Test
    void aWrapIsUnwrappedWithTheZonesOwnRange() {
        long range = 1_000_000_000L; // 1 kJ
        ZoneCounter z = new ZoneCounter(range, 500); // at most 500 J a second: exactly one wrap possible
        z.advance(range - 1_000_000, 0);
        assertEquals(3_000_000_000L, z.advance(2_000_000, S), "1 J to the wrap, 2 J after it");
        assertEquals(0, z.anomalies(), "a wrap is not an anomaly");
    }

    @Test
    void aStepBackIsAnAnomalyThatCreditsNothing() {
        ZoneCounter noRange = new ZoneCounter(0, 5000);
        noRange.advance(5_000_000, 0);
        assertEquals(0, noRange.advance(4_000_000, S));
        assertEquals(1, noRange.anomalies());
        ZoneCounter tooSoon = new ZoneCounter(1_000_000_000L, 100);
        tooSoon.advance(5_000_000, 0);
        tooSoon.advance(6_000_000, S); // 1 W
        assertEquals(0, tooSoon.advance(5_999_000, 2 * S), "a wrap would mean ~1 kJ in 1 s: a step back");
        assertEquals(1, tooSoon.anomalies());
        assertEquals(1_000_000_000L, tooSoon.cumulativeNanoJoules());
        assertEquals(1_000_000_000L, tooSoon.advance(5_999_000 + 1_000_000, 3 * S), "counting on from there");
    }

    @Test
    void aVeryLateReadPicksTheWrapCountNearestTheLastRate() {
        long range = 1_000_000L; // 1 J: at 10 W it wraps ten times a second
        ZoneCounter z = new ZoneCounter(range, 100);
        z.advance(0, 0);
        z.advance(100_000, 10 * MS); // 0.1 J in 10 ms: 10 W
        // One second later the counter shows +0.3 J: 10 W means 10.3 J, i.e. ten more wraps.
        assertEquals(10_300_000_000L, z.advance(400_000, 10 * MS + S));
        assertEquals(1, z.anomalies(), "the number of wraps is a guess: counted");
    }

    @Test
    void aVeryLateReadWithNoRateYetTakesTheSmallestCandidate() {
        ZoneCounter z = new ZoneCounter(1_000_000L, 100);
        z.advance(0, 0);
        assertEquals(300_000_000L, z.advance(300_000, S));
        assertEquals(1, z.anomalies());
    }

    @Test
    void readsCloserThanTheCounterGrainAreBoundedByOneGrainOfPowerAndSetNoRate() {
        ZoneCounter z = new ZoneCounter(0, 1000);
        z.advance(0, 0);
        // 100 µs apart: the ceiling is computed over one 1 ms grain, so 1 J (1000 W x 1 ms) still fits.
        assertEquals(1_000_000_000L, z.advance(1_000_000, 100_000));
        assertEquals(0, z.anomalies());
        // No rate was learnt from that read: a jump now credits nothing.
        assertEquals(0, z.advance(1_000_000 + 2_000_000_000L, 200_000 + S));
        ZoneCounter g = new ZoneCounter(0, 1000);
        g.advance(0, 0);
        g.advance(5_000, MS); // exactly one grain: 5 W learnt
        assertEquals(5_000_000_000L, g.advance(5_000 + 2_000_000_000L, MS + S), "a jump filled at 5 W");
    }
}

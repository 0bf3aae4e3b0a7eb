package io.energy.sampling;

import org.junit.jupiter.api.Test;

import static io.energy.sampling.AsyncProfilerSampler.harvestGap;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * How long async-profiler's harvests wait for each other: by their cost within budget, never past 5 s, and in
 * a run's first seconds never past the run's age (a cold first harvest must not hide the live outputs' method
 * energy for seconds).
 */
class HarvestGapTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;

    @Test
    void aColdFirstHarvestDoesNotPushTheSecondPastOneSecond() {
        // 20 ms of cold code would buy 4 s at 0.5% of a core
        assertEquals(1 * S, harvestGap(20 * MS, 100 * MS));
    }

    @Test
    void earlyGapsGrowWithTheRunsAge() {
        assertEquals(2500 * MS, harvestGap(20 * MS, 2500 * MS));
    }

    @Test
    void aWarmHarvestIsSpacedByItsCostToStayWithinTheBudget() {
        // 10 ms / 0.005 = 2 s, however old the run
        assertEquals(2 * S, harvestGap(10 * MS, 60 * S));
        assertEquals(2 * S, harvestGap(10 * MS, 3 * S));
    }

    @Test
    void aCheapHarvestIsSpacedByItsCostEarlyToo() {
        assertEquals(20 * MS, harvestGap(100_000L, 200 * MS));
    }

    @Test
    void noGapIsLongerThanFiveSecondsWhateverTheHarvestCost() {
        assertEquals(5 * S, harvestGap(100 * MS, 3600 * S));
        assertEquals(AsyncProfilerSampler.MAX_HARVEST_GAP_NANOS, harvestGap(Long.MAX_VALUE / 4, Long.MAX_VALUE / 4));
    }
}

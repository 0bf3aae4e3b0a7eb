package io.energy.instrument;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The budget's arithmetic on counts whose answer is worked out by hand: 1% of one CPU-second is 10 ms,
 * which at 10 ns a call is one million calls.
 */
class OverheadBudgetTest {
    private static final long S = 1_000_000_000L;

    private final OverheadBudget budget = new OverheadBudget(0.01, 10, 200_000_000L);

    @Test
    void withinBudgetNothingStops() {
        budget.observe(0, 0, new long[]{0, 0, 0});
        // 600 000 + 399 999 calls × 10 ns = 9.99999 ms ≤ 10 ms
        assertEquals(List.of(), budget.observe(S, S, new long[]{0, 600_000, 399_999}));
    }

    @Test
    void overBudgetTheHottestStopFirstAndOnlyAsManyAsNeeded() {
        budget.observe(0, 0, new long[5]);
        // 5 000 000 + 600 000 + 300 000 + 50 000 calls: 59.5 ms against 10 ms. Without the hottest, 9.5 ms fits.
        List<OverheadBudget.Stop> stops = budget.observe(S, S, new long[]{0, 600_000, 5_000_000, 300_000, 50_000});
        assertEquals(1, stops.size(), stops.toString());
        assertEquals(2, stops.get(0).methodId());
        assertEquals(5_000_000, stops.get(0).callsPerSecond(), 1e-6);
        assertEquals(0.05, stops.get(0).costShare(), 1e-12, "50 ms of 1 s of CPU");

        // Next second: 2 000 000 more calls of method 1 and 10 000 000 of the stopped method 2 (calls in flight
        // of its old code). Method 2 is not counted against the budget any more; method 1 must go too.
        List<OverheadBudget.Stop> next = budget.observe(2 * S, 2 * S,
                new long[]{0, 2_600_000, 15_000_000, 300_000, 50_000});
        assertEquals(List.of(1), next.stream().map(OverheadBudget.Stop::methodId).toList());
        assertEquals(2, budget.stops().size());
    }

    @Test
    void severalMethodsStopInOrderOfCallsUntilTheRestFits() {
        budget.observe(0, 0, new long[4]);
        // 900 000 + 800 000 + 700 000 = 24 ms; drop 900k (15 ms left), drop 800k (7 ms: fits).
        List<OverheadBudget.Stop> stops = budget.observe(S, S, new long[]{0, 800_000, 700_000, 900_000});
        assertEquals(List.of(3, 1), stops.stream().map(OverheadBudget.Stop::methodId).toList());
    }

    @Test
    void theBudgetScalesWithTheProcesssCpuTimeNotTheWallClock() {
        budget.observe(0, 0, new long[2]);
        // 4 CPUs busy for one second: 40 ms allowed; 3 000 000 calls = 30 ms fits.
        assertEquals(List.of(), budget.observe(S, 4 * S, new long[]{0, 3_000_000}));
        // An idle process is taken to use 10% of a CPU: 1 ms allowed per second; 200 000 calls = 2 ms does not fit.
        OverheadBudget idle = new OverheadBudget(0.01, 10, 200_000_000L);
        idle.observe(0, 0, new long[2]);
        assertEquals(1, idle.observe(S, 0, new long[]{0, 200_000}).size());
        OverheadBudget quiet = new OverheadBudget(0.01, 10, 200_000_000L);
        quiet.observe(0, 0, new long[2]);
        assertEquals(List.of(), quiet.observe(S, 0, new long[]{0, 90_000}), "0.9 ms of the 1 ms floor");
    }

    @Test
    void aWindowShorterThanTheMinimumDecidesNothingAndKeepsItsStart() {
        budget.observe(0, 0, new long[2]);
        assertEquals(List.of(), budget.observe(S / 10, S / 10, new long[]{0, 5_000_000}), "100 ms: too short");
        // The window now runs from 0 to 1 s: 5 000 000 calls in it, 50 ms of 10 ms.
        assertEquals(1, budget.observe(S, S, new long[]{0, 5_000_000}).size());
    }

    @Test
    void newMethodsRegisteredBetweenWindowsAreCountedFromZero() {
        budget.observe(0, 0, new long[2]);
        List<OverheadBudget.Stop> stops = budget.observe(S, S, new long[]{0, 10, 2_000_000});
        assertEquals(List.of(2), stops.stream().map(OverheadBudget.Stop::methodId).toList());
        assertTrue(budget.estimatedCostNanos() >= 2_000_010 * 10.0 - 1e-6);
    }
}

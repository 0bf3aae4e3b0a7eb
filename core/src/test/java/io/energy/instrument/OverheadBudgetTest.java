package io.energy.instrument;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The budget's arithmetic on counts whose answer is worked out by hand: 1% of one CPU-second is 10 ms,
 * which at 10 ns a call is one million calls; when over it, methods stop until at most half of it is left
 * (5 ms, 500 000 calls).
 */
class OverheadBudgetTest {
    private static final long S = 1_000_000_000L;

    private final OverheadBudget budget = new OverheadBudget(0.01, 10, S);

    private static List<Integer> ids(List<OverheadBudget.Stop> stops) {
        return stops.stream().map(OverheadBudget.Stop::methodId).toList();
    }

    @Test
    void withinBudgetNothingStops() {
        budget.observe(0, 0, new long[]{0, 0, 0});
        // 600 000 + 400 000 calls × 10 ns = 10 ms: exactly the budget
        assertEquals(List.of(), budget.observe(S, S, new long[]{0, 600_000, 400_000}));
    }

    @Test
    void overBudgetTheHottestStopFirstUntilHalfTheBudgetIsLeft() {
        budget.observe(0, 0, new long[5]);
        // 5 000 000 + 600 000 + 300 000 + 50 000 calls: 59.5 ms against 10 ms. Without the hottest 9.5 ms, more
        // than half the budget; without the next 3.5 ms, which leaves room.
        List<OverheadBudget.Stop> stops = budget.observe(S, S, new long[]{0, 600_000, 5_000_000, 300_000, 50_000});
        assertEquals(List.of(2, 1), ids(stops));
        assertEquals(5_000_000, stops.get(0).callsPerSecond(), 1e-6);
        assertEquals(0.05, stops.get(0).costShare(), 1e-12, "50 ms of 1 s of CPU");

        // Next second: the stopped methods' calls (code still running in the old version) are not held against
        // the budget; 1 200 000 calls of method 3 are, and it goes too.
        List<OverheadBudget.Stop> next = budget.observe(2 * S, 2 * S,
                new long[]{0, 700_000, 15_000_000, 1_500_000, 50_000});
        assertEquals(List.of(3), ids(next));
        assertEquals(3, budget.stops().size());
    }

    @Test
    void theBudgetScalesWithTheProcesssCpuTimeNotTheWallClock() {
        budget.observe(0, 0, new long[2]);
        // 4 CPUs busy for one second: 40 ms allowed; 3 000 000 calls = 30 ms fits.
        assertEquals(List.of(), budget.observe(S, 4 * S, new long[]{0, 3_000_000}));
        // An idle process is taken to use 10% of a CPU: 1 ms allowed per second; 200 000 calls = 2 ms does not fit.
        OverheadBudget idle = new OverheadBudget(0.01, 10, S);
        idle.observe(0, 0, new long[2]);
        assertEquals(List.of(1), ids(idle.observe(S, 0, new long[]{0, 200_000})));
        OverheadBudget quiet = new OverheadBudget(0.01, 10, S);
        quiet.observe(0, 0, new long[2]);
        assertEquals(List.of(), quiet.observe(S, 0, new long[]{0, 90_000}), "0.9 ms of the 1 ms floor");
    }

    @Test
    void aWindowShorterThanTheMinimumDecidesNothingAndKeepsItsStartUnlessFarOverBudget() {
        budget.observe(0, 0, new long[2]);
        assertEquals(false, budget.due(S / 5), "200 ms: not even early");
        assertEquals(List.of(), budget.observe(S / 5, S / 5, new long[]{0, 1_500_000}), "200 ms: never, 7.5x or not");
        assertEquals(true, budget.due(S / 2), "a quarter of the window may decide early");
        // 500 ms: 5 ms allowed; 1 500 000 calls = 15 ms, 3 times the budget: not enough to decide early.
        assertEquals(List.of(), budget.observe(S / 2, S / 2, new long[]{0, 1_500_000}), "500 ms, 3x: too short");
        assertEquals(false, budget.due(S / 2 + S / 5), "the next early look waits a quarter window");
        assertEquals(true, budget.due(3 * S / 4));
        // The window still runs from 0: at 1 s, 1 500 000 calls are 15 ms of 10 ms.
        assertEquals(List.of(1), ids(budget.observe(S, S, new long[]{0, 1_500_000})));
    }

    @Test
    void aQuarterWindowFarOverBudgetDecidesAtOnce() {
        budget.observe(0, 0, new long[3]);
        // 250 ms: 2.5 ms allowed; 1 200 000 calls of method 2 = 12 ms, 4.8 times: decided now.
        List<OverheadBudget.Stop> early = budget.observe(S / 4, S / 4, new long[]{0, 100, 1_200_000});
        assertEquals(List.of(2), ids(early));
        assertEquals(4_800_000, early.get(0).callsPerSecond(), 1e-6);
        // The next window starts at 250 ms.
        assertEquals(false, budget.due(S / 4 + S / 5));
        assertEquals(List.of(), budget.observe(S / 2, S / 2, new long[]{0, 200, 9_000_000}),
                "method 2 is no longer held against the budget");
    }

    @Test
    void aQuarterWindowDecidesEarlyFromExactlyFourTimesTheBudgetNotBelow() {
        // A budget of 1/64 (exact in binary, so the boundary is exact): at 250 ms of CPU 3 906 250 ns are allowed,
        // four times that is 15 625 000 ns, which at 10 ns a call is 1 562 500 calls.
        OverheadBudget atFour = new OverheadBudget(1.0 / 64, 10, S);
        atFour.observe(0, 0, new long[2]);
        assertEquals(List.of(1), ids(atFour.observe(S / 4, S / 4, new long[]{0, 1_562_500})), "exactly 4x decides");
        OverheadBudget below = new OverheadBudget(1.0 / 64, 10, S);
        below.observe(0, 0, new long[2]);
        assertEquals(List.of(), below.observe(S / 4, S / 4, new long[]{0, 1_562_499}), "one call under 4x waits");
    }

    @Test
    void newMethodsRegisteredBetweenWindowsAreCountedFromZero() {
        budget.observe(0, 0, new long[2]);
        assertEquals(List.of(2), ids(budget.observe(S, S, new long[]{0, 10, 2_000_000})));
    }
}

package io.energy.samples;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TradeoffSampleTest {
    @Test
    void bothWaysComputeTheSameResult() {
        for (int n : new int[] {1, 2, 3, 27, 1_000, 100_000}) {
            assertEquals(TradeoffSample.slowButLean(n), TradeoffSample.fastButHungry(n), "n=" + n);
        }
    }

    @Test
    void resultMatchesKnownCollatzFacts() {
        assertEquals(0, TradeoffSample.collatzSteps(1));
        assertEquals(111, TradeoffSample.collatzSteps(27));
        // Below 10, 9 has the longest chain (19 steps); below 100, 97 (118 steps)
        assertEquals(9, TradeoffSample.slowButLean(9).longestStart());
        assertEquals(19, TradeoffSample.slowButLean(9).longestSteps());
        assertEquals(97, TradeoffSample.fastButHungry(100).longestStart());
        assertEquals(118, TradeoffSample.fastButHungry(100).longestSteps());
    }

    @Test
    void tiesForTheLongestChainGoToTheSmallerStartWhicheverSideIsMerged() {
        // 12 and 13 both take 9 steps: a parallel split may meet them in either order
        assertEquals(TradeoffSample.collatzSteps(12), TradeoffSample.collatzSteps(13));
        assertEquals(12, merged(12, 13).longestStart());
        assertEquals(12, merged(13, 12).longestStart());
    }

    private static TradeoffSample.Chains merged(int first, int second) {
        TradeoffSample.Accumulator a = new TradeoffSample.Accumulator();
        TradeoffSample.Accumulator b = new TradeoffSample.Accumulator();
        a.add(first);
        b.add(second);
        a.merge(b);
        return a.result();
    }

    @Test
    void runPrintsBothWaysWithTheirTimesAndExitsZero() throws Exception {
        TestIo out = new TestIo();
        assertEquals(0, TradeoffSample.run(new String[] {"20000"}, out.stream));
        String[] lines = out.lines();
        assertEquals(3, lines.length, out.text());
        assertTrue(lines[0].startsWith("tradeoff sample: n=20000, rounds=1, fastButHungry total steps "), lines[0]);
        assertTrue(lines[0].endsWith(" (equal)"), lines[0]);
        assertTrue(lines[1].matches("fastButHungry: \\d+\\.\\d{3} s wall, \\d+\\.\\d{3} s CPU \\(parallel stream, \\d+ cores\\)"),
                lines[1]);
        assertTrue(lines[2].matches("slowButLean  : \\d+\\.\\d{3} s wall, \\d+\\.\\d{3} s CPU \\(one thread\\)"), lines[2]);
    }

    @Test
    void wayRunsOneWayOnlyWithTheSameResultAndRejectsAnythingElse() throws Exception {
        String both = TradeoffSample.slowButLean(20_000).toString();
        TestIo fast = new TestIo();
        assertEquals(0, TradeoffSample.run(new String[] {"20000", "way=fast"}, fast.stream));
        assertEquals(2, fast.lines().length, fast.text());
        assertEquals("tradeoff sample: n=20000, rounds=1, fastButHungry " + both, fast.lines()[0]);
        assertTrue(fast.lines()[1].startsWith("fastButHungry: "), fast.text());
        TestIo lean = new TestIo();
        assertEquals(0, TradeoffSample.run(new String[] {"20000", "way=lean"}, lean.stream));
        assertEquals("tradeoff sample: n=20000, rounds=1, slowButLean " + both, lean.lines()[0]);
        assertTrue(lean.lines()[1].startsWith("slowButLean  : "), lean.text());
        Args.UsageException e = org.junit.jupiter.api.Assertions.assertThrows(Args.UsageException.class,
                () -> TradeoffSample.run(new String[] {"way=quick"}, new TestIo().stream));
        assertEquals("tradeoff: way must be both, fast or lean, got 'quick'", e.getMessage());
    }
}

package io.energy.sampling;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The edges of reading a profiler's dump (issue 14: survivors of the mutation run): blank lines, a line
 * that is only a count, a count with no digits, zero counts, every digit, and the cache of classified stacks.
 */
class CollapsedDiffEdgeTest {
    private final Map<String, Integer> ids = new HashMap<>();
    private final CollapsedDiff diff = new CollapsedDiff(new StackClassifier(
            (c, m) -> ids.computeIfAbsent(c + "." + m, k -> ids.size() + 1), 256));

    private StackSamples collect(String dump) {
        StackSamples out = new StackSamples(10_000_000L);
        diff.collect(dump, out);
        return out;
    }

    @Test
    void aDumpThatStartsWithABlankLineIsReadLineByLine() {
        StackSamples s = collect("\nA.main;A.b 3\n");
        assertEquals(1, s.size());
        assertEquals(3, s.total());
    }

    @Test
    void aLineThatIsOnlyACountIsNoStack() {
        StackSamples s = collect(" 5\nA.main;A.b 1\n");
        assertEquals(1, s.size());
        assertEquals(ThreadKind.JAVA, s.stack(0).kind);
        assertEquals(1, s.total());
        assertEquals(1, diff.size());
    }

    @Test
    void linesWithAnEmptyOrNonNumericCountAreNotKept() {
        collect("A.main;A.b \nA.main;A.c 1x\nA.main;A.d /\nA.main;A.e :\nA.main;A.f 2\n");
        assertEquals(1, diff.size(), "only A.f");
    }

    @Test
    void aZeroCountIsAStackWithNoSamplesYet() {
        StackSamples s = collect("A.main;A.b 0\n");
        assertEquals(0, s.size());
        assertEquals(1, diff.size(), "known, at zero");
    }

    @Test
    void countsUseEveryDigit() {
        assertEquals(90, collect("A.main;A.b 90\n").total());
        assertEquals(1234567890L - 90, collect("A.main;A.b 1234567890\n").total());
    }

    @Test
    void aRepeatedStackIsClassifiedOnceUntilTheCacheIsFreed() {
        Stack first = collect("A.main;A.b 1\n").stack(0);
        assertSame(first, collect("A.main;A.b 2\n").stack(0), "the same object: not classified again");
        diff.forgetStacks();
        Stack again = collect("A.main;A.b 3\n").stack(0);
        assertNotSame(first, again, "classified afresh after the cache was freed");
        assertEquals(first.frames.length, again.frames.length);
    }
}

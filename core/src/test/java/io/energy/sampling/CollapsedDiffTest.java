package io.energy.sampling;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CollapsedDiffTest {
    private final Map<String, Integer> ids = new HashMap<>();
    private final CollapsedDiff diff = new CollapsedDiff(new StackClassifier(
            (c, m) -> ids.computeIfAbsent(c + "." + m, k -> ids.size() + 1), 256));

    private Map<String, Long> samples(String dump) {
        StackSamples out = new StackSamples(10_000_000L);
        diff.collect(dump, out);
        Map<String, Long> byLeaf = new HashMap<>();
        for (int i = 0; i < out.size(); i++) {
            int[] f = out.stack(i).frames;
            String leaf = f.length == 0 ? out.stack(i).kind.name() : name(f[f.length - 1]);
            byLeaf.merge(leaf, out.count(i), Long::sum);
        }
        return byLeaf;
    }

    private String name(int id) {
        for (Map.Entry<String, Integer> e : ids.entrySet()) {
            if (e.getValue() == id) {
                return e.getKey();
            }
        }
        return "?";
    }

    @Test
    void eachDumpYieldsTheSamplesTakenSinceThePreviousOne() {
        assertEquals(Map.of("A.b", 5L, "A.c", 2L), samples("A.main;A.b 5\nA.main;A.c 2\n"));
        assertEquals(Map.of("A.b", 3L), samples("A.main;A.b 8\nA.main;A.c 2\n"));
        assertEquals(Map.of(), samples("A.main;A.b 8\nA.main;A.c 2"));
    }

    @Test
    void twoTracesThatPrintTheSameTextAreAddedUpNotOverwritten() {
        // An interpreted and a compiled frame of the same method: same text, two lines, counts 50 and 30.
        assertEquals(Map.of("A.hash", 80L), samples("A.main;A.hash 50\nA.main;A.hash 30\n"));
        assertEquals(Map.of("A.hash", 6L), samples("A.main;A.hash 52\nA.main;A.hash 34\n"));
        assertEquals(Map.of(), samples("A.main;A.hash 52\nA.main;A.hash 34\n"));
    }

    @Test
    void afterARestartCountsStartFromZero() {
        samples("A.main;A.b 100\n");
        diff.restart();
        assertEquals(Map.of("A.b", 4L), samples("A.main;A.b 4\n"));
    }

    @Test
    void linesWithoutACountAreIgnored() {
        assertEquals(Map.of("A.b", 1L), samples("garbage\nA.main;A.b 1\nA.main;A.c x\n\n"));
        // A count with no stack before it neither counts nor takes the count of the line before it.
        assertEquals(Map.of("A.b", 2L), samples("A.main;A.b 3\n 7\n"));
    }

    @Test
    void aStackWhoseCountDidNotRiseIsNotClassifiedSoItsFramesAreNotNamed() {
        // Classifying names the frames (ids in the method registry): a stack with no new samples must cost nothing.
        assertEquals(Map.of("A.b", 1L), samples("A.main;A.b 1\nA.main;A.z 0\n"));
        assertEquals(java.util.Set.of("A.main", "A.b"), ids.keySet());
    }

    @Test
    void aLeadingThreadFrameIsTheSamplesThreadAndNotAFrameOfTheStack() {
        StackSamples out = new StackSamples(10_000_000L, true);
        // async-profiler's `threads` option: the name may hold spaces, ';' and "tid=" itself.
        diff.collect("[pool-1 worker;x tid=7 tid=42];A.main;A.b 5\n[main tid=3];A.main;A.b 2\nA.main;A.c 1\n", out);
        Map<Long, Long> byThread = new HashMap<>();
        for (int i = 0; i < out.size(); i++) {
            assertEquals("A.main", name(out.stack(i).frames[0]), "the thread is not the outermost frame");
            byThread.merge(out.thread(i), out.count(i), Long::sum);
        }
        assertEquals(Map.of(42L, 5L, 3L, 2L, StackSamples.NO_THREAD, 1L), byThread);
        assertEquals(3, ids.size(), "A.main, A.b and A.c: no frame was made of a thread");
    }

    @Test
    void aThreadFrameWithNothingAfterItIsAStackWithoutJavaFrames() {
        assertEquals(-1, frameEnd("[no tid here];A.b"));
        assertEquals(-1, frameEnd("A.main;A.b"));
        assertEquals(-1, frameEnd("[x tid=];A.b"));
        // The frame must end inside the range given: here the range stops at its ']'.
        assertEquals(-1, CollapsedDiff.threadFrameEnd("[a tid=1];A.b", 0, 8));
        assertEquals(StackSamples.NO_THREAD, CollapsedDiff.threadId("A.main;A.b", 0, 10), "no thread frame at all");
        String line = "[Thread-0 tid=12]";
        assertEquals(line.length() - 1, frameEnd(line));
        assertEquals(12L, CollapsedDiff.threadId(line, 0, line.length() - 1));
    }

    @Test
    void everyDigitOfAThreadIdIsReadIncludingZeroAndNine() {
        // Linux thread ids are any number: the ends of the digit range must not end the id.
        for (long tid : new long[]{0, 10, 90, 109, 1234567890}) {
            String line = "[w tid=" + tid + "];A.b";
            int end = frameEnd(line);
            assertEquals(line.indexOf(']'), end, line);
            assertEquals(tid, CollapsedDiff.threadId(line, 0, end), line);
        }
    }

    @Test
    void aThreadRenamedBetweenDumpsKeepsItsCountsSoNothingIsTakenTwice() {
        // async-profiler prints a thread's name as of the dump: main becomes DestroyJavaVM when main returns.
        assertEquals(Map.of("A.b", 5L), samples("[main tid=1];A.main;A.b 5\n"));
        assertEquals(Map.of("A.b", 2L), samples("[DestroyJavaVM tid=1];A.main;A.b 7\n"));
        assertEquals(Map.of("A.b", 3L), samples("[DestroyJavaVM tid=1];A.main;A.b 7\n[main tid=2];A.main;A.b 3\n"));
    }

    @Test
    void aStackIsClassifiedOnceWhateverThreadsRunItAndItsTextIsNotKept() {
        StackSamples out = new StackSamples(10_000_000L, true);
        diff.collect("[a tid=1];A.main;A.b 2\n[b tid=2];A.main;A.b 3\n", out);
        assertEquals(2, out.size());
        assertEquals(out.stack(0), out.stack(1), "one Stack object for one stack text, shared by both threads");
        assertEquals(CollapsedDiff.hash("x;A.b", 2, 5), CollapsedDiff.hash("A.b", 0, 3), "the hash is of the range");
    }

    private static int frameEnd(String line) {
        return CollapsedDiff.threadFrameEnd(line, 0, line.length());
    }
}

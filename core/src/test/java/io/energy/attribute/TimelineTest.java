package io.energy.attribute;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The timeline keeps a whole run in bounded memory: past {@link Timeline#MAX_POINTS} points, neighbours merge
 * (issue 14: only the accuracy suite reached it, and never the merge). Point i here is second i, with
 * i J measured in domain 0, 2i J in domain 1, and i nJ / 2i nJ of them the process's.
 */
class TimelineTest {
    private static final long S = 1_000_000_000L;

    private static void addSeconds(Timeline t, int from, int to) {
        for (int i = from; i < to; i++) {
            // The top method is i, except on even seconds past 10, which had none (0).
            int top = i > 10 && i % 2 == 0 ? 0 : i;
            t.add(i * S, (i + 1) * S, new long[]{i * S, 2L * i * S}, new long[]{i, 2L * i}, top);
        }
    }

    @Test
    void upToTheLimitEveryIntervalIsAPointOfItsOwn() {
        Timeline t = new Timeline(2);
        addSeconds(t, 0, Timeline.MAX_POINTS);
        List<Timeline.Point> p = t.points();
        assertEquals(Timeline.MAX_POINTS, p.size());
        Timeline.Point last = p.get(Timeline.MAX_POINTS - 1);
        assertEquals((Timeline.MAX_POINTS - 1) * S, last.startNanos());
        assertArrayEquals(new long[]{(Timeline.MAX_POINTS - 1) * S, 2L * (Timeline.MAX_POINTS - 1) * S},
                last.nanoJoules());
    }

    @Test
    void oneMorePointMergesNeighboursInPairsAndKeepsTheOddOneOut() {
        Timeline t = new Timeline(2);
        addSeconds(t, 0, Timeline.MAX_POINTS + 1);
        List<Timeline.Point> p = t.points();
        assertEquals(Timeline.MAX_POINTS / 2 + 1, p.size(), "4097 points: 2048 pairs and the last alone");
        for (int k = 0; k < Timeline.MAX_POINTS / 2; k++) {
            int a = 2 * k;
            int b = a + 1;
            Timeline.Point m = p.get(k);
            assertEquals(a * S, m.startNanos());
            assertEquals((b + 1) * S, m.endNanos());
            assertArrayEquals(new long[]{(long) (a + b) * S, 2L * (a + b) * S}, m.nanoJoules());
            assertArrayEquals(new long[]{a + b, 2L * (a + b)}, m.processNanoJoules());
            int topA = a > 10 ? 0 : a;
            assertEquals(topA != 0 ? topA : b, m.topMethodId(), "the first's top method, else the second's");
        }
        Timeline.Point odd = p.get(Timeline.MAX_POINTS / 2);
        assertEquals(Timeline.MAX_POINTS * S, odd.startNanos());
        assertArrayEquals(new long[]{Timeline.MAX_POINTS * S, 2L * Timeline.MAX_POINTS * S}, odd.nanoJoules());
        // 2 s of (a + b) J: the mean power of the pair.
        assertEquals((4.0 + 5.0) / 2, p.get(2).watts(0), 1e-9);
    }

    @Test
    void mergingAgainKeepsEveryJouleAndTheWholeSpan() {
        Timeline t = new Timeline(2);
        int n = 3 * Timeline.MAX_POINTS;
        addSeconds(t, 0, n);
        List<Timeline.Point> p = t.points();
        long sum = 0;
        for (Timeline.Point x : p) {
            sum += x.nanoJoules()[0];
        }
        assertEquals((long) n * (n - 1) / 2 * S, sum, "0 + 1 + ... + (n-1) seconds' joules");
        assertEquals(0, p.get(0).startNanos());
        assertEquals((long) n * S, p.get(p.size() - 1).endNanos());
        assertEquals(true, p.size() <= Timeline.MAX_POINTS);
    }

    @Test
    void thePointsAreACopyAndTheCallersArraysAreNotKept() {
        Timeline t = new Timeline(1);
        long[] e = {5 * S};
        long[] mine = {2};
        t.add(0, S, e, mine, 3);
        e[0] = 0;
        mine[0] = 0;
        assertEquals(5 * S, t.points().get(0).nanoJoules()[0]);
        assertEquals(2, t.points().get(0).processNanoJoules()[0]);
        assertThrows(UnsupportedOperationException.class, () -> t.points().clear());
    }

    @Test
    void anEmptyStretchHasNoPower() {
        Timeline.Point p = new Timeline.Point(S, S, new long[]{7}, new long[]{7}, 0);
        assertEquals(0.0, p.watts(0));
        Timeline.Point q = new Timeline.Point(S, 3 * S, new long[]{8 * S}, new long[]{0}, 0);
        assertEquals(4.0, q.watts(0), 1e-12);
    }
}

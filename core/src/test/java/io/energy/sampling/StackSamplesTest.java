package io.energy.sampling;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** A harvest's samples: counts per stack, growing past its first array, merged with a later harvest. */
class StackSamplesTest {
    private static Stack stack(int id) {
        return new Stack(ThreadKind.JAVA, new int[]{id});
    }

    @Test
    void stacksWithoutSamplesAreNotKept() {
        StackSamples s = new StackSamples(10);
        s.add(stack(1), 0);
        s.add(stack(2), -3);
        assertEquals(0, s.size());
        assertEquals(0, s.total());
        s.add(stack(3), 1);
        assertEquals(1, s.size());
        assertEquals(1, s.total());
    }

    @Test
    void manyStacksKeepTheirOwnCountsPastTheFirstArray() {
        StackSamples s = new StackSamples(10);
        Stack[] made = new Stack[40];
        for (int i = 0; i < 40; i++) {
            made[i] = stack(i);
            s.add(made[i], i + 1);
        }
        assertEquals(40, s.size());
        for (int i = 0; i < 40; i++) {
            assertSame(made[i], s.stack(i));
            assertEquals(i + 1, s.count(i));
        }
        assertEquals(40 * 41 / 2, s.total());
        assertEquals(10, s.periodNanos());
    }

    @Test
    void anotherHarvestIsAppendedWithItsCounts() {
        StackSamples a = new StackSamples(10);
        StackSamples b = new StackSamples(10);
        Stack x = stack(1);
        Stack y = stack(2);
        a.add(x, 4);
        b.add(y, 3);
        b.add(x, 5);
        a.addAll(b);
        assertEquals(3, a.size());
        assertEquals(4 + 3 + 5, a.total());
        assertSame(y, a.stack(1));
        assertEquals(3, a.count(1));
        assertSame(x, a.stack(2));
        assertEquals(5, a.count(2));
        a.addAll(new StackSamples(10));
        assertEquals(3, a.size(), "an empty harvest adds nothing");
    }
}

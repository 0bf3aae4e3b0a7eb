package io.energy.attribute;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SplitTest {
    private static final Random RANDOM = new Random(11);

    @Test
    void partsFollowTheWeightsAndAddUpExactly() {
        assertArrayEquals(new long[]{50, 25, 25}, Split.proportional(100, new long[]{2, 1, 1}));
        assertArrayEquals(new long[]{34, 33, 33}, Split.proportional(100, new long[]{1, 1, 1}));
    }

    @Test
    void zeroWeightsGetNothingAndAllZeroWeightsAreReportedToTheCaller() {
        assertArrayEquals(new long[]{0, 7}, Split.proportional(7, new long[]{0, 3}));
        assertNull(Split.proportional(7, new long[]{0, 0}));
    }

    @RepeatedTest(200)
    void anyAmountAndWeightsSplitWithoutLosingOrMakingANanojoule() {
        int n = 1 + RANDOM.nextInt(50);
        long[] w = new long[n];
        for (int i = 0; i < n; i++) {
            w[i] = RANDOM.nextInt(4) == 0 ? 0 : (long) (RANDOM.nextDouble() * Math.pow(10, RANDOM.nextInt(13)));
        }
        w[RANDOM.nextInt(n)] = 1 + RANDOM.nextInt(1000);
        long total = (long) (RANDOM.nextDouble() * Math.pow(10, RANDOM.nextInt(16)));
        long[] parts = Split.proportional(total, w);
        long sum = 0;
        double wsum = 0;
        for (long v : w) {
            wsum += v;
        }
        for (int i = 0; i < n; i++) {
            assertTrue(parts[i] >= 0);
            if (w[i] == 0) {
                assertEquals(0, parts[i]);
            }
            assertTrue(Math.abs(parts[i] - total * (w[i] / wsum)) <= 1.0 + total * 1e-12, "part off by more than 1");
            sum += parts[i];
        }
        assertEquals(total, sum);
    }
}

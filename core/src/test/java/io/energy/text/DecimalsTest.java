package io.energy.text;

import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Numbers come out character for character as {@code String.format(Locale.ROOT, "%.Nf")} makes them (the CSV's, the estimate's description). */
class DecimalsTest {
    private static void same(double v, int decimals) {
        assertEquals(String.format(Locale.ROOT, "%." + decimals + "f", v), Decimals.fixed(v, decimals),
                "value " + v + " (" + Double.toString(v) + ")");
    }

    @Test
    void edgeCases() {
        double[] values = {0.0, -0.0, 1.0, -1.0, 0.5, 1e-9, 5e-10, -5e-10, 4.9e-10, 1.5e-9, 2.5e-9, 1.0000000005,
            0.0000000015, 123456.0000000005, 1e-12, -1e-12, 1e-5, 1.0E-4, 9.9999999995, 0.9999999995, 1e15, 1.5e16,
            123456789.123456789, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, 1e300, 7.00000000049,
            Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (double v : values) {
            same(v, 9);
            same(v, 3);
        }
    }

    @Test
    void randomValuesOfEveryMagnitude() {
        SplittableRandom r = new SplittableRandom(12);
        for (int i = 0; i < 200_000; i++) {
            double v = r.nextDouble() * Math.pow(10, r.nextInt(-14, 14)) * (r.nextBoolean() ? 1 : -1);
            same(v, 9);
            if (i % 4 == 0) {
                same(v, 3);
                // Quotients like the writer's (nanojoules / 1e9), which land near ties.
                same(Math.round(v * 1e6) / 1e9, 9);
            }
        }
    }
}

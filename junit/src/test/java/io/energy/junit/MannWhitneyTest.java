package io.energy.junit;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rank test against values known independently: published exact tail probabilities, and simulated data
 * whose distributions are known, so the false-alarm rate under "no change" can be counted.
 */
class MannWhitneyTest {
    @Test
    void exactTailProbabilitiesMatchTheTablesForSmallSamples() {
        // all three b above all three a: 1 arrangement of C(6,3) = 20
        assertEquals(1.0 / 20, MannWhitney.pGreater(new double[] {1, 2, 3}, new double[] {4, 5, 6}), 1e-12);
        // m = n = 4, U = 16 of 16: 1/70; U >= 15: 2/70
        assertEquals(1.0 / 70, MannWhitney.exactUpper(4, 4, 16), 1e-12);
        assertEquals(2.0 / 70, MannWhitney.exactUpper(4, 4, 15), 1e-12);
        // m = n = 5, P(U >= 21) = P(U <= 4) = 12/252 (Mann & Whitney 1947, table I: 0.048)
        assertEquals(12.0 / 252, MannWhitney.exactUpper(5, 5, 21), 1e-12);
        // nothing larger: p = 1
        assertEquals(1.0, MannWhitney.pGreater(new double[] {4, 5, 6}, new double[] {1, 2, 3}), 1e-12);
    }

    @Test
    void theNormalApproximationAgreesWithTheExactValueForLargerSamples() {
        SplittableRandom r = new SplittableRandom(1);
        double[] a = new double[40];
        double[] b = new double[40];
        for (int i = 0; i < 40; i++) {
            a[i] = r.nextDouble();
            b[i] = r.nextDouble() + 0.3;
        }
        double approx = MannWhitney.pGreater(a, b); // 1600 pairs: exact
        double[] a2 = a.clone();
        a2[0] = b[0]; // one tie: normal approximation
        double withTie = MannWhitney.pGreater(a2, b);
        assertTrue(approx < 0.01, "a 0.3 shift of uniform(0,1) over 40 draws is clear: p=" + approx);
        assertEquals(approx, withTie, Math.max(0.3 * approx, 1e-4));
    }

    @Test
    void withNoChangeTheBaselineGateRaisesAlmostNoAlarmsAndItCatchesADoubling() {
        // per-repetition joules: log-normal noise of 15% plus a quantisation to 10 ms of CPU at 2.76 W, as on
        // the build machines; 10 repetitions against 10.
        SplittableRandom r = new SplittableRandom(42);
        int trials = 4000;
        int alarms = 0;
        int caught = 0;
        for (int t = 0; t < trials; t++) {
            double[] base = sample(r, 10, 0.15);
            double[] same = sample(r, 10, 0.15);
            double[] twice = sample(r, 10, 0.15);
            for (int i = 0; i < twice.length; i++) {
                twice[i] *= 2;
            }
            Baseline b = Baseline.of(java.util.Map.of("t", base));
            alarms += b.compare("t", same, 0.01, 0.10, true).regression() ? 1 : 0;
            caught += b.compare("t", twice, 0.01, 0.10, true).regression() ? 1 : 0;
        }
        double falseAlarmRate = (double) alarms / trials;
        assertTrue(falseAlarmRate <= 0.01, "false alarms " + falseAlarmRate);
        assertTrue(caught >= 0.99 * trials, "caught " + caught + " of " + trials);
        System.out.printf("simulated: false alarms %d of %d (%.2f%%), doublings caught %d of %d%n", alarms, trials,
                100.0 * alarms / trials, caught, trials);
    }

    @Test
    void aSignificantShiftSmallerThanTheThresholdIsNotARegression() {
        SplittableRandom r = new SplittableRandom(7);
        double[] base = sample(r, 30, 0.01);
        double[] now = sample(r, 30, 0.01);
        for (int i = 0; i < now.length; i++) {
            now[i] *= 1.05;
        }
        Baseline b = Baseline.of(java.util.Map.of("t", base));
        Baseline.Verdict v = b.compare("t", now, 0.01, 0.10, false);
        assertTrue(v.p() < 1e-6, "5% on 1% noise is significant: " + v.describe());
        assertEquals("no significant change", v.outcome(), v.describe());
        assertEquals("regression", b.compare("t", now, 0.01, 0.03, false).outcome());
    }

    @Test
    void tooFewRepetitionsAreNotCompared() {
        Baseline b = Baseline.of(java.util.Map.of("t", new double[] {1, 1.1, 0.9, 1}));
        Baseline.Verdict v = b.compare("t", new double[] {5}, 0.01, 0.1, false);
        assertEquals("too few repetitions", v.outcome());
        assertTrue(v.describe().contains("use @RepeatedTest"), v.describe());
    }

    static double[] sample(SplittableRandom r, int n, double sigma) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double cpuMs = 150 * Math.exp(sigma * gaussian(r));
            v[i] = Math.floor(cpuMs / 10 + r.nextDouble()) * 10 / 1000 * 2.76;
        }
        return v;
    }

    static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}

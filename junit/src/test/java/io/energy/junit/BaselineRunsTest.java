package io.energy.junit;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whole runs move: repetitions within one build share its conditions. Simulated data with a known run effect
 * (each run's level drawn apart from its repetitions' noise) shows what the run-level test is for.
 */
class BaselineRunsTest {
    @Test
    void studentsTMatchesTheTables() {
        assertEquals(0.99, StudentT.cdf(6.965, 2), 1e-4);
        assertEquals(0.95, StudentT.cdf(2.015, 5), 1e-4);
        assertEquals(0.975, StudentT.cdf(2.228, 10), 1e-4);
        assertEquals(0.5, StudentT.cdf(0, 3), 1e-12);
        assertEquals(0.01, StudentT.cdf(-3.747, 4), 1e-4);
        assertEquals(0.975, StudentT.cdf(1.96, 1e6), 1e-4);
    }

    @Test
    void aRunThatMovesAsMuchAsTheBaselinesRunsDoIsNotARegression() {
        // four baseline runs at 0.85, 1.0, 1.15, 0.95 J (3% noise within each); the new run at 1.2 J
        SplittableRandom r = new SplittableRandom(3);
        List<double[]> runs = new ArrayList<>();
        for (double level : new double[] {0.85, 1.0, 1.15, 0.95}) {
            runs.add(run(r, level, 0.03, 10));
        }
        Baseline b = Baseline.ofRuns(Map.of("t", runs));
        double[] now = run(r, 1.2, 0.03, 10);
        Baseline.Verdict v = b.compare("t", now, 0.01, 0.10, true);
        assertTrue(v.p() < 1e-4, "the repetitions alone say 'larger': " + v.describe());
        assertTrue(v.change() > 0.10, v.describe());
        assertTrue(v.pRuns() > 0.01, v.describe());
        assertEquals("no significant change", v.outcome(), v.describe());
        assertTrue(v.describe().contains("against the spread of 4 baseline runs"), v.describe());
        // twice as much is beyond the runs' spread
        Baseline.Verdict twice = b.compare("t", run(r, 2.0, 0.03, 10), 0.01, 0.10, true);
        assertEquals("regression", twice.outcome(), twice.describe());
    }

    @Test
    void withRunEffectsTheRunLevelTestKeepsFalseAlarmsNearAlphaWhereRepetitionsAloneDoNot() {
        // run level: log-normal 10%; repetitions: 5%; 10 repetitions per run; 5 baseline runs
        SplittableRandom r = new SplittableRandom(11);
        int trials = 2000;
        int alarmsWithRuns = 0;
        int alarmsOneRun = 0;
        int caught = 0;
        for (int t = 0; t < trials; t++) {
            List<double[]> runs = new ArrayList<>();
            for (int k = 0; k < 5; k++) {
                runs.add(run(r, level(r, 0.10), 0.05, 10));
            }
            double[] now = run(r, level(r, 0.10), 0.05, 10);
            alarmsWithRuns += Baseline.ofRuns(Map.of("t", runs)).compare("t", now, 0.01, 0.10, true).regression() ? 1 : 0;
            alarmsOneRun += Baseline.of(Map.of("t", runs.get(0))).compare("t", now, 0.01, 0.10, true).regression()
                    ? 1 : 0;
            double[] twice = run(r, 2 * level(r, 0.10), 0.05, 10);
            caught += Baseline.ofRuns(Map.of("t", runs)).compare("t", twice, 0.01, 0.10, true).regression() ? 1 : 0;
        }
        System.out.printf("run effects: false alarms %d of %d with 5 baseline runs, %d of %d against one run; "
                + "doublings caught %d of %d%n", alarmsWithRuns, trials, alarmsOneRun, trials, caught, trials);
        assertTrue(alarmsWithRuns <= 0.015 * trials, "with runs: " + alarmsWithRuns);
        assertTrue(alarmsOneRun >= 0.05 * trials, "one run should show the problem: " + alarmsOneRun);
        assertTrue(caught >= 0.90 * trials, "caught " + caught);
    }

    @Test
    void withFewerThanThreeRunsTheVerdictSaysTheRunToRunVariationIsNotTested() {
        Baseline b = Baseline.ofRuns(Map.of("t", List.of(new double[] {1, 1.01, 0.99}, new double[] {1, 1.02, 0.98})));
        Baseline.Verdict v = b.compare("t", new double[] {2, 2.02, 1.98}, 0.05, 0.10, false);
        assertEquals("regression", v.outcome(), v.describe());
        assertTrue(v.describe().contains("run-to-run variation not tested (2 baseline runs: store 3 or more)"),
                v.describe());
    }

    static double level(SplittableRandom r, double sigma) {
        return Math.exp(sigma * MannWhitneyTest.gaussian(r));
    }

    static double[] run(SplittableRandom r, double level, double sigma, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = level * Math.exp(sigma * MannWhitneyTest.gaussian(r));
        }
        return v;
    }
}

package io.energy.metrics;

import io.energy.report.EnergyProfile;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The numbers the endpoint exports, from hand-built profiles whose joules are known: carried across a
 * reconfiguration, never backwards, bounded cardinality with the rest in "other".
 */
class EnergyMetricsTest {
    private static final long J = 1_000_000_000L;

    @Test
    void countersCarryOnAcrossAReconfigurationAndNeverGoBackwards() {
        AtomicReference<EnergyProfile> now = new AtomicReference<>(Profiles.flat(Map.of("a.A.run", 5 * J), 5 * J));
        EnergyMetrics m = new EnergyMetrics(50, 1_000L, now::get);
        assertEquals(5.0, self(m.collect(), "a.A.run"));
        assertEquals(10.0, measured(m.collect()));

        // The first session ends with 6 J in the method and 12 J measured; the second starts from zero.
        m.carryOver(Profiles.flat(Map.of("a.A.run", 6 * J), 6 * J));
        now.set(Profiles.flat(Map.of("a.A.run", 1 * J), 1 * J));
        assertEquals(7.0, self(m.collect(), "a.A.run"), "6 J carried + 1 J of the new session");
        assertEquals(14.0, measured(m.collect()));

        // A profile that reads lower than before (a source anomaly, a correction) must not pull a counter down.
        now.set(Profiles.flat(Map.of("a.A.run", J / 2), J / 2));
        assertEquals(7.0, self(m.collect(), "a.A.run"));
        assertEquals(14.0, measured(m.collect()));
        now.set(Profiles.flat(Map.of("a.A.run", 3 * J), 2 * J));
        assertEquals(9.0, self(m.collect(), "a.A.run"));
        assertEquals(17.0, measured(m.collect()));
    }

    @Test
    void energyWaitingForStackSamplesIsAGaugeNotUnattributedSoNoCounterHoldsWhatTheHarvestMovesToMethods() {
        // Between two harvests 3 J wait in (unattributed); the harvest moves them to a.A.run. Had the counter shown
        // them, it could not give them back: (unattributed) would stay at 3 J for good and the self series would
        // add up to 3 J more than was measured.
        AtomicReference<EnergyProfile> now = new AtomicReference<>(Profiles.betweenHarvests("a.A.run", 2 * J, 3 * J));
        EnergyMetrics m = new EnergyMetrics(50, 1_000L, now::get);
        MetricSnapshots before = m.collect();
        assertEquals(2.0, self(before, "a.A.run"));
        assertEquals(0.0, self(before, "(unattributed)"));
        assertEquals(3.0, gauge(before, "energy_pending_joules"));
        assertEquals(5.0, measured(before));

        now.set(Profiles.betweenHarvests("a.A.run", 5 * J, 0));
        MetricSnapshots after = m.collect();
        assertEquals(5.0, self(after, "a.A.run"));
        assertEquals(0.0, self(after, "(unattributed)"));
        assertEquals(0.0, gauge(after, "energy_pending_joules"));
        assertEquals(measured(after), self(after, "a.A.run") + self(after, "(unattributed)"), 1e-9,
                "the self series add up to what was measured");
    }

    @Test
    void energyStillPendingWhenASessionEndsStaysInUnattributedAcrossTheReconfiguration() {
        // The first session ends with 2 J on a method and 3 J that never got samples: no harvest will come for them.
        AtomicReference<EnergyProfile> now = new AtomicReference<>(Profiles.betweenHarvests("a.A.run", 2 * J, 3 * J));
        EnergyMetrics m = new EnergyMetrics(50, 1_000L, now::get);
        m.collect();
        m.carryOver(Profiles.betweenHarvests("a.A.run", 2 * J, 3 * J));
        now.set(Profiles.betweenHarvests("a.A.run", 1 * J, 0));
        MetricSnapshots s = m.collect();
        assertEquals(3.0, self(s, "a.A.run"));
        assertEquals(3.0, self(s, "(unattributed)"), "the ended session's pending energy, carried");
        assertEquals(measured(s), self(s, "a.A.run") + self(s, "(unattributed)") + gauge(s, "energy_pending_joules"), 1e-9);
    }

    @Test
    void pendingEnergyIsKeptOutOfOtherToWhenUnattributedHasNoSeriesOfItsOwn() {
        // One series only (the method): (unattributed) is summed into method="other", still without the pending part.
        AtomicReference<EnergyProfile> now = new AtomicReference<>(Profiles.betweenHarvests("a.A.run", 2 * J, 3 * J));
        EnergyMetrics m = new EnergyMetrics(1, 1_000L, now::get);
        MetricSnapshots s = m.collect();
        assertEquals(2.0, self(s, "a.A.run"));
        assertEquals(0.0, self(s, "other"));
        assertEquals(3.0, gauge(s, "energy_pending_joules"));
        now.set(Profiles.betweenHarvests("a.A.run", 5 * J, 0));
        assertEquals(0.0, self(m.collect(), "other"), "nothing held back at a high-water mark");
    }

    static double gauge(MetricSnapshots s, String name) {
        for (io.prometheus.metrics.model.snapshots.MetricSnapshot x : s) {
            if (x.getMetadata().getName().equals(name.replaceAll("_joules$", "")) || x.getMetadata().getName().equals(name)) {
                return ((io.prometheus.metrics.model.snapshots.GaugeSnapshot) x).getDataPoints().get(0).getValue();
            }
        }
        throw new AssertionError("no gauge " + name);
    }

    @Test
    void onlyTheTopMethodsHaveTheirOwnSeriesAndTheRestAddUpInOther() {
        Map<String, Long> self = new LinkedHashMap<>();
        long sum = 0;
        for (int i = 1; i <= 200; i++) {
            self.put("p.C.m" + i, i * 1_000_000L); // m200 costs most
            sum += i * 1_000_000L;
        }
        EnergyMetrics m = new EnergyMetrics(10, 1_000L, () -> Profiles.flat(self, 0));
        MetricSnapshots s = m.collect();
        List<String> methods = methodLabels(s, "self");
        assertEquals(11, methods.size(), "10 methods and other: " + methods);
        for (int i = 191; i <= 200; i++) {
            assertTrue(methods.contains("p.C.m" + i), methods.toString());
        }
        long top = 0;
        for (int i = 191; i <= 200; i++) {
            top += i * 1_000_000L;
        }
        assertEquals((sum - top) / 1e9, self(s, EnergyMetrics.OTHER), 1e-9);
        double all = 0;
        for (String name : methods) {
            all += self(s, name);
        }
        assertEquals(sum / 1e9, all, 1e-9, "own series and other add up to every method's self energy");
        assertEquals(11, methodLabels(s, "inclusive").size());
    }

    @Test
    void aMethodKeepsItsSeriesSoOtherNeverFallsWhenTheRankingChanges() {
        AtomicReference<EnergyProfile> now = new AtomicReference<>(
                Profiles.flat(Map.of("x.A.a", 3 * J, "x.A.b", 2 * J, "x.A.c", J), 0));
        EnergyMetrics m = new EnergyMetrics(2, 1_000L, now::get);
        assertEquals(1.0, self(m.collect(), EnergyMetrics.OTHER));
        // c becomes the hottest: if it moved out of other, other would fall from 1 J to 0.
        now.set(Profiles.flat(Map.of("x.A.a", 3 * J, "x.A.b", 2 * J, "x.A.c", 10 * J), 0));
        MetricSnapshots s = m.collect();
        assertEquals(10.0, self(s, EnergyMetrics.OTHER));
        assertNull(selfOrNull(s, "x.A.c"));
        assertEquals(3.0, self(s, "x.A.a"));
    }

    @Test
    void aMethodThatHasCostNothingYetTakesNoPlace() {
        AtomicReference<EnergyProfile> now = new AtomicReference<>(
                Profiles.flat(Map.of("x.Args.parse", 0L, "x.A.hot", 0L), 0));
        EnergyMetrics m = new EnergyMetrics(1, 1_000L, now::get);
        assertEquals(List.of(EnergyMetrics.OTHER), methodLabels(m.collect(), "self"));
        now.set(Profiles.flat(Map.of("x.Args.parse", 0L, "x.A.hot", 4 * J), 0));
        assertEquals(java.util.Set.of("x.A.hot", EnergyMetrics.OTHER), java.util.Set.copyOf(methodLabels(m.collect(), "self")));
    }

    @Test
    void openMetricsCarriesUnitsCreatedTimestampsAndTheEnd() throws Exception {
        EnergyMetrics m = new EnergyMetrics(50, 1_700_000_000_000L, () -> Profiles.flat(Map.of("a.A.run", J), 2 * J));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OpenMetricsTextFormatWriter.builder().setCreatedTimestampsEnabled(true).build().write(out, m.collect());
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("# UNIT energy_joules joules"), text);
        assertTrue(text.contains("energy_joules_created{domain=\"package:0\",kind=\"measured\"} 1700000000.000"), text);
        assertTrue(text.contains("# TYPE energy_power_watts gauge"), text);
        assertTrue(text.endsWith("# EOF\n"), text);
        assertFalse(text.contains("NaN"), "no sampler period known yet: no gauge rather than NaN\n" + text);
    }

    static double measured(MetricSnapshots s) {
        for (CounterSnapshot.CounterDataPointSnapshot p : counter(s, "energy_joules").getDataPoints()) {
            if (p.getLabels().get("kind").equals("measured")) {
                return p.getValue();
            }
        }
        throw new AssertionError("no measured series");
    }

    static double self(MetricSnapshots s, String method) {
        Double v = selfOrNull(s, method);
        if (v == null) {
            throw new AssertionError("no self series for " + method + ": " + methodLabels(s, "self"));
        }
        return v;
    }

    static Double selfOrNull(MetricSnapshots s, String method) {
        for (CounterSnapshot.CounterDataPointSnapshot p : counter(s, "energy_method_joules").getDataPoints()) {
            if (p.getLabels().get("kind").equals("self") && p.getLabels().get("method").equals(method)) {
                return p.getValue();
            }
        }
        return null;
    }

    static List<String> methodLabels(MetricSnapshots s, String kind) {
        List<String> out = new ArrayList<>();
        for (CounterSnapshot.CounterDataPointSnapshot p : counter(s, "energy_method_joules").getDataPoints()) {
            if (p.getLabels().get("kind").equals(kind)) {
                out.add(p.getLabels().get("method"));
            }
        }
        return out;
    }

    static CounterSnapshot counter(MetricSnapshots s, String name) {
        for (MetricSnapshot m : s) {
            if (m.getMetadata().getName().equals(name)) {
                return (CounterSnapshot) m;
            }
        }
        throw new AssertionError("no metric " + name);
    }
}

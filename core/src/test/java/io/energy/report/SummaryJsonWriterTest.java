package io.energy.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * energy-summary.json from small hand-built profiles (docs/formats.md is the schema): each method's and each call
 * frame's figures, the windows, and the fields around them. The numbers are chosen so that every figure differs
 * from the others and from 0, and bounds come out round (3-4-5): a field left out or in the wrong unit shows.
 */
class SummaryJsonWriterTest {
    private static final String HANDLE = "com.acme.App.handle";
    private static final String QUERY = "com.acme.Db.query";
    private static final boolean[] BOTH = {true, true};

    private static EnergyProfile.Node node(String name, EnergyProfile.Kind kind, long calls, long wallNanos,
                                           long cpuNanos, long[] nanoJoules, double[] selfBound,
                                           double[] inclusiveBound, EnergyProfile.Node... children) {
        return new EnergyProfile.Node(name, "", "", "()V", kind, calls, wallNanos, cpuNanos, nanoJoules, selfBound,
                List.of(children), BOTH, inclusiveBound);
    }

    /** The ledger's own inclusive bounds (as with a stack sampler), so a method's bound is the one given here. */
    private static EnergyProfile.Node root() {
        EnergyProfile.Node query = node(QUERY, EnergyProfile.Kind.METHOD, 7, 10_000_000L, 6_000_000L,
                new long[]{500_000_000L, 250_000_000L}, new double[]{0.03, 0.04}, new double[]{0.03, 0.04});
        EnergyProfile.Node handle = node(HANDLE, EnergyProfile.Kind.METHOD, 3, 40_000_000L, 30_000_000L,
                new long[]{2_000_000_000L, 1_000_000_000L}, new double[]{0.3, 0.4}, new double[]{0.6, 0.8}, query);
        EnergyProfile.Node idle = node("(static/idle)", EnergyProfile.Kind.BUCKET, 0, 0, 0,
                new long[]{1_000_000_000L, 0}, new double[]{0, 0}, new double[]{0, 0});
        return node("all", EnergyProfile.Kind.ROOT, 0, 0, 0, new long[]{0, 0}, new double[]{0, 0},
                new double[]{0, 0}, idle, handle);
    }

    /** package:0 holds 3.5 J (1 J of it idle), gpu:0 1.25 J: 4.75 J in all. */
    private static final List<EnergyProfile.DomainTotal> DOMAINS = List.of(
            new EnergyProfile.DomainTotal("package:0", "package", 0, false, 1_000_000L, "rapl intel-rapl:0",
                    3_500_000_000L, 1_000_000_000L, 0, 2_500_000_000L),
            new EnergyProfile.DomainTotal("gpu:0", "gpu", 0, false, 100_000_000L, "nvml",
                    1_250_000_000L, 0, 0, 1_250_000_000L));

    private static final EnergyProfile.Health HEALTH =
            new EnergyProfile.Health(0, 0, 0, 5_000_000L, 1_000_000L, 900_000_000L, 2, 1, 4);

    private static EnergyProfile profile(List<EnergyProfile.DomainTotal> domains, EnergyProfile.Node root,
                                         EnergyProfile.Health health, List<String> notes) {
        return new EnergyProfile(EnergyProfile.SCHEMA_VERSION, "0.9.1", 1_700_000_000_000L, 2_000_000_000L,
                "rapl+nvml", false, domains, root, List.of(), health, notes, "async-profiler");
    }

    private static JsonNode summary(EnergyProfile p) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new SummaryJsonWriter().write(p, out);
        return new ObjectMapper().readTree(out.toByteArray());
    }

    private static Map<String, JsonNode> byName(JsonNode list) {
        Map<String, JsonNode> m = new HashMap<>();
        for (JsonNode n : list) {
            m.put(n.get("name").asText(), n);
        }
        return m;
    }

    @Test
    void theSummaryCarriesTheRunTheUnitEachDomainsIdentityTheLedgerTotalAndTheNotes() throws IOException {
        JsonNode s = summary(profile(DOMAINS, root(), HEALTH, List.of("first note", "second note")));
        assertEquals(1, s.get("schemaVersion").asInt());
        assertEquals("async-profiler", s.get("sampler").asText());
        assertEquals("J", s.get("unit").asText());
        assertEquals("package:0", s.at("/domains/0/key").asText());
        assertEquals("nvml", s.at("/domains/1/origin").asText());
        assertEquals(4_750_000_000L, s.at("/totals/measuredNanoJoules").asLong());
        assertEquals(4_750_000_000L, s.at("/totals/ledgerNanoJoules").asLong(), "every frame of the tree added up");
        assertEquals(4, s.at("/health/callPaths").asInt());
        List<String> notes = new ArrayList<>();
        s.get("notes").forEach(n -> notes.add(n.asText()));
        assertEquals(List.of("first note", "second note"), notes);
    }

    @Test
    void eachMethodCarriesItsTimesEnergiesAndBoundsInTotalAndPerDomain() throws IOException {
        JsonNode s = summary(profile(DOMAINS, root(), HEALTH, List.of()));
        assertEquals(HANDLE, s.at("/methods/0/name").asText(), "most self energy first");
        assertEquals(QUERY, s.at("/methods/1/name").asText());
        assertEquals(2, s.get("methods").size(), "buckets are not methods");
        JsonNode h = byName(s.get("methods")).get(HANDLE);
        assertEquals(3, h.get("calls").asLong());
        assertEquals(50.0, h.get("wallMs").asDouble(), 1e-9, "callees included");
        assertEquals(36.0, h.get("cpuMs").asDouble(), 1e-9, "callees included");
        assertEquals(30.0, h.get("selfCpuMs").asDouble(), 1e-9, "itself on top of the stack");
        assertEquals(3.0, h.get("selfJ").asDouble(), 1e-12);
        assertEquals(0.5, h.get("selfBoundJ").asDouble(), 1e-12, "0.3 and 0.4 in quadrature");
        assertEquals(3.75, h.get("inclusiveJ").asDouble(), 1e-12);
        assertEquals(1.0, h.get("inclusiveBoundJ").asDouble(), 1e-12, "0.6 and 0.8 in quadrature");
        assertEquals(3.0 / 4.75, h.get("share").asDouble(), 1e-12);
        assertEquals(2.0, h.at("/domains/package:0/selfJ").asDouble(), 1e-12);
        assertEquals(0.3, h.at("/domains/package:0/selfBoundJ").asDouble(), 1e-12);
        assertEquals(2.5, h.at("/domains/package:0/inclusiveJ").asDouble(), 1e-12);
        assertEquals(0.6, h.at("/domains/package:0/inclusiveBoundJ").asDouble(), 1e-12);
        assertEquals(1.0, h.at("/domains/gpu:0/selfJ").asDouble(), 1e-12);
        assertEquals(0.4, h.at("/domains/gpu:0/selfBoundJ").asDouble(), 1e-12);
        assertEquals(1.25, h.at("/domains/gpu:0/inclusiveJ").asDouble(), 1e-12);
        assertEquals(0.8, h.at("/domains/gpu:0/inclusiveBoundJ").asDouble(), 1e-12);
        JsonNode idle = byName(s.get("buckets")).get("(static/idle)");
        assertEquals(1.0, idle.get("selfJ").asDouble(), 1e-12);
    }

    @Test
    void aStoppedMethodCarriesWhenAndWhyCountingStopped() throws IOException {
        EnergyProfile.CountingStopped stop = new EnergyProfile.CountingStopped(QUERY, 1.25, 348_395, 0.0055,
                "counting cost 0.55% of the CPU");
        EnergyProfile.Overhead o = new EnergyProfile.Overhead(0.01, 30, 1e6, List.of(stop), 0);
        EnergyProfile.Health h = new EnergyProfile.Health(0, 0, 0, 0, 0, 0, 2, 1, 4, 0, o, 0, 0, 0, 0);
        Map<String, JsonNode> m = byName(summary(profile(DOMAINS, root(), h, List.of())).get("methods"));
        JsonNode c = m.get(QUERY).get("countingStopped");
        assertEquals(QUERY, c.get("method").asText());
        assertEquals(1.25, c.get("atSeconds").asDouble(), 1e-12);
        assertEquals(348_395.0, c.get("callsPerSecond").asDouble(), 1e-9);
        assertEquals(0.0055, c.get("costShare").asDouble(), 1e-12);
        assertEquals("counting cost 0.55% of the CPU", c.get("reason").asText());
        assertEquals(7, m.get(QUERY).get("calls").asLong(), "the calls counted until then");
        assertFalse(m.get(HANDLE).has("countingStopped"), "only on the method whose counting stopped");
    }

    @Test
    void aRunThatMeasuredNoEnergyGivesEveryMethodAShareOfZeroNotNaN() throws IOException {
        EnergyProfile.Node idle = node(HANDLE, EnergyProfile.Kind.METHOD, 1, 1_000_000L, 1_000_000L,
                new long[]{0, 0}, new double[]{0, 0}, new double[]{0, 0});
        EnergyProfile.Node root = node("all", EnergyProfile.Kind.ROOT, 0, 0, 0, new long[]{0, 0},
                new double[]{0, 0}, new double[]{0, 0}, idle);
        List<EnergyProfile.DomainTotal> none = List.of(
                new EnergyProfile.DomainTotal("package:0", "package", 0, false, 1_000_000L, "rapl", 0, 0, 0, 0),
                new EnergyProfile.DomainTotal("gpu:0", "gpu", 0, false, 1_000_000L, "nvml", 0, 0, 0, 0));
        JsonNode share = summary(profile(none, root, HEALTH, List.of())).at("/methods/0/share");
        assertTrue(share.isNumber(), "a number, not the string NaN: " + share);
        assertEquals(0.0, share.asDouble());
    }

    @Test
    void theCallTreeGivesEachFrameItsKindCallsSelfTimeAndEnergiesInDomainOrder() throws IOException {
        JsonNode t = summary(profile(DOMAINS, root(), HEALTH, List.of())).get("callTree");
        assertEquals("all", t.get("name").asText());
        assertEquals("root", t.get("kind").asText());
        assertEquals(4.75, t.get("inclusiveJ").asDouble(), 1e-12);
        assertEquals("bucket", t.at("/children/0/kind").asText());
        JsonNode h = t.at("/children/1");
        assertEquals(HANDLE, h.get("name").asText());
        assertEquals("method", h.get("kind").asText());
        assertEquals(3, h.get("calls").asLong());
        assertEquals(40.0, h.get("selfWallMs").asDouble(), 1e-9, "its own time, not its callee's");
        assertEquals(3.0, h.get("selfJ").asDouble(), 1e-12);
        assertEquals(3.75, h.get("inclusiveJ").asDouble(), 1e-12);
        assertEquals("[2000000000,1000000000]", h.get("selfNanoJoules").toString(), "package:0, then gpu:0");
        JsonNode q = h.at("/children/0");
        assertEquals(QUERY, q.get("name").asText());
        assertEquals("[500000000,250000000]", q.get("selfNanoJoules").toString());
        assertFalse(q.has("children"), "absent on a leaf");
    }

    // ---- measurement windows: package:0 adds up, core:0 lies inside it and does not ----

    private static final List<EnergyProfile.DomainTotal> PACKAGE_AND_CORE = List.of(
            new EnergyProfile.DomainTotal("package:0", "package", 0, false, 1_000_000L, "rapl intel-rapl:0",
                    3_500_000_000L, 1_000_000_000L, 0, 2_500_000_000L),
            new EnergyProfile.DomainTotal("core:0", "core", 0, false, 1_000_000L, "rapl intel-rapl:0:0",
                    1_250_000_000L, 0, 0, 1_250_000_000L));

    private static EnergyProfile.Window window(String label, long cpuNanos, long[] process, double[] bound,
                                               long[] machine) {
        return new EnergyProfile.Window(label, "main", 1_500_000_000L, 250_000_000L, cpuNanos, true, process, bound,
                machine);
    }

    private static JsonNode windows(EnergyProfile.Window... w) throws IOException {
        return windows(PACKAGE_AND_CORE, w);
    }

    private static JsonNode windows(List<EnergyProfile.DomainTotal> domains, EnergyProfile.Window... w)
            throws IOException {
        return summary(profile(domains, root(), HEALTH, List.of()).withWindows(List.of(w))).get("windows");
    }

    @Test
    void aWindowSaysWhatItCostThisProcessAndTheMachineCountingOnlyDomainsThatAddUp() throws IOException {
        JsonNode w = windows(window("checkout", 125_000_000L, new long[]{2_000_000_000L, 800_000_000L},
                new double[]{0.2, 0.05}, new long[]{6_000_000_000L, 2_000_000_000L})).get(0);
        assertEquals("checkout", w.get("label").asText());
        assertEquals("main", w.get("thread").asText());
        assertEquals(1500.0, w.get("startMs").asDouble(), 1e-9);
        assertEquals(250.0, w.get("wallMs").asDouble(), 1e-9);
        assertEquals(125.0, w.get("cpuMs").asDouble(), 1e-9);
        assertTrue(w.get("estimated").asBoolean());
        // core:0 is inside package:0: adding it would count its joules twice
        assertEquals(2.0, w.get("processJ").asDouble(), 1e-12);
        assertEquals(0.2, w.get("boundJ").asDouble(), 1e-12);
        assertEquals(6.0, w.get("machineJ").asDouble(), 1e-12);
        assertEquals(2.0, w.at("/domains/package:0/processJ").asDouble(), 1e-12);
        assertEquals(0.2, w.at("/domains/package:0/boundJ").asDouble(), 1e-12);
        assertEquals(6.0, w.at("/domains/package:0/machineJ").asDouble(), 1e-12);
        assertEquals(0.8, w.at("/domains/core:0/processJ").asDouble(), 1e-12);
        assertEquals(0.05, w.at("/domains/core:0/boundJ").asDouble(), 1e-12);
        assertEquals(2.0, w.at("/domains/core:0/machineJ").asDouble(), 1e-12);
    }

    @Test
    void aWindowWhoseCpuTimeIsUnknownSaysMinusOneAndOneThatUsedNoneSaysZero() throws IOException {
        long[] nj = {1_000_000_000L, 0};
        double[] b = {0.1, 0};
        JsonNode ws = windows(window("unknown", -1, nj, b, nj), window("idle", 0, nj, b, nj));
        assertEquals("unknown", ws.at("/0/label").asText(), "oldest first");
        assertEquals(-1.0, ws.at("/0/cpuMs").asDouble());
        assertEquals("idle", ws.at("/1/label").asText());
        assertEquals(0.0, ws.at("/1/cpuMs").asDouble(), "no CPU is not unknown CPU");
    }

    @Test
    void aWindowWithFiguresForFewerOrMoreDomainsThanTheRunShowsTheDomainsBothHave() throws IOException {
        // One figure in a run of package:0 and gpu:0 (both add up): package:0's only.
        JsonNode shorter = windows(DOMAINS,
                window("short", 1, new long[]{1_000_000_000L}, new double[]{0.1}, new long[]{3_000_000_000L})).get(0);
        assertEquals(1.0, shorter.get("processJ").asDouble(), 1e-12);
        assertEquals(0.1, shorter.get("boundJ").asDouble(), 1e-12);
        assertEquals(3.0, shorter.get("machineJ").asDouble(), 1e-12);
        assertEquals(List.of("package:0"), fieldNames(shorter.get("domains")));
        // Three figures in a run of package:0 and core:0: the third has no domain of the run to belong to.
        JsonNode longer = windows(window("long", 1, new long[]{1_000_000_000L, 2_000_000_000L, 4_000_000_000L},
                new double[]{0.1, 0.2, 0.4}, new long[]{3_000_000_000L, 5_000_000_000L, 7_000_000_000L})).get(0);
        assertEquals(1.0, longer.get("processJ").asDouble(), 1e-12, "package:0 only: core:0 is inside it");
        assertEquals(List.of("package:0", "core:0"), fieldNames(longer.get("domains")));
        assertEquals(2.0, longer.at("/domains/core:0/processJ").asDouble(), 1e-12);
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}

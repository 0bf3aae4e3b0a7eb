package io.energy.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The summary, the CSV, the collapsed stacks and the exit table, written from a hand-built profile whose every
 * number the test knows (ProfileFixtures), and read back with real parsers (issue 14: mutation testing found
 * these writers covered only by forked-JVM tests, which PIT does not run).
 */
class ReportWritersTest {
    // package:0 nJ as built by ProfileFixtures: buckets, then main, handle, parse (two paths), query.
    private static final long PKG = 6_000_000_000L + 500_000_000L + 300_000_000L + 12_345_678L + 1_000L + 7L
            + 100_000_000L + 1_200_000_000L + 400_000_001L + 150_000_000L + 250_000_003L;
    private static final long GPU = 1_000_000_000L + 3_000_000_000L;

    @TempDir
    Path dir;

    private final EnergyProfile profile = ProfileFixtures.measured();

    /** The formats of this package (the session adds energy.jfr, from report.jfr). */
    private static OutputSet writers() {
        return new OutputSet(List.of(new SummaryJsonWriter(), new MethodsCsvWriter(), new CollapsedStacksWriter(),
                new SpeedscopeWriter(), new HtmlReportWriter()));
    }

    @Test
    void aRecursiveMethodsInclusiveEnergyCountsEachNestedStretchOnceAndASecondStretchBesideItAgain() {
        // a → b → a → c on one path, and a beside it again under root: a's inclusive is its outer frame's
        // (1 + 2 + 4 + 8 = 15) plus the second top-level a (16), never the inner frame's 12 on top.
        EnergyProfile.Node inner = ProfileFixtures.method("x.A.a", 1, 0, 4, 0, ProfileFixtures.method("x.C.c", 1, 0, 8, 0));
        EnergyProfile.Node outer = ProfileFixtures.method("x.A.a", 1, 0, 1, 0, ProfileFixtures.method("x.B.b", 1, 0, 2, 0, inner));
        EnergyProfile.Node again = ProfileFixtures.method("x.A.a", 1, 0, 16, 0);
        EnergyProfile.Node root = new EnergyProfile.Node("all", "", "", "", EnergyProfile.Kind.ROOT, 0, 0, 0,
                new long[]{0, 0}, new double[]{0, 0}, List.of(outer, again), null);
        EnergyProfile base = ProfileFixtures.measured();
        EnergyProfile p = new EnergyProfile(base.schemaVersion(), base.agentVersion(), base.startEpochMillis(),
                base.durationNanos(), base.source(), base.estimated(), base.domains(), root, base.timeline(),
                base.health(), base.notes());
        Map<String, MethodStats> by = new HashMap<>();
        for (MethodStats m : p.methods()) {
            by.put(m.name(), m);
        }
        assertEquals(31, by.get("x.A.a").inclusiveNanoJoules()[0]);
        assertEquals(21, by.get("x.A.a").selfNanoJoules()[0], "self: every frame of it");
        assertEquals(3, by.get("x.A.a").calls());
        assertEquals(14, by.get("x.B.b").inclusiveNanoJoules()[0]);

        // a → [b → a(4), d → a(8)]: both inner frames are inside the outer one; leaving the first inner frame must
        // not forget the outer one (a set that drops the name at every frame's exit counts the second again).
        EnergyProfile.Node twice = ProfileFixtures.method("x.A.a", 1, 0, 1, 0,
                ProfileFixtures.method("x.B.b", 1, 0, 2, 0, ProfileFixtures.method("x.A.a", 1, 0, 4, 0)),
                ProfileFixtures.method("x.D.d", 1, 0, 8, 0, ProfileFixtures.method("x.A.a", 1, 0, 16, 0)));
        EnergyProfile q = new EnergyProfile(base.schemaVersion(), base.agentVersion(), base.startEpochMillis(),
                base.durationNanos(), base.source(), base.estimated(), base.domains(),
                new EnergyProfile.Node("all", "", "", "", EnergyProfile.Kind.ROOT, 0, 0, 0, new long[]{0, 0},
                        new double[]{0, 0}, List.of(twice), null), base.timeline(), base.health(), base.notes());
        for (MethodStats m : q.methods()) {
            if (m.name().equals("x.A.a")) {
                assertEquals(31, m.inclusiveNanoJoules()[0], "once, the outer frame's 1 + 2 + 4 + 8 + 16");
            }
        }
    }

    @Test
    void everyFileIsWrittenWholeAndNoTemporaryFileIsLeft() throws Exception {
        assertEquals(List.of(), writers().writeAll(profile, dir));
        for (String f : List.of("energy-summary.json", "energy-methods.csv", "energy.collapsed")) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        try (var files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        }
        Path notADir = dir.resolve("file");
        Files.writeString(notADir, "x");
        assertFalse(writers().writeAll(profile, notADir.resolve("out")).isEmpty(), "an unwritable place is reported");
    }

    @Test
    void theSummaryCarriesTheKnownTotalsMethodsAndBuckets() throws Exception {
        writers().writeAll(profile, dir);
        JsonNode s = new ObjectMapper().readTree(dir.resolve("energy-summary.json").toFile());
        assertEquals(PKG + GPU, s.at("/totals/measuredNanoJoules").asLong());
        assertEquals((PKG + GPU) / 1e9, s.at("/totals/measuredJ").asDouble(), 1e-9);
        assertEquals(PKG / 1e9, s.at("/domains/0/measuredJ").asDouble(), 1e-9);
        assertEquals(GPU / 1e9, s.at("/domains/1/measuredJ").asDouble(), 1e-9);
        assertEquals(6.0, s.at("/domains/0/staticIdleJ").asDouble(), 1e-9);
        assertEquals(0.5, s.at("/domains/0/otherProcessesJ").asDouble(), 1e-9);
        assertEquals((PKG - 6_500_000_000L) / 1e9, s.at("/domains/0/processJ").asDouble(), 1e-9);
        Map<String, JsonNode> m = new HashMap<>();
        for (JsonNode n : s.get("methods")) {
            m.put(n.get("name").asText(), n);
        }
        JsonNode parse = m.get(ProfileFixtures.PARSE);
        assertEquals(15, parse.get("calls").asLong(), "both paths of parse merged");
        assertEquals(0.550000001, parse.get("selfJ").asDouble(), 1e-12);
        assertEquals(0.550000001, parse.at("/domains/package:0/selfJ").asDouble(), 1e-12);
        assertEquals(0.550000001 / ((PKG + GPU) / 1e9), parse.get("share").asDouble(), 1e-12);
        JsonNode handle = m.get(ProfileFixtures.HANDLE);
        assertEquals(4.2, handle.get("selfJ").asDouble(), 1e-12);
        assertEquals(4.2 + 0.400000001 + 0.250000003, handle.get("inclusiveJ").asDouble(), 1e-9);
        assertEquals(3.0, handle.at("/domains/gpu:0/selfJ").asDouble(), 1e-12);
        assertEquals(800.0 + 300 + 200, handle.get("wallMs").asDouble(), 1e-9, "wall time includes its callees");
        double sum = 0;
        for (JsonNode n : s.get("methods")) {
            sum += n.get("selfJ").asDouble();
        }
        for (JsonNode n : s.get("buckets")) {
            sum += n.get("selfJ").asDouble();
        }
        assertEquals((PKG + GPU) / 1e9, sum, 1e-9, "methods and buckets hold every joule");
        assertEquals(ProfileFixtures.MAIN, s.at("/callTree/children/1/name").asText());
        assertEquals(4, s.at("/health/instrumentedMethods").asInt());
        assertEquals(0, s.at("/health/internalErrors").asInt());
        assertTrue(s.has("notes"));
    }

    @Test
    void withStackSamplesEachCpuDomainSaysWhatAMethodMissingFromTheProfileMayHaveUsed() throws Exception {
        EnergyProfile.Health h = profile.health();
        EnergyProfile sampled = new EnergyProfile(profile.schemaVersion(), profile.agentVersion(),
                profile.startEpochMillis(), profile.durationNanos(), profile.source(), profile.estimated(),
                profile.domains(), profile.root(), profile.timeline(), new EnergyProfile.Health(h.pathsOverCap(),
                h.callsBeyondDepth(), h.anomalies(), h.agentCpuNanos(), h.sourceReadNanos(), h.processCpuNanos(),
                h.instrumentedMethods(), h.threads(), h.pathNodes(), 0, EnergyProfile.Overhead.NONE, 0, 0, 0, 300),
                profile.notes(), "async-profiler");
        writers().writeAll(sampled, dir);
        JsonNode s = new ObjectMapper().readTree(dir.resolve("energy-summary.json").toFile());
        double processJ = s.at("/domains/0/processJ").asDouble();
        assertEquals(3 * processJ / 300, s.at("/domains/0/unsampledMethodBoundJ").asDouble(), 1e-12,
                "three samples' worth of the process's energy (rule of three, 95%)");
        assertTrue(s.at("/domains/1/unsampledMethodBoundJ").isMissingNode(), "GPU energy does not follow CPU samples");
        assertEquals(300, s.at("/health/stackSamples").asLong());

        writers().writeAll(profile, dir);
        JsonNode without = new ObjectMapper().readTree(dir.resolve("energy-summary.json").toFile());
        assertTrue(without.at("/domains/0/unsampledMethodBoundJ").isMissingNode(), "no stack samples, no such figure");
    }

    @Test
    void theCsvHasOneRowPerMethodAndBucketWithTheKnownJoules() throws Exception {
        writers().writeAll(profile, dir);
        List<String> lines = Files.readAllLines(dir.resolve("energy-methods.csv"));
        assertEquals("method,kind,calls,wall_ms,cpu_ms,self_J,self_bound_J,inclusive_J,inclusive_bound_J,"
                + "package_0_self_J,package_0_self_bound_J,package_0_inclusive_J,package_0_inclusive_bound_J,"
                + "gpu_0_self_J,gpu_0_self_bound_J,gpu_0_inclusive_J,gpu_0_inclusive_bound_J,estimated,"
                + "counting_stopped_s", lines.get(0));
        Map<String, String[]> rows = new HashMap<>();
        double sum = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            assertEquals(19, f.length, line);
            rows.put(f[0], f);
            sum += Double.parseDouble(f[5]);
        }
        assertEquals(4 + 6, rows.size(), "four methods and six buckets: " + rows.keySet());
        assertEquals((PKG + GPU) / 1e9, sum, 1e-8);
        String[] parse = rows.get(ProfileFixtures.PARSE);
        assertEquals("method", parse[1]);
        assertEquals("15", parse[2]);
        assertEquals("0.550000001", parse[5]);
        assertEquals("0.550000001", parse[9]);
        assertEquals("0.000000000", parse[13]);
        assertEquals("false", parse[17]);
        assertEquals("", parse[18], "counting never stopped");
        assertEquals("bucket", rows.get("(static/idle)")[1]);
        assertEquals("7.000000000", rows.get("(static/idle)")[5]);
        assertEquals("\"a,b\"", MethodsCsvWriter.csv("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", MethodsCsvWriter.csv("say \"hi\""));
        assertEquals("\"two\nlines\"", MethodsCsvWriter.csv("two\nlines"));
        assertEquals("plain", MethodsCsvWriter.csv("plain"));
    }

    @Test
    void theCollapsedStacksAddUpToTheTotalInMicrojoulesPathByPath() throws Exception {
        writers().writeAll(profile, dir);
        Map<String, Long> stacks = new HashMap<>();
        long sum = 0;
        for (String line : Files.readAllLines(dir.resolve("energy.collapsed"))) {
            int sp = line.lastIndexOf(' ');
            long v = Long.parseLong(line.substring(sp + 1));
            stacks.put(line.substring(0, sp), v);
            sum += v;
        }
        assertEquals(Math.round((PKG + GPU) / 1000.0), sum);
        String handle = ProfileFixtures.MAIN + ";" + ProfileFixtures.HANDLE;
        assertEquals(4_200_000L, stacks.get(handle));
        assertEquals(400_000L, stacks.get(handle + ";" + ProfileFixtures.PARSE));
        assertEquals(150_000L, stacks.get(ProfileFixtures.MAIN + ";" + ProfileFixtures.PARSE));
        assertEquals(7_000_000L, stacks.get("(static/idle)"));
        assertFalse(stacks.containsKey("(lost)"), "7 nJ rounds to nothing and is not written");
        // Largest remainder: 0.4, 0.6, 0.7 µJ round to a total of 2 µJ, the largest remainders first.
        long[] r = CollapsedStacksWriter.roundToMicro(List.of(400L, 600L, 700L), 1700L);
        assertEquals(List.of(0L, 1L, 1L), List.of(r[0], r[1], r[2]));
    }

    @Test
    void theExitTableSaysWhatCountingCostOverTheRunEvenAboveTheBudget() {
        EnergyProfile base = ProfileFixtures.measured();
        EnergyProfile.Overhead o = new EnergyProfile.Overhead(0.01, 30, 883e6,
                List.of(new EnergyProfile.CountingStopped(ProfileFixtures.QUERY, 1.2, 348_395, 0.0055, "budget")), 517_000_000L);
        EnergyProfile.Health h = new EnergyProfile.Health(0, 0, 0, 5_000_000L, 0, 12_600_000_000L, 4, 2, 9, 0, o, 0, 0, 0, 0);
        EnergyProfile p = new EnergyProfile(base.schemaVersion(), base.agentVersion(), base.startEpochMillis(),
                base.durationNanos(), base.source(), base.estimated(), base.domains(), base.root(), base.timeline(), h,
                base.notes());
        String t = TopTable.render(p, 2, null);
        assertTrue(t.contains("[energy] counting cost ~883 ms of CPU by the budget's estimate (30 ns a call): 7.0% of the "
                + "process's CPU (overhead=1%); weaving classes 517 ms"), t);
        assertFalse(TopTable.render(base, 2, null).contains("counting cost"), "nothing counted, nothing said");
    }

    @Test
    void theExitTableRanksMethodsByJoulesAndSaysWhereTheFilesAre() {
        String t = TopTable.render(profile, 2, "/tmp/out");
        String[] lines = t.split("\n");
        assertTrue(lines[0].startsWith(String.format(java.util.Locale.ROOT, "[energy] %.3f J in 1.00 s from rapl+nvml (measured)",
                (PKG + GPU) / 1e9)), lines[0]);
        assertTrue(lines[1].contains("package:0") && lines[1].contains("idle 6.000 J") && lines[1].contains("other processes 0.500 J"), lines[1]);
        assertTrue(lines[2].contains("gpu:0"), lines[2]);
        assertEquals("[energy] CPU energy follows call-paths", lines[3]);
        assertTrue(lines[5].contains(ProfileFixtures.HANDLE) && lines[5].contains(" 4.200 "), lines[5]);
        assertTrue(lines[7].contains("instrumented method (inclusive)"), lines[7]);
        assertEquals(11, lines.length, "header lines, two rows by self joules, two instrumented rows by inclusive "
                + "joules, the files line: " + t);
        assertTrue(lines[10].equals("[energy] files in /tmp/out"), lines[10]);
        assertFalse(TopTable.render(profile, 2, null).contains("files in"));
        String est = TopTable.render(ProfileFixtures.estimated(), 1, null);
        assertTrue(est.contains("(package:0 ESTIMATED from CPU time; the rest measured)"), est);
        assertEquals("…" + "g.Name".substring(0), TopTable.shorten("very.long.Name", 7));
        assertEquals("short", TopTable.shorten("short", 7));
    }
}

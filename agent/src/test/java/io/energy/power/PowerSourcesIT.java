package io.energy.power;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.energy.power.rapl.FakePowercap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The power sources as a user meets them: a JVM started with the agent on the sample programs. */
class PowerSourcesIT {
    @TempDir
    Path tmp;

    private record Run(int exit, String stderr, JsonNode summary) {
    }

    private Run run(String agentArgs, String... app) throws IOException, InterruptedException {
        Path out = tmp.resolve("out-" + System.nanoTime());
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-javaagent:" + System.getProperty("energy.agent.jar") + "=" + agentArgs + ",out=" + out,
                "-jar", System.getProperty("energy.samples.jar")));
        cmd.addAll(List.of(app));
        Path err = tmp.resolve("stderr-" + System.nanoTime());
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the JVM did not finish");
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        Path summary = out.resolve("energy-summary.json");
        assertTrue(Files.exists(summary), "no summary; stderr:\n" + stderr);
        return new Run(p.exitValue(), stderr, new ObjectMapper().readTree(summary.toFile()));
    }

    @Test
    void aReplayedConstantPowerGivesPowerTimesTheRunsDuration() throws Exception {
        double watts = 40;
        Path trace = tmp.resolve("constant.csv");
        Files.writeString(trace, "# 40 W on package 0\ntime_s,package:0\n0,0\n1," + watts + "\n");
        Run r = run("source=replay,replay=" + trace + ",include=io.energy.samples.**", "cpu", "1.5");
        assertEquals(0, r.exit(), r.stderr());
        JsonNode s = r.summary();
        assertEquals("replay", s.get("source").asText());
        assertFalse(s.get("estimated").asBoolean());
        JsonNode d = s.get("domains").get(0);
        assertEquals(1, s.get("domains").size());
        assertEquals("package:0", d.get("key").asText());
        assertFalse(d.get("estimated").asBoolean());
        double seconds = s.get("durationSeconds").asDouble();
        assertTrue(seconds > 1.4, "ran " + seconds + " s");
        double joules = s.get("totals").get("measuredJ").asDouble();
        assertEquals(watts * seconds, joules, watts * seconds * 0.02, joules + " J over " + seconds + " s");
        assertTrue(r.stderr().contains("[energy] source replay     package:0  measured, grain 1 s, from replay of "
                + trace), r.stderr());
    }

    @Test
    void raplOnAFakeTreeIsMeasuredPerZoneAndCanBeRecorded() throws Exception {
        FakePowercap fake = new FakePowercap(tmp.resolve("powercap")).twoSockets();
        Path rec = tmp.resolve("rec/power.csv");
        Run r = run("source=rapl,rapl.root=" + fake.root + ",record=" + rec + ",include=io.energy.samples.**",
                "cpu", "0.5");
        assertEquals(0, r.exit(), r.stderr());
        JsonNode s = r.summary();
        assertEquals("rapl", s.get("source").asText());
        List<String> keys = new ArrayList<>();
        for (JsonNode d : s.get("domains")) {
            keys.add(d.get("key").asText());
            assertFalse(d.get("estimated").asBoolean(), d.toString());
            assertEquals(0.0, d.get("measuredJ").asDouble(), "the fake counters stand still");
        }
        assertEquals(List.of("package:0", "core:0", "uncore:0", "dram:0", "psys:0", "package:1", "dram:1"), keys);
        assertTrue(r.stderr().contains("[energy] source rapl       package:0  measured, grain 1 ms, from "
                + fake.root.resolve("intel-rapl:0") + " (package-0; core:0 and uncore:0 are part of it, not extra"), r.stderr());
        String trace = Files.readString(rec);
        assertTrue(trace.contains("\ntime_s,package:0,core:0,uncore:0,dram:0,psys:0,package:1,dram:1\n"
                + "0.000000000,0.000000000,"), trace);
    }

    @Test
    void raplAskedForWhereThereIsNoneSaysWhyAndTheSummaryIsLabelledEstimated() throws Exception {
        Run r = run("source=rapl,rapl.root=" + tmp.resolve("no-powercap") + ",include=io.energy.samples.**",
                "cpu", "0.3");
        assertEquals(0, r.exit(), r.stderr());
        assertTrue(r.stderr().contains("[energy] RAPL not used: no powercap directory at "), r.stderr());
        JsonNode s = r.summary();
        assertEquals("estimate", s.get("source").asText());
        assertTrue(s.get("estimated").asBoolean());
        assertTrue(s.get("domains").get(0).get("estimated").asBoolean());
    }
}

package io.energy.it;

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

/** The walking skeleton end to end: a real JVM, the real agent jar, a sample app, files on disk. */
class AgentRunIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode summary(Path out) throws Exception {
        return JSON.readTree(out.resolve("energy-summary.json").toFile());
    }

    static void assertLedgerAddsUp(JsonNode s) {
        assertEquals(s.at("/totals/measuredNanoJoules").asLong(), s.at("/totals/ledgerNanoJoules").asLong(),
                "ledger total equals measured total");
        double sum = 0;
        for (JsonNode m : s.get("methods")) {
            sum += m.get("selfJ").asDouble();
        }
        for (JsonNode b : s.get("buckets")) {
            sum += b.get("selfJ").asDouble();
        }
        assertEquals(s.at("/totals/measuredJ").asDouble(), sum, 1e-6, "methods' and buckets' self joules sum to the total");
    }

    private static Map<String, JsonNode> methods(JsonNode s) {
        Map<String, JsonNode> m = new HashMap<>();
        for (JsonNode n : s.get("methods")) {
            m.put(n.get("name").asText(), n);
        }
        return m;
    }

    private void runCpuSample(String javaHome, Path dir) throws Exception {
        Path out = dir.resolve("out");
        ForkedJvm.Result r = ForkedJvm.run(dir, 120, ForkedJvm.java(javaHome),
                ForkedJvm.agentArg("include=io.energy.samples.**,out=" + out),
                "-jar", ForkedJvm.SAMPLES_JAR.toAbsolutePath().toString(), "cpu", "2");
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("ESTIMATED"), "the table says the figures are estimated:\n" + r.stderr());
        assertTrue(r.stderr().contains("io.energy.samples.CpuSample.hashBlocks"), r.stderr());
        JsonNode s = summary(out);
        assertEquals(1, s.get("schemaVersion").asInt());
        assertTrue(s.get("estimated").asBoolean());
        assertTrue(s.at("/domains/0/estimated").asBoolean());
        Map<String, JsonNode> m = methods(s);
        for (String name : List.of("hashBlocks", "sortNumbers", "parseJson", "buildString")) {
            JsonNode n = m.get("io.energy.samples.CpuSample." + name);
            assertTrue(n != null && n.get("calls").asLong() > 0, name + " measured: " + m.keySet());
        }
        assertTrue(m.get("io.energy.samples.CpuSample.hashBlocks").get("selfJ").asDouble() > 0);
        // ranking by joules differs from ranking by calls: buildString is called most, hashing costs most per call
        assertTrue(m.get("io.energy.samples.CpuSample.buildString").get("calls").asLong()
                > m.get("io.energy.samples.CpuSample.hashBlocks").get("calls").asLong());
        assertLedgerAddsUp(s);
        for (String f : List.of("energy-summary.json", "energy-methods.csv", "energy.collapsed")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        try (var files = Files.list(out)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
    }

    @Test
    void cpuSampleUnderTheAgentWritesJoulesPerMethodThatAddUpToTheTotal(@TempDir Path dir) throws Exception {
        runCpuSample(null, dir);
    }

    @Test
    void theAgentWorksOnAJdk25Target(@TempDir Path dir) throws Exception {
        assertTrue(Files.isExecutable(Path.of(ForkedJvm.java(ForkedJvm.JDK25))), "JDK 25 expected at " + ForkedJvm.JDK25);
        runCpuSample(ForkedJvm.JDK25, dir);
    }

    @Test
    void anAppWithItsOwnJacksonAndByteBuddyPrintsExactlyWhatItPrintsWithoutTheAgent(@TempDir Path dir)
            throws Exception {
        String jar = ForkedJvm.SAMPLES_JAR.toAbsolutePath().toString();
        ForkedJvm.Result plain = ForkedJvm.run(dir.resolve("plain"), 120, ForkedJvm.java(null), "-jar", jar, "cpu", "0",
                "rounds=3");
        ForkedJvm.Result withAgent = ForkedJvm.run(dir.resolve("agent"), 120, ForkedJvm.java(null),
                ForkedJvm.agentArg("include=io.energy.samples.**,out=" + dir.resolve("out")), "-jar", jar, "cpu", "0",
                "rounds=3");
        assertEquals(0, plain.exitCode(), plain.stderr());
        assertEquals(0, withAgent.exitCode(), withAgent.stderr());
        assertTrue(plain.stdout().contains("2.17.2"), "the app reports its own Jackson: " + plain.stdout());
        assertTrue(plain.stdout().contains("1.14.19"), "the app reports its own Byte Buddy: " + plain.stdout());
        assertEquals(plain.stdout(), withAgent.stdout());
        assertTrue(summary(dir.resolve("out")).get("methods").size() > 0);
    }

    @Test
    void badOptionsGetOneClearMessageAndTheAppRunsOn(@TempDir Path dir) throws Exception {
        String jar = ForkedJvm.SAMPLES_JAR.toAbsolutePath().toString();
        ForkedJvm.Result plain = ForkedJvm.run(dir.resolve("plain"), 120, ForkedJvm.java(null), "-jar", jar, "cpu", "0",
                "rounds=2");
        ForkedJvm.Result r = ForkedJvm.run(dir.resolve("bad"), 120, ForkedJvm.java(null),
                ForkedJvm.agentArg("include=io.energy.samples.**,interval=abc"), "-jar", jar, "cpu", "0", "rounds=2");
        assertEquals(0, r.exitCode());
        assertEquals(plain.stdout(), r.stdout());
        assertTrue(r.stderr().contains("interval='abc'") && r.stderr().contains("10ms to 10s"), r.stderr());
        assertEquals(1, r.stderr().lines().filter(l -> l.startsWith("[energy]")).count(), r.stderr());
    }

    @Test
    void anUnwritableOutputDirectoryIsReportedAndTheAppRunsOn(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("not-a-dir");
        Files.writeString(file, "x");
        ForkedJvm.Result r = ForkedJvm.run(dir.resolve("run"), 120, ForkedJvm.java(null),
                ForkedJvm.agentArg("include=io.energy.samples.**,out=" + file.resolve("out")), "-jar",
                ForkedJvm.SAMPLES_JAR.toAbsolutePath().toString(), "cpu", "0", "rounds=2");
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("cannot write outputs to"), r.stderr());
        assertTrue(r.stdout().contains("checksum"), r.stdout());
    }
}

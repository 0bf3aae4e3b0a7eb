package io.energy.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code -javaagent:energy.jar} with no options: CPU-time samples of real stacks put the process's energy on
 * the program's methods (JDK and library frames included), not in a catch-all bucket.
 */
class WholeProgramIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CPU_SAMPLE = "io.energy.samples.CpuSample.";

    private static Map<String, JsonNode> methods(JsonNode s) {
        Map<String, JsonNode> m = new HashMap<>();
        for (JsonNode n : s.get("methods")) {
            m.put(n.get("name").asText(), n);
        }
        return m;
    }

    private static double processJ(JsonNode s) {
        double p = 0;
        for (JsonNode d : s.get("domains")) {
            p += d.get("processJ").asDouble();
        }
        return p;
    }

    private static JsonNode run(Path dir, String options, String... jvmArgs) throws Exception {
        return run(null, dir, options, jvmArgs);
    }

    private static JsonNode run(String javaHome, Path dir, String options, String... jvmArgs) throws Exception {
        Path out = dir.resolve("out");
        java.util.List<String> cmd = new java.util.ArrayList<>();
        cmd.add(ForkedJvm.java(javaHome));
        cmd.addAll(java.util.List.of(jvmArgs));
        cmd.add(ForkedJvm.agentArg("out=" + out + (options.isEmpty() ? "" : "," + options)));
        cmd.addAll(java.util.List.of("-jar", ForkedJvm.SAMPLES_JAR.toAbsolutePath().toString(), "cpu", "3"));
        ForkedJvm.Result r = ForkedJvm.run(dir, 180, cmd);
        assertEquals(0, r.exitCode(), r.stderr());
        Files.writeString(dir.resolve("agent-stderr.txt"), r.stderr());
        return JSON.readTree(out.resolve("energy-summary.json").toFile());
    }

    @Test
    void withNoOptionsTheProgramsOwnMethodsGetTheProcesssEnergy(@TempDir Path dir) throws Exception {
        JsonNode s = run(dir, "");
        assertEquals("async-profiler", s.get("sampler").asText());
        Map<String, JsonNode> m = methods(s);
        double process = processJ(s);
        assertTrue(process > 0, "the process used energy");
        // Inclusive energy of the sample's entry point: everything its thread did, JDK frames included.
        JsonNode main = m.get("io.energy.samples.Samples.main");
        assertTrue(main != null, "the main method is a frame of the sampled stacks: " + m.keySet());
        double onMethods = 0;
        for (JsonNode n : s.get("methods")) {
            onMethods += n.get("selfJ").asDouble();
        }
        Map<String, Double> buckets = new HashMap<>();
        for (JsonNode b : s.get("buckets")) {
            buckets.put(b.get("name").asText(), b.get("selfJ").asDouble());
        }
        // A 3 s run spends much of its CPU in the JIT compilers (more on a loaded machine): that is the
        // (JIT compiler) bucket, named; what no sample explains is small.
        assertTrue(onMethods > 0.3 * process, "the process's energy is on methods (" + onMethods + " of " + process
                + " J), buckets " + buckets);
        assertTrue(buckets.getOrDefault("(unsampled)", 0.0) < 0.1 * process, "little energy found no sample: " + buckets);
        assertTrue(buckets.getOrDefault("(JIT compiler)", 0.0) > 0, "the compilers' CPU is named: " + buckets);
        for (String name : java.util.List.of("hashBlocks", "sortNumbers", "parseJson")) {
            JsonNode n = m.get(CPU_SAMPLE + name);
            assertTrue(n != null && n.get("inclusiveJ").asDouble() > 0, name + " has joules: " + m.keySet());
            assertEquals(0, n.get("calls").asLong(), "without include nothing is counted, only sampled");
        }
        // SHA-256 runs in an intrinsic stub: the samples taken there still land on the Java frames above it.
        assertTrue(m.get(CPU_SAMPLE + "hashBlocks").get("inclusiveJ").asDouble()
                > m.get(CPU_SAMPLE + "buildString").get("inclusiveJ").asDouble(), "hashing costs more than building strings");
        for (JsonNode b : s.get("buckets")) {
            assertFalse(b.get("name").asText().equals("(uninstrumented)"), "no (uninstrumented) catch-all: " + b);
        }
    }

    @Test
    void withIncludeAnInstrumentedMethodsRowCarriesBothItsExactCallsAndItsSampledJoules(@TempDir Path dir)
            throws Exception {
        JsonNode s = run(dir, "include=io.energy.samples.CpuSample");
        Map<String, JsonNode> m = methods(s);
        JsonNode hash = m.get(CPU_SAMPLE + "hashBlocks");
        JsonNode build = m.get(CPU_SAMPLE + "buildString");
        assertTrue(hash.get("calls").asLong() > 0 && hash.get("inclusiveJ").asDouble() > 0, hash.toString());
        assertEquals(2000 * hash.get("calls").asLong(), build.get("calls").asLong(),
                "the sample calls buildString 2000 times per round, hashBlocks once: counts stay exact");
        assertTrue(hash.get("inclusiveJ").asDouble() > build.get("inclusiveJ").asDouble());
    }

    @Test
    void anApplicationsOwnAsyncProfilerIsNotFoughtTheAgentFallsBackAndSaysSo(@TempDir Path dir) throws Exception {
        Path lib = dir.resolve("libasyncProfiler.so");
        try (JarFile jar = new JarFile(asyncProfilerJar().toFile());
             InputStream in = jar.getInputStream(jar.getEntry("linux-x64/libasyncProfiler.so"))) {
            Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
        }
        JsonNode s = run(dir, "", "-agentpath:" + lib + "=start,event=cpu,interval=20ms,file=" + dir.resolve("app.html"));
        String stderr = Files.readString(dir.resolve("agent-stderr.txt"));
        assertTrue(stderr.contains("another async-profiler is already loaded"), stderr);
        assertFalse(s.get("sampler").asText().equals("async-profiler"), s.get("sampler").asText());
        assertTrue(Files.size(dir.resolve("app.html")) > 0, "the application's own profiler still did its job");
    }

    @Test
    void onJdk25TheJfrCpuTimeSamplerAttributesRealStacksAndTheJvmStillExitsWhenMainEnds(@TempDir Path dir)
            throws Exception {
        assertTrue(Files.isExecutable(Path.of(ForkedJvm.java(ForkedJvm.JDK25))), "JDK 25 expected at " + ForkedJvm.JDK25);
        // ForkedJvm.run fails on its timeout: a sampler thread that kept the JVM alive would be caught here.
        JsonNode s = run(ForkedJvm.JDK25, dir, "sampler=jfr");
        assertEquals("jfr-cpu-time", s.get("sampler").asText());
        Map<String, JsonNode> m = methods(s);
        assertTrue(m.containsKey(CPU_SAMPLE + "hashBlocks") && m.get(CPU_SAMPLE + "hashBlocks").get("inclusiveJ").asDouble() > 0,
                m.keySet().toString());
    }

    private static Path asyncProfilerJar() {
        String cp = System.getProperty("java.class.path");
        for (String e : cp.split(java.io.File.pathSeparator)) {
            if (e.contains("async-profiler")) {
                return Path.of(e);
            }
        }
        throw new AssertionError("async-profiler jar not on the test class path: " + cp);
    }
}

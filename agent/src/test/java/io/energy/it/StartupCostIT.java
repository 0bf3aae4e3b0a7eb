package io.energy.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code -javaagent:energy.jar} with no options on a program that ends at once (docs/performance.md, "Fixed cost
 * at start and exit"): the weaver, JNA and the restore check's digest are never loaded, the stack sampler that
 * starts on its own thread is still waited for and its samples and files are all there, and nothing of the
 * agent's reaches the application's stdout.
 */
class StartupCostIT {
    @Test
    void noOptionsLoadsNoWeaverNoJnaNoDigestAndStillWritesEverything(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        Path classes = dir.resolve("classes.txt");
        ForkedJvm.Result r = ForkedJvm.run(dir, 120, ForkedJvm.java(null), "-Xlog:class+load=info:file=" + classes,
                ForkedJvm.agentArg("out=" + out + ",log=debug"), "-cp", ForkedJvm.TEST_CLASSES.toString(),
                "io.energy.it.apps.QuickMain");
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals("quick main done\n", r.stdout(), "the agent (and async-profiler) print nothing on stdout");
        List<String> loaded = Files.readAllLines(classes);
        for (String prefix : List.of("io.energy.shaded.", "net.bytebuddy.", "com.sun.jna.", "java.security.MessageDigest ",
                "io.energy.instrument.Instrumenter ")) {
            assertFalse(loaded.stream().anyMatch(l -> l.contains("] " + prefix)), prefix + " was loaded");
        }
        assertTrue(loaded.stream().anyMatch(l -> l.contains("] one.profiler.AsyncProfiler ")), "async-profiler ran");
        // At launch the sampler starts beside main: premain's own steps no longer include it.
        String launch = r.stderr().lines().filter(l -> l.contains("debug: start ms:")).findFirst().orElseThrow();
        assertFalse(launch.contains("stack sampler"), launch);
        JsonNode s = new ObjectMapper().readTree(out.resolve("energy-summary.json").toFile());
        assertEquals("async-profiler", s.get("sampler").asText());
        double agentCpuMs = 0;
        for (JsonNode b : s.get("buckets")) {
            if (b.get("name").asText().equals("(energy agent)")) {
                agentCpuMs = b.get("cpuMs").asDouble();
            }
        }
        assertTrue(agentCpuMs > 0, "the sampler's start-up CPU is the agent's: " + s.get("buckets"));
        for (String f : List.of("energy-summary.json", "energy-methods.csv", "energy.collapsed", "energy.speedscope.json",
                "energy-report.html", "energy.jfr")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        assertTrue(r.stderr().contains("debug: stop ms:"), r.stderr());
    }
}

package io.energy.power.nvml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The agent, started on a sample program with {@code source=nvml} pointing at the stand-in library. */
class NvmlAgentIT {
    private static final double WATTS = 150;

    @TempDir
    Path dir;

    @Test
    void theAgentMeasuresAStandInGpuAsAMeasuredDomain() throws Exception {
        Path lib = FakeNvml.compile("fake-nvml-it");
        Path script = dir.resolve("gpu.script");
        Files.writeString(script, "name 0 NVIDIA Stand-in H100\nenergy 0 123456 " + WATTS + "\ncounter_period_ms 100\n");
        Path out = dir.resolve("out");
        String agent = System.getProperty("energy.agent.jar");
        String samples = System.getProperty("energy.samples.jar");
        assertNotNull(agent, "energy.agent.jar is set by failsafe");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-javaagent:" + agent + "=include=io.energy.samples.**,source=nvml,nvml.library=" + lib + ",out=" + out,
                "-jar", samples, "cpu", "1");
        pb.environment().put("FAKE_NVML_SCRIPT", script.toString());
        pb.environment().remove("CUDA_VISIBLE_DEVICES");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String output = io.energy.it.ForkedJvm.output(p, 120, "the run with the NVML stand-in");
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.matches("(?s).*gpu:0 +measured, grain 100 ms, from NVML NVIDIA Stand-in H100.*"), output);

        JsonNode summary = new ObjectMapper().readTree(out.resolve("energy-summary.json").toFile());
        JsonNode gpu = null;
        for (JsonNode d : summary.get("domains")) {
            if (d.get("key").asText().equals("gpu:0")) {
                gpu = d;
            }
        }
        assertNotNull(gpu, () -> "no gpu:0 domain in " + summary.get("domains"));
        assertFalse(gpu.get("estimated").asBoolean(), "a counter-backed GPU is measured, not estimated");
        double seconds = summary.get("durationSeconds").asDouble();
        double expected = WATTS * seconds;
        double measured = gpu.get("measuredJ").asDouble();
        // the counter moves in 100 ms steps (15 J) and the run's ends are extrapolated from instant power
        assertEquals(expected, measured, 0.03 * expected + 2 * WATTS * 0.1,
                "gpu:0 over " + seconds + " s at " + WATTS + " W\n" + output);
        assertTrue(List.of(output.split("\n")).stream().noneMatch(l -> l.contains("carrying on without GPU")), output);

        // A CPU-only service: the stand-in lists no compute process, so the GPU is idle and all its energy is static
        // (issue 14: it used to land on the instrumented methods, by their wall time, whatever they did).
        double onMethods = 0;
        for (JsonNode m : summary.get("methods")) {
            onMethods += m.at("/domains/gpu:0/selfJ").asDouble();
        }
        assertEquals(0.0, onMethods, 1e-9, "no method of a CPU-only service gets GPU energy");
        double idle = Double.NaN;
        for (JsonNode b : summary.get("buckets")) {
            if (b.get("name").asText().equals("(static/idle)")) {
                idle = b.at("/domains/gpu:0/selfJ").asDouble();
            }
        }
        assertEquals(measured, idle, 1e-6, "the idle GPU's energy is (static/idle)'s: " + summary.get("buckets"));
    }
}

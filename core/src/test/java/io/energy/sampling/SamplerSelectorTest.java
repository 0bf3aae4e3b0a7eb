package io.energy.sampling;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The choices of a stack sampler. async-profiler is started in this JVM (its sampling of the test JVM is harmless and
 * stopped at once); a working JFR CPU-time sampler is chosen in forked-JVM ITs on JDK 25.
 */
class SamplerSelectorTest {
    private static final FrameIds IDS = (c, m) -> 1;

    @Test
    void pathsChoosesNoStackSamplerAndSaysNothingIsWrong() {
        List<String> problems = new ArrayList<>();
        SamplerSelector.Choice c = SamplerSelector.select("paths", "cpu", IDS, 64, 10_000_000L, 100, problems::add);
        assertNull(c.sampler());
        assertTrue(c.label().startsWith("call-paths (instrumented methods only"), c.label());
        assertTrue(c.notes().isEmpty());
        assertTrue(problems.isEmpty());
    }

    @Test
    void jfrWhereTheJvmHasNoCpuTimeSamplerFallsBackToPathsAndSaysWhyOnce() {
        assumeFalse(JfrCpuTimeSampler.available(), "this JVM has the JFR CPU-time sampler");
        List<String> problems = new ArrayList<>();
        SamplerSelector.Choice c = SamplerSelector.select("jfr", "cpu", IDS, 64, 10_000_000L, 100, problems::add);
        assertNull(c.sampler());
        assertEquals("call-paths (fallback: no stack sampler could run)", c.label());
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("JFR CPU-time sampler not used: this JVM has no JFR CPU-time sampler"),
                problems.get(0));
        assertEquals(2, c.notes().size(), "why not JFR, and what the fallback cannot tell apart");
        assertEquals(problems.get(0), c.notes().get(0));
        assertTrue(c.notes().get(1).startsWith("CPU energy follows the instrumented call paths only"));
    }

    @Test
    void autoAndAsyncTakeAsyncProfilerWhereItRunsAndSayNothingIsWrong() {
        for (String wanted : new String[]{"auto", "async"}) {
            List<String> problems = new ArrayList<>();
            SamplerSelector.Choice c = SamplerSelector.select(wanted, "itimer", IDS, 64, 10_000_000L, 100,
                    problems::add);
            try {
                assertEquals("async-profiler", c.sampler().name(), wanted);
                assertEquals(c.sampler().describe(), c.label());
                assertTrue(c.label().contains("event itimer"), c.label());
                assertTrue(c.notes().isEmpty(), c.notes().toString());
                assertTrue(problems.isEmpty(), problems.toString());
            } finally {
                c.sampler().stop();
            }
        }
    }
}

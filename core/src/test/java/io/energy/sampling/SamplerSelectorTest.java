package io.energy.sampling;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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

    /**
     * async-profiler refuses an event it does not know ({@code start,event=bogus}: "Unsupported event type"), so
     * auto falls through it. The host is told once, in async-profiler's own words (its IllegalStateException's
     * message, not the exception's class name); JFR's absence on this JVM is only noted, because auto never asked
     * for JFR.
     */
    @Test
    void autoWhereAsyncProfilerRefusesTheEventSaysWhyOnceAndFallsBackToPaths() {
        assumeFalse(JfrCpuTimeSampler.available(), "this JVM has the JFR CPU-time sampler");
        List<String> problems = new ArrayList<>();
        SamplerSelector.Choice c = SamplerSelector.select("auto", "bogus", IDS, 64, 10_000_000L, 100, problems::add);
        assertNull(c.sampler());
        assertEquals("call-paths (fallback: no stack sampler could run)", c.label());
        assertEquals(List.of("async-profiler not used: async-profiler did not start (Unsupported event type)"),
                problems);
        assertEquals(3, c.notes().size(), c.notes().toString());
        assertEquals(problems.get(0), c.notes().get(0), "the note carries the same reason as the problem");
        assertTrue(c.notes().get(1).startsWith("JFR CPU-time sampler not used: this JVM has no JFR CPU-time sampler"),
                c.notes().get(1));
        assertTrue(c.notes().get(2).startsWith("CPU energy follows the instrumented call paths only"));
    }

    /**
     * The same refusal on a JVM that has the JFR CPU-time sampler (JDK 25: skipped on 17): auto takes JFR's sampler
     * instead of dropping to the call paths, and keeps why async-profiler was not used.
     */
    @Test
    void autoWhereAsyncProfilerRefusesTheEventTakesTheJfrSamplerWhereTheJvmHasIt() {
        assumeTrue(JfrCpuTimeSampler.available(), "this JVM has no JFR CPU-time sampler");
        List<String> problems = new ArrayList<>();
        SamplerSelector.Choice c = SamplerSelector.select("auto", "bogus", IDS, 64, 10_000_000L, 100, problems::add);
        try {
            assertEquals("jfr-cpu-time", c.sampler().name());
            assertEquals(c.sampler().describe(), c.label());
            assertEquals(List.of("async-profiler not used: async-profiler did not start (Unsupported event type)"),
                    c.notes());
            assertEquals(c.notes(), problems);
        } finally {
            c.sampler().stop();
        }
    }
}

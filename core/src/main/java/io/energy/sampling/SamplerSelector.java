package io.energy.sampling;

import java.util.function.Consumer;

/**
 * Chooses the stack sampler for a session: {@code sampler=auto} takes async-profiler, else JDK 25's JFR
 * CPU-time sampler, else none (the instrumented call paths carry CPU attribution, as before). An explicit
 * choice that cannot run falls back the same way and says why, because the host must run on.
 */
public final class SamplerSelector {
    /** What was chosen, and why the better ones were not. */
    public record Choice(StackSampler sampler, String label, java.util.List<String> notes) {
    }

    private SamplerSelector() {
    }

    /**
     * @param wanted auto, async, jfr or paths
     * @param event  async-profiler's event (cpu, itimer, ctimer)
     */
    public static Choice select(String wanted, String event, FrameIds ids, int maxDepth, long periodNanos,
                                int maxStacks, Consumer<String> problem) {
        java.util.List<String> notes = new java.util.ArrayList<>();
        if (wanted.equals("paths")) {
            return new Choice(null, "call-paths (instrumented methods only; running state from Thread.getState)",
                    notes);
        }
        if (wanted.equals("auto") || wanted.equals("async")) {
            try {
                StackSampler s = AsyncProfilerSampler.start(ids, maxDepth, periodNanos, event, maxStacks);
                return new Choice(s, s.describe(), notes);
            } catch (Throwable t) {
                String why = t instanceof IllegalStateException ? t.getMessage() : t.toString();
                notes.add("async-profiler not used: " + why);
                problem.accept("async-profiler not used: " + why);
            }
        }
        if (!wanted.equals("paths")) {
            try {
                StackSampler s = JfrCpuTimeSampler.start(ids, maxDepth, periodNanos);
                return new Choice(s, s.describe(), notes);
            } catch (Throwable t) {
                String why = t instanceof IllegalStateException ? t.getMessage() : t.toString();
                notes.add("JFR CPU-time sampler not used: " + why);
                if (wanted.equals("jfr")) {
                    problem.accept("JFR CPU-time sampler not used: " + why);
                }
            }
        }
        notes.add("CPU energy follows the instrumented call paths only (sampler=paths): methods that are not "
                + "instrumented, and threads blocked in native code, are not told apart");
        return new Choice(null, "call-paths (fallback: no stack sampler could run)", notes);
    }
}

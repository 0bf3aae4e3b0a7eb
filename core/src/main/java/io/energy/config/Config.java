package io.energy.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The agent's whole configuration, validated and immutable. Built by {@link ConfigParser} from the
 * agent arguments, {@code -Denergy.*} system properties and a {@code config=FILE}.
 */
public record Config(
        List<MethodPattern> include,
        List<MethodPattern> exclude,
        Path out,
        Source source,
        Path replay,
        Path record,
        Path raplRoot,
        String nvmlLibrary,
        Duration interval,
        Duration samplePeriod,
        Duration checkpoint,
        Duration flush,
        Duration longCall,
        boolean jfr,
        boolean jfrRecord,
        int maxPaths,
        int maxDepth,
        List<MethodPattern> gpuScope,
        StaticShare staticShare,
        boolean dedicated,
        double estimateIdleWattsPerCore,
        double estimateBusyWattsPerCore,
        Map<String, Double> idleWatts,
        LogLevel log,
        int top,
        Sampler sampler,
        SamplerEvent samplerEvent,
        // ---- live metrics (issue 16) ----
        MetricsOptions metrics,
        // Issue 13: what instrumentation may cost.
        boolean weaveTrivial,
        double overheadBudget) {

    /** The default overhead budget: counting may cost 1% of the process's CPU time. */
    public static final double DEFAULT_OVERHEAD = 0.01;

    /** True when every call of every woven method is counted whatever it costs ({@code overhead=off}). */
    public boolean overheadUnbounded() {
        return overheadBudget <= 0;
    }

    /** async-profiler's CPU clock: perf_events' cpu-clock (falls back to its timers), setitimer, or timer_create. */
    public enum SamplerEvent { CPU, ITIMER, CTIMER }

    /**
     * What finds the stacks that CPU energy follows: {@code auto} takes the first that works of
     * async-profiler, JDK 25's JFR CPU-time sampler, and the instrumented call paths.
     */
    public enum Sampler { AUTO, ASYNC, JFR, PATHS }

    /** Stack sample period when none is configured: one sample per 10 ms of a thread's CPU time. */
    public static final Duration STACK_SAMPLE_PERIOD = Duration.ofMillis(10);

    public enum Source { AUTO, ESTIMATE, RAPL, NVML, REPLAY }

    /** Where the machine's static (idle) energy goes: its own bucket, or to this process's call paths. */
    public enum StaticShare { IDLE, PROCESS }

    public enum LogLevel { QUIET, INFO, DEBUG }

    /** True if the method is to be instrumented. */
    /** Sample period when none is configured and the CPU energy comes from a counter with a ~1 ms grain (RAPL). */
    public static final Duration FINE_SAMPLE_PERIOD = Duration.ofMillis(1);
    /** Sample period when none is configured and the CPU energy is estimated: the model's own 10 ms grain. */
    public static final Duration COARSE_SAMPLE_PERIOD = Duration.ofMillis(10);

    /**
     * The call-path sample period to run with. {@link #samplePeriod()} is {@link Duration#ZERO} for
     * {@code auto}: then 1 ms where a measured counter updates about every millisecond, and 10 ms, the
     * estimated model's own grain (CPU time in 10 ms jiffies), otherwise. Each tick is a timer wake-up of the
     * collector, which costs 20–40 µs of CPU in a VM (2–4% of a core at 1 ms, 0.4–0.9% at 5 ms) and a few
     * µs on bare metal, where RAPL is found.
     */
    public Duration samplePeriodFor(boolean fineGrainedCounter) {
        if (!samplePeriod.isZero()) {
            return samplePeriod;
        }
        return fineGrainedCounter ? FINE_SAMPLE_PERIOD : COARSE_SAMPLE_PERIOD;
    }

    public boolean instruments(String className, String methodName) {
        boolean in = false;
        for (MethodPattern p : include) {
            if (p.matches(className, methodName)) {
                in = true;
                break;
            }
        }
        if (!in) {
            return false;
        }
        for (MethodPattern p : exclude) {
            if (p.matches(className, methodName)) {
                return false;
            }
        }
        return true;
    }

    /** True if some method of the class may be instrumented: decided from the name alone. */
    public boolean mayInstrumentClass(String className) {
        for (MethodPattern p : include) {
            if (p.matchesClass(className)) {
                for (MethodPattern x : exclude) {
                    if (!x.hasMethodPart() && x.matchesClass(className)) {
                        return false;
                    }
                }
                return true;
            }
        }
        return false;
    }

    public boolean inGpuScope(String className, String methodName) {
        if (gpuScope.isEmpty()) {
            return true;
        }
        for (MethodPattern p : gpuScope) {
            if (p.matches(className, methodName)) {
                return true;
            }
        }
        return false;
    }
}

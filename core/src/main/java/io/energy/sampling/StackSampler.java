package io.energy.sampling;

/**
 * A source of CPU-time samples of real stacks. One runs per session; the collector harvests it when an
 * interval closes. Implementations never throw out of {@link #harvest}: a sampler that breaks reports it
 * through {@link #problem()} and returns nothing more.
 */
public interface StackSampler {
    /** Short name used in every output: {@code async-profiler}, {@code jfr-cpu-time}, {@code call-paths}. */
    String name();

    /** One line for people: engine, period, and how accurate it was measured to be. */
    String describe();

    /** CPU time per sample. */
    long periodNanos();

    /**
     * The samples taken since the last harvest, or {@code null} when this call does not harvest (the
     * sampler harvests less often than every interval, to keep its own cost within budget); the samples
     * then stay with the sampler until a later call.
     *
     * @param nowNanos {@link System#nanoTime()} of the interval's end
     * @param force    harvest now whatever the cost (the last interval of a session, a dump)
     */
    StackSamples harvest(long nowNanos, boolean force);

    /** A problem that stopped the sampler, or {@code null}. */
    String problem();

    /** CPU time the sampler's harvests have cost the collector thread so far. */
    long harvestCpuNanos();

    /** Waits (briefly) until samples already taken can be harvested: called before the last harvest. */
    default void drain() {
    }

    /**
     * What the engine said about itself (its own log, kept off the application's stdout), for the debug log: the
     * first distinct lines, then how many there were.
     */
    default java.util.List<String> messages() {
        return java.util.List.of();
    }

    /** Stops sampling and frees what can be freed. Never throws. */
    void stop();
}

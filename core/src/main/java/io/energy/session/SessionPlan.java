package io.energy.session;

import io.energy.config.Config;
import io.energy.power.Domain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntToDoubleFunction;

/**
 * What a session's start decides before anything runs: each domain's idle power, the notes that go with
 * it, and the periods the collector and the samplers tick at. Built from the configuration and what the
 * probes found (the chosen power source's domains and idle figures, whether a stack sampler started), so the
 * policy can be tested without starting anything; {@link EnergySession#start()} only carries it out.
 *
 * @param idleWatts            per domain, index-aligned with the source's domains: {@code idle=} for the
 *                             domain's key ({@code package:0}), else for its kind ({@code package}), else the
 *                             source's own figure; NaN where none is known (then all of it is dynamic)
 * @param notes                for the profile: each ESTIMATED domain, and the domains whose idle power is unknown
 * @param pathPeriodNanos      the instrumented call paths' sample period: {@code sample.period}, or for auto
 *                             1 ms where a measured counter moves about every millisecond and 10 ms otherwise
 * @param collectorPeriodNanos the collector's tick: the path period, except with a stack sampler and nothing
 *                             instrumented, when the tick has only intervals to close and wakes once an interval
 * @param longCallTicks        {@code long.call} in collector ticks, rounded up; 0 when long calls are off
 */
record SessionPlan(double[] idleWatts, List<String> notes, long pathPeriodNanos, long collectorPeriodNanos,
                   long longCallTicks) {
    /** A counter that moves at least this often earns the fine (1 ms) auto sample period. */
    static final long FINE_GRAIN_NANOS = 2_000_000L;

    SessionPlan {
        idleWatts = idleWatts.clone();
        notes = List.copyOf(notes);
    }

    /** A copy: the plan stays as it was made. */
    @Override
    public double[] idleWatts() {
        return idleWatts.clone();
    }

    /**
     * The stack sampler's period, needed before the sampler is chosen (and so before the plan): {@code
     * sample.period}, or one sample per 10 ms of a thread's CPU time for auto.
     */
    static long stackPeriodNanos(Config config) {
        return (config.samplePeriod().isZero() ? Config.STACK_SAMPLE_PERIOD : config.samplePeriod()).toNanos();
    }

    /**
     * @param domains          the chosen power source's domains
     * @param sourceIdleWatts  the source's own idle figure for domain {@code d} (NaN when it has none)
     * @param stackSampler     whether a stack sampler started (CPU energy follows its samples)
     */
    static SessionPlan of(Config config, List<Domain> domains, IntToDoubleFunction sourceIdleWatts,
                          boolean stackSampler) {
        double[] idle = new double[domains.size()];
        List<String> notes = new ArrayList<>();
        List<String> idleUnknown = new ArrayList<>();
        boolean fineCounter = false;
        for (int d = 0; d < idle.length; d++) {
            Domain dom = domains.get(d);
            Double configured = config.idleWatts().get(dom.key());
            if (configured == null) {
                configured = config.idleWatts().get(dom.kind());
            }
            idle[d] = configured != null ? configured : sourceIdleWatts.applyAsDouble(d);
            if (Double.isNaN(idle[d])) {
                idleUnknown.add(dom.key());
            }
            if (dom.estimated()) {
                notes.add(dom.key() + " is ESTIMATED from CPU time (" + dom.origin() + "): no energy counter was "
                        + "readable on this machine. Run `java -jar energy.jar doctor` to see why.");
            }
            fineCounter |= !dom.estimated() && dom.grainNanos() <= FINE_GRAIN_NANOS;
        }
        if (!idleUnknown.isEmpty()) {
            notes.add("Idle power of " + String.join(", ", idleUnknown) + " is unknown, so all of that energy is "
                    + "treated as dynamic; set idle=KIND:WATTS (e.g. idle=package:12;gpu:70) to separate the "
                    + "machine's static energy.");
        }
        long pathPeriod = config.samplePeriodFor(fineCounter).toNanos();
        // With a stack sampler the collector's own tick only follows instrumented threads (wall time, GPU
        // windows, long calls); with nothing instrumented it wakes once an interval, not every few ms.
        long period = stackSampler && config.include().isEmpty() ? config.interval().toNanos() : pathPeriod;
        long longCallTicks = config.longCall().isZero() ? 0
                : Math.max(1, (config.longCall().toNanos() + period - 1) / period);
        return new SessionPlan(idle, notes, pathPeriod, period, longCallTicks);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionPlan p && Arrays.equals(idleWatts, p.idleWatts) && notes.equals(p.notes)
                && pathPeriodNanos == p.pathPeriodNanos && collectorPeriodNanos == p.collectorPeriodNanos
                && longCallTicks == p.longCallTicks;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(idleWatts) + List.of(notes, pathPeriodNanos, collectorPeriodNanos, longCallTicks)
                .hashCode();
    }

    @Override
    public String toString() {
        return "SessionPlan[idleWatts=" + Arrays.toString(idleWatts) + ", notes=" + notes + ", pathPeriodNanos="
                + pathPeriodNanos + ", collectorPeriodNanos=" + collectorPeriodNanos + ", longCallTicks="
                + longCallTicks + "]";
    }
}

package io.energy.api;

import java.lang.reflect.Field;
import java.util.function.Function;

/**
 * Measurement windows: the joules of a stretch of code, from the energy agent.
 *
 * <pre>{@code
 * EnergyWindow w = Energy.begin("batch");
 * runBatch();
 * EnergyReading r = w.end();
 * System.out.println(r);   // batch: 4.210 J ±0.118 (package:0 4.210 J) in 1.20 s wall, 2.31 s CPU, estimated
 * }</pre>
 *
 * <p>Windows are independent: they may nest and overlap, on one thread or several. A window's energy is this
 * process's part of the machine's energy over the window's wall-clock span (all of the process's threads, the
 * agent's own small cost included), per domain, with a bound. Without an agent nothing is thrown:
 * {@link EnergyReading#available()} is false, {@link EnergyReading#reason()} says why, and wall and CPU time
 * are still filled in.
 *
 * <p>This class shares no type with the agent: it finds the agent's hook, a JDK {@link Function} in the
 * bootstrap class loader, by reflection, so it works whatever class loader it is loaded by and whether the
 * agent came by {@code -javaagent} or by attach.
 */
public final class Energy {
    static final String BRIDGE = "io.energy.bridge.EnergyWindows";
    static final String NO_AGENT = "no energy agent is loaded in this JVM (add -javaagent:/path/to/energy.jar, "
            + "or attach one with energy-attach)";
    static final String NOT_MEASURING = "the energy agent is loaded but not measuring (it has stopped, or it failed "
            + "to start: see its [energy] messages)";
    /**
     * A missing bridge is looked for again at most this often (a failed class lookup costs microseconds): an
     * agent attached later is found within this time.
     */
    static final long RETRY_NANOS = 100_000_000L;

    private static volatile Field hookField;
    private static volatile long lastMiss = Long.MIN_VALUE;

    private Energy() {
    }

    /** Starts a window now. Never throws; without an agent the window's reading says so. */
    public static EnergyWindow begin(String label) {
        return EnergyWindow.begin(label == null ? "window" : label, hook());
    }

    /** True if an energy agent is loaded and measuring, so windows get joules. */
    public static boolean available() {
        return hook() != null;
    }

    /** Why windows get no joules now, or null if they do. */
    public static String unavailableReason() {
        if (hook() != null) {
            return null;
        }
        return hookField == null ? NO_AGENT : NOT_MEASURING;
    }

    /**
     * What the agent measures with, for labels: e.g. {@code "estimate"} or {@code "rapl+nvml"}, or null
     * without an agent.
     */
    public static String source() {
        Function<Object[], Object> h = hook();
        if (h == null) {
            return null;
        }
        try {
            Object s = h.apply(new Object[] {"source"});
            return s instanceof String str ? str : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    static Function<Object[], Object> hook() {
        Field f = hookField;
        if (f == null) {
            long now = System.nanoTime();
            long miss = lastMiss;
            if (miss != Long.MIN_VALUE && now - miss < RETRY_NANOS) {
                return null;
            }
            try {
                // The bootstrap loader only: a copy of the bridge on the class path would be another class
                // with its own (never set) field.
                Class<?> c = Class.forName(BRIDGE, false, null);
                f = c.getField("hook");
                hookField = f;
            } catch (ClassNotFoundException | NoSuchFieldException | LinkageError | SecurityException e) {
                lastMiss = now;
                return null;
            }
        }
        try {
            Object h = f.get(null);
            return h instanceof Function<?, ?> fn ? (Function<Object[], Object>) fn : null;
        } catch (IllegalAccessException | RuntimeException e) {
            return null;
        }
    }
}

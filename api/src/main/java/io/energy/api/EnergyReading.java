package io.energy.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a window cost: this process's joules per domain with a bound, the machine's joules over the same
 * span, wall and CPU time, and whether the figures are estimated (a CPU-time model where no energy counter
 * is readable). Immutable.
 *
 * <p>{@link #joules()} ± {@link #bound()}: the truth lies in that range with ~95% confidence as far as the
 * attribution goes (the window's partial intervals, the CPU clock's and the power source's grain). The error
 * of the estimated model itself is not in the bound; {@link #estimated()} says when it applies.
 */
public final class EnergyReading {
    /** One domain (e.g. {@code package:0}, {@code dram:0}, {@code gpu:0}) over the window. */
    public record Domain(String key, String kind, boolean estimated, boolean inTotal, double joules, double bound,
                         double machineJoules) {
    }

    /** A method's self joules in the attribution intervals that overlap the window (all threads). */
    public record Method(String name, double joules) {
    }

    private final String label;
    private final boolean available;
    private final String reason;
    private final boolean estimated;
    private final String source;
    private final double joules;
    private final double bound;
    private final double machineJoules;
    private final long wallNanos;
    private final long cpuNanos;
    private final long threadCpuNanos;
    private final List<Domain> domains;
    private final List<Method> topMethods;
    private final String thread;

    private EnergyReading(String label, boolean available, String reason, boolean estimated, String source,
                          double joules, double bound, double machineJoules, long wallNanos, long cpuNanos,
                          long threadCpuNanos, List<Domain> domains, List<Method> topMethods, String thread) {
        this.label = label;
        this.available = available;
        this.reason = reason;
        this.estimated = estimated;
        this.source = source;
        this.joules = joules;
        this.bound = bound;
        this.machineJoules = machineJoules;
        this.wallNanos = wallNanos;
        this.cpuNanos = cpuNanos;
        this.threadCpuNanos = threadCpuNanos;
        this.domains = List.copyOf(domains);
        this.topMethods = List.copyOf(topMethods);
        this.thread = thread;
    }

    static EnergyReading unavailable(String label, String reason, EnergyWindow.Timing t) {
        return new EnergyReading(label, false, reason == null ? Energy.NO_AGENT : reason, false, null, Double.NaN,
                Double.NaN, Double.NaN, t.wallNanos(), t.processCpuNanos(), t.threadCpuNanos(), List.of(), List.of(),
                Thread.currentThread().getName());
    }

    @SuppressWarnings("unchecked")
    static EnergyReading fromAgent(String label, Map<String, Object> m, EnergyWindow.Timing t) {
        if (!Boolean.TRUE.equals(m.get("available"))) {
            return unavailable(label, String.valueOf(m.get("reason")), t);
        }
        List<Domain> ds = new ArrayList<>();
        for (Object o : (List<Object>) m.getOrDefault("domains", List.of())) {
            Map<String, Object> d = (Map<String, Object>) o;
            ds.add(new Domain((String) d.get("key"), (String) d.get("kind"), Boolean.TRUE.equals(d.get("estimated")),
                    !Boolean.FALSE.equals(d.get("inTotal")), num(d.get("joules")), num(d.get("bound")),
                    num(d.get("machineJoules"))));
        }
        List<Method> ms = new ArrayList<>();
        for (Object o : (List<Object>) m.getOrDefault("topMethods", List.of())) {
            Map<String, Object> d = (Map<String, Object>) o;
            ms.add(new Method((String) d.get("name"), num(d.get("joules"))));
        }
        long cpu = m.get("cpuNanos") instanceof Number n ? n.longValue() : t.processCpuNanos();
        return new EnergyReading(label, true, null, Boolean.TRUE.equals(m.get("estimated")), (String) m.get("source"),
                num(m.get("joules")), num(m.get("bound")), num(m.get("machineJoules")), t.wallNanos(), cpu,
                t.threadCpuNanos(), ds, ms, (String) m.get("thread"));
    }

    private static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    public String label() {
        return label;
    }

    /** True if an agent measured this window; false without one ({@link #reason()} says why). */
    public boolean available() {
        return available;
    }

    /** Why there are no joules, or null when {@link #available()}. */
    public String reason() {
        return reason;
    }

    /** True when any domain's figure comes from the CPU-time model rather than an energy counter. */
    public boolean estimated() {
        return estimated;
    }

    /** The agent's power source ({@code rapl}, {@code estimate}, {@code rapl+nvml}, ...), or null. */
    public String source() {
        return source;
    }

    /** This process's joules over the window, all domains that add up (RAPL core/uncore/psys are not added); NaN without an agent. */
    public double joules() {
        return joules;
    }

    /** Half-width of the ~95% interval around {@link #joules()}, in joules; NaN without an agent. */
    public double bound() {
        return bound;
    }

    /** The whole machine's joules over the window's span (other processes and idle included); NaN without an agent. */
    public double machineJoules() {
        return machineJoules;
    }

    /** This process's share of the machine's energy over the window, 0..1; NaN without an agent. */
    public double processShare() {
        return machineJoules > 0 ? joules / machineJoules : Double.NaN;
    }

    public long wallNanos() {
        return wallNanos;
    }

    /** The whole process's CPU time over the window (all threads), or -1 if unknown. */
    public long cpuNanos() {
        return cpuNanos;
    }

    /** CPU time of the thread that began the window, if the same thread ended it; else -1. */
    public long threadCpuNanos() {
        return threadCpuNanos;
    }

    public List<Domain> domains() {
        return domains;
    }

    /** The methods with most self joules in the intervals overlapping the window (instrumented methods only). */
    public List<Method> topMethods() {
        return topMethods;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(label).append(": ");
        if (!available) {
            sb.append("no energy reading (").append(reason).append(')');
        } else {
            sb.append(String.format(Locale.ROOT, "%.3f J ±%.3f", joules, bound));
            StringBuilder per = new StringBuilder();
            for (Domain d : domains) {
                per.append(per.length() == 0 ? "" : ", ").append(d.key())
                        .append(String.format(Locale.ROOT, " %.3f J", d.joules()));
            }
            if (per.length() > 0) {
                sb.append(" (").append(per).append(')');
            }
        }
        sb.append(String.format(Locale.ROOT, " in %.3f s wall", wallNanos / 1e9));
        if (cpuNanos >= 0) {
            sb.append(String.format(Locale.ROOT, ", %.3f s CPU", cpuNanos / 1e9));
        }
        if (available && estimated) {
            sb.append(", estimated");
        }
        return sb.toString();
    }
}

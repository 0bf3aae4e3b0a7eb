package io.energy.report;

import java.util.List;
import java.util.Locale;

/** The table printed at exit: the top methods by joules, so a run says what it cost without opening a file. */
public final class TopTable {
    private TopTable() {
    }

    public static String render(EnergyProfile p, int rows, String outDir) {
        StringBuilder sb = new StringBuilder();
        long total = 0;
        for (EnergyProfile.DomainTotal d : p.domains()) {
            if (d.inTotal()) {
                    total += d.measured();
                }
        }
        String label = " (measured)";
        if (p.estimated()) {
            List<String> est = new java.util.ArrayList<>();
            for (EnergyProfile.DomainTotal d : p.domains()) {
                if (d.estimated()) {
                    est.add(d.key());
                }
            }
            label = est.size() == p.domains().size()
                    ? " (ESTIMATED: no energy counters readable, CPU-time model)"
                    : " (" + String.join(", ", est) + " ESTIMATED from CPU time; the rest measured)";
        }
        sb.append(String.format(Locale.ROOT, "[energy] %.3f J in %.2f s from %s%s%n", total / 1e9,
                p.durationNanos() / 1e9, p.source(), label));
        for (EnergyProfile.DomainTotal d : p.domains()) {
            sb.append(String.format(Locale.ROOT, "[energy]   %-10s %10.3f J  (this process %.3f J, idle %.3f J, other processes %.3f J)%s%n",
                    d.key(), d.measured() / 1e9, d.process() / 1e9, d.staticIdle() / 1e9,
                    d.otherProcesses() / 1e9, d.estimated() ? " estimated" : ""));
        }
        sb.append("[energy] CPU energy follows ").append(p.sampler()).append(System.lineSeparator());
        List<MethodStats> methods = p.methods();
        sb.append(String.format(Locale.ROOT, "[energy] %-52s %10s %10s %16s %7s%n", "method (self)", "calls",
                "cpu ms", "joules", "share"));
        int shown = 0;
        for (MethodStats m : methods) {
            if (shown >= rows) {
                break;
            }
            if (m.kind() != EnergyProfile.Kind.METHOD && !PROCESS_BUCKETS.contains(m.name())) {
                continue;
            }
            shown++;
            boolean stopped = p.health().countingStopped(m.name()) != null;
            sb.append(String.format(Locale.ROOT, "[energy] %-52s %9s%s %10.1f %9.3f ±%5.3f %6.1f%%%n",
                    shorten(m.name(), 52), m.calls() > 0 || m.kind() != EnergyProfile.Kind.METHOD
                            ? Long.toString(m.calls()) : "-", stopped ? "*" : " ", m.selfCpuNanos() / 1e6,
                    m.selfTotal() / 1e9, m.selfBoundTotal(), total > 0 ? 100.0 * m.selfTotal() / total : 0));
        }
        // Instrumented methods: their exact calls and what they cost with everything they called (JDK and
        // library frames included), which is the figure a developer who named them asks for.
        List<MethodStats> counted = new java.util.ArrayList<>();
        for (MethodStats m : methods) {
            if (m.kind() == EnergyProfile.Kind.METHOD && m.calls() > 0) {
                counted.add(m);
            }
        }
        if (!counted.isEmpty() && rows > 0) {
            counted.sort((a, b) -> Long.compare(b.inclusiveTotal(), a.inclusiveTotal()));
            sb.append(String.format(Locale.ROOT, "[energy] %-52s %10s %10s %16s %7s%n", "instrumented method (inclusive)",
                    "calls", "wall ms", "joules", "share"));
            for (int i = 0; i < Math.min(rows, counted.size()); i++) {
                MethodStats m = counted.get(i);
                boolean stopped = p.health().countingStopped(m.name()) != null;
                sb.append(String.format(Locale.ROOT, "[energy] %-52s %9d%s %10.1f %9.3f ±%5.3f %6.1f%%%n",
                        shorten(m.name(), 52), m.calls(), stopped ? "*" : " ", m.wallNanos() / 1e6,
                        m.inclusiveTotal() / 1e9, m.inclusiveBoundTotal(),
                        total > 0 ? 100.0 * m.inclusiveTotal() / total : 0));
            }
        }
        EnergyProfile.Health h = p.health();
        if (!h.overhead().stopped().isEmpty()) {
            sb.append(String.format(Locale.ROOT, "[energy] * counting stopped by the overhead budget (overhead=%s) in %d "
                    + "methods: calls are those counted until then, energy still sampled; overhead=off counts every call%n",
                    h.overhead().budgetText(), h.overhead().stopped().size()));
        }
        String cost = h.overhead().countingCost(h.processCpuNanos());
        if (!cost.isEmpty()) {
            // What counting cost over the whole run, said even when it is over the budget: the budget stops
            // methods once a window (1 s) was over it, so each new hot phase is counted for a window first.
            sb.append("[energy] counting cost ").append(cost).append(System.lineSeparator());
        }
        if (h.trivialSkipped() > 0) {
            sb.append(String.format(Locale.ROOT, "[energy] %d trivial methods (no calls, no loops) not instrumented: "
                    + "their time stays with their callers; weave.trivial=true instruments them%n", h.trivialSkipped()));
        }
        if (outDir != null) {
            sb.append("[energy] files in ").append(outDir).append(System.lineSeparator());
        }
        return sb.toString();
    }

    /** Buckets of this process's own energy: shown among the methods, since they compete for the same joules. */
    private static final java.util.Set<String> PROCESS_BUCKETS = java.util.Set.of("(uninstrumented)", "(unattributed)",
            "(GC)", "(JIT compiler)", "(JVM)", "(energy agent)");

    static String shorten(String s, int max) {
        return s.length() <= max ? s : "…" + s.substring(s.length() - max + 1);
    }
}

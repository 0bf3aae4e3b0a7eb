package io.energy.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The immutable picture of a run that every writer reads: built once from the ledger per dump, so all
 * files of one dump agree to the nanojoule.
 *
 * @param schemaVersion version of the files' schema (energy-summary.json's "schemaVersion")
 * @param agentVersion  version of the agent that wrote it
 * @param startEpochMillis when measuring started (wall clock)
 * @param durationNanos measured time covered
 * @param source        the power source's name (rapl, nvml, estimate, replay, or a + of several)
 * @param estimated     true if any domain is estimated
 * @param domains       per domain: identity and totals
 * @param root          the call tree: methods under the root, and the ledger's buckets as top-level frames
 * @param timeline      power over time
 * @param health        what was dropped, capped, anomalous, and what observing cost
 * @param notes         sentences for people: why a figure is estimated, what was not available
 * @param sampler       what found the stacks that CPU energy follows (async-profiler, jfr-cpu-time, call-paths)
 * @param windows       measurement windows (io.energy.api.Energy.begin/end) that ended, oldest first
 */
public record EnergyProfile(int schemaVersion, String agentVersion, long startEpochMillis, long durationNanos,
                            String source, boolean estimated, List<DomainTotal> domains, Node root,
                            List<TimelinePoint> timeline, Health health, List<String> notes, String sampler,
                            List<Window> windows) {

    /** A profile attributed by the instrumented call paths (tests and fixtures made before stack sampling). */
    public EnergyProfile(int schemaVersion, String agentVersion, long startEpochMillis, long durationNanos,
                         String source, boolean estimated, List<DomainTotal> domains, Node root,
                         List<TimelinePoint> timeline, Health health, List<String> notes) {
        this(schemaVersion, agentVersion, startEpochMillis, durationNanos, source, estimated, domains, root, timeline,
                health, notes, "call-paths", List.of());
    }

    /** A profile without measurement windows. */
    public EnergyProfile(int schemaVersion, String agentVersion, long startEpochMillis, long durationNanos,
                         String source, boolean estimated, List<DomainTotal> domains, Node root,
                         List<TimelinePoint> timeline, Health health, List<String> notes, String sampler) {
        this(schemaVersion, agentVersion, startEpochMillis, durationNanos, source, estimated, domains, root, timeline,
                health, notes, sampler, List.of());
    }

    public static final int SCHEMA_VERSION = 1;

    // ---- measurement windows (issue 15) ----

    /** The same profile with these windows. */
    public EnergyProfile withWindows(List<Window> w) {
        return new EnergyProfile(schemaVersion, agentVersion, startEpochMillis, durationNanos, source, estimated,
                domains, root, timeline, health, notes, sampler, List.copyOf(w));
    }

    /**
     * One measurement window: this process's energy per domain (index-aligned with {@link #domains()}) over
     * the window's span, with a bound, and the machine's energy over the same span.
     *
     * @param startOffsetNanos when it began, after the agent started
     * @param cpuNanos         the whole process's CPU time over the window, or -1
     * @param boundJoules      half-width of the interval around the process energy, per domain, in joules
     */
    public record Window(String label, String thread, long startOffsetNanos, long wallNanos, long cpuNanos,
                         boolean estimated, long[] processNanoJoules, double[] boundJoules, long[] machineNanoJoules) {
    }

    /** A domain and where its energy went, in nanojoules; the parts add up to {@code measured}. */
    /**
     * @param pending the part of the process's energy still waiting for stack samples (a profile between two
     *                harvests): shown in the {@code (unattributed)} bucket so that every file adds up, and moved
     *                to the methods by the next harvest
     */
    public record DomainTotal(String key, String kind, int device, boolean estimated, long grainNanos, String origin,
                              long measured, long staticIdle, long otherProcesses, long process, long pending) {
        /** A total with nothing pending (no stack sampler, or just after a harvest). */
        public DomainTotal(String key, String kind, int device, boolean estimated, long grainNanos, String origin,
                           long measured, long staticIdle, long otherProcesses, long process) {
            this(key, kind, device, estimated, grainNanos, origin, measured, staticIdle, otherProcesses, process, 0);
        }

        public double joules() {
            return measured / 1e9;
        }

        /** False for domains contained in others (RAPL core, uncore, psys): left out of totals. */
        public boolean inTotal() {
            return io.energy.power.Domain.inTotal(kind);
        }
    }

    public enum Kind { ROOT, METHOD, BUCKET }

    /**
     * One call path (or bucket). {@code wallNanos} and {@code cpuNanos} are self time (this frame on top).
     * Energies are self (this frame only), per domain, in nanojoules; bounds
     * are one-sided half-widths in joules (the truth is in {@code self ± bound} with ~95% confidence).
     *
     * <p>Immutable, children first: a node's inclusive sums are its own plus its children's, added up once when it
     * is made. (They were walked anew at every call, and every writer asks every node, which made each writer
     * O(nodes × depth): with real stacks 40–60 frames deep, a second of CPU at exit for {@code include=org.h2.**}.)
     * The arrays are the node's own; callers do not change them.
     */
    public static final class Node {
        private final String name;
        private final String className;
        private final String methodName;
        private final String descriptor;
        private final Kind kind;
        private final long calls;
        private final long wallNanos;
        private final long cpuNanos;
        private final long[] selfNanoJoules;
        private final double[] selfBoundJoules;
        private final List<Node> children;
        private final boolean[] inTotal;
        private final double[] inclusiveBoundJoules;
        private final long[] inclusive;
        private final double[] inclusiveVariance;
        private final long inclusiveWallNanos;
        private final long inclusiveCpuNanos;
        private final long inclusiveTotal;

        public Node(String name, String className, String methodName, String descriptor, Kind kind, long calls,
                    long wallNanos, long cpuNanos, long[] selfNanoJoules, double[] selfBoundJoules,
                    List<Node> children, boolean[] inTotal, double[] inclusiveBoundJoules) {
            this.name = name;
            this.className = className;
            this.methodName = methodName;
            this.descriptor = descriptor;
            this.kind = kind;
            this.calls = calls;
            this.wallNanos = wallNanos;
            this.cpuNanos = cpuNanos;
            this.selfNanoJoules = selfNanoJoules;
            this.selfBoundJoules = selfBoundJoules;
            this.children = children;
            this.inTotal = inTotal;
            this.inclusiveBoundJoules = inclusiveBoundJoules;
            int nd = selfNanoJoules.length;
            inclusive = selfNanoJoules.clone();
            inclusiveVariance = new double[nd];
            long wall = wallNanos;
            long cpu = cpuNanos;
            long total = selfTotal();
            for (int d = 0; d < nd; d++) {
                inclusiveVariance[d] = inclusiveBoundJoules != null
                        ? (inclusiveBoundJoules[d] / 2) * (inclusiveBoundJoules[d] / 2)
                        : (selfBoundJoules[d] / 2) * (selfBoundJoules[d] / 2);
            }
            for (Node c : children) {
                for (int d = 0; d < nd; d++) {
                    inclusive[d] += c.inclusive[d];
                    if (inclusiveBoundJoules == null) {
                        inclusiveVariance[d] += c.inclusiveVariance[d];
                    }
                }
                wall += c.inclusiveWallNanos;
                cpu += c.inclusiveCpuNanos;
                total += c.inclusiveTotal;
            }
            inclusiveWallNanos = wall;
            inclusiveCpuNanos = cpu;
            inclusiveTotal = total;
        }

        /** A node whose inclusive bound is its subtree's self bounds in quadrature. */
        public Node(String name, String className, String methodName, String descriptor, Kind kind, long calls,
                    long wallNanos, long cpuNanos, long[] selfNanoJoules, double[] selfBoundJoules,
                    List<Node> children, boolean[] inTotal) {
            this(name, className, methodName, descriptor, kind, calls, wallNanos, cpuNanos, selfNanoJoules,
                    selfBoundJoules, children, inTotal, null);
        }

        public String name() {
            return name;
        }

        public String className() {
            return className;
        }

        public String methodName() {
            return methodName;
        }

        public String descriptor() {
            return descriptor;
        }

        public Kind kind() {
            return kind;
        }

        public long calls() {
            return calls;
        }

        public long wallNanos() {
            return wallNanos;
        }

        public long cpuNanos() {
            return cpuNanos;
        }

        public long[] selfNanoJoules() {
            return selfNanoJoules;
        }

        public double[] selfBoundJoules() {
            return selfBoundJoules;
        }

        public List<Node> children() {
            return children;
        }

        public boolean[] inTotal() {
            return inTotal;
        }

        /** The ledger's inclusive bound per domain (joules, with a stack sampler), or null. */
        public double[] inclusiveBoundJoules() {
            return inclusiveBoundJoules;
        }

        /** Self energy over the domains that add up (see {@link DomainTotal#inTotal()}). */
        public long selfTotal() {
            long s = 0;
            for (int d = 0; d < selfNanoJoules.length; d++) {
                if (inTotal == null || inTotal[d]) {
                    s += selfNanoJoules[d];
                }
            }
            return s;
        }

        /** The bound of {@link #selfTotal()}: the per-domain bounds of the domains that add up, in quadrature. */
        public double selfBoundTotal() {
            double v = 0;
            for (int d = 0; d < selfBoundJoules.length; d++) {
                if (inTotal == null || inTotal[d]) {
                    v += selfBoundJoules[d] * selfBoundJoules[d];
                }
            }
            return Math.sqrt(v);
        }

        public long inclusive(int domain) {
            return inclusive[domain];
        }

        /**
         * Variance (J²) of the inclusive energy. With a stack sampler the ledger found it from the samples
         * that passed through this path ({@code inclusiveBoundJoules}). Otherwise: the self bounds of the
         * subtree in quadrature, which overstates a subtree's bound where its paths take turns on one thread
         * (their errors are anti-correlated), rather than understating it.
         */
        public double inclusiveVariance(int domain) {
            return inclusiveVariance[domain];
        }

        public long inclusiveWallNanos() {
            return inclusiveWallNanos;
        }

        public long inclusiveCpuNanos() {
            return inclusiveCpuNanos;
        }

        public long inclusiveTotal() {
            return inclusiveTotal;
        }

        @Override
        public String toString() {
            return "Node[" + name + ", " + kind + ", calls=" + calls + ", children=" + children.size() + "]";
        }
    }

    /** One stretch of the run: watts per domain, measured and this process's part. */
    public record TimelinePoint(double startSeconds, double endSeconds, double[] watts, double[] processWatts,
                                String topMethod) {
    }

    /**
     * @param pathsOverCap      call paths folded into "(other paths)" because of max.paths
     * @param callsBeyondDepth  calls deeper than max.depth (counted on their deepest kept frame)
     * @param anomalies         counter anomalies of the power sources
     * @param agentCpuNanos     CPU time of the agent's own threads
     * @param sourceReadNanos   CPU time spent reading the power source (NVML's energy read is expensive)
     * @param processCpuNanos   CPU time of the whole process
     * @param instrumentedMethods methods carrying advice
     * @param threads           threads that ran instrumented code
     * @param pathNodes         distinct call paths in the ledger
     * @param trivialSkipped    methods the include patterns named that were left unwoven as trivial
     * @param overhead          the overhead budget and what it stopped counting
     * @param stackSamples      CPU-time samples of real stacks attributed (0 without a stack sampler)
     */
    public record Health(long pathsOverCap, long callsBeyondDepth, long anomalies, long agentCpuNanos,
                         long sourceReadNanos, long processCpuNanos, int instrumentedMethods, int threads,
                         int pathNodes, long trivialSkipped, Overhead overhead, long internalErrors,
                         long bridgeErrors, long methodsTooLarge, long stackSamples) {

        /**
         * The fields of issues 13 and 14 zero: {@code trivialSkipped} methods left unwoven as trivial,
         * {@code overhead} the budget's report, {@code internalErrors} throwables the agent's own threads
         * swallowed, {@code bridgeErrors} those the bridge swallowed on application threads,
         * {@code methodsTooLarge} the methods left unwoven because the bridge calls would push them past the
         * JVM's 64 KB code limit; {@code stackSamples} the CPU-time samples of real stacks attributed (0 without
         * a stack sampler).
         */
        public Health(long pathsOverCap, long callsBeyondDepth, long anomalies, long agentCpuNanos,
                      long sourceReadNanos, long processCpuNanos, int instrumentedMethods, int threads, int pathNodes) {
            this(pathsOverCap, callsBeyondDepth, anomalies, agentCpuNanos, sourceReadNanos, processCpuNanos,
                    instrumentedMethods, threads, pathNodes, 0, Overhead.NONE, 0, 0, 0, 0);
        }

        /**
         * Energy (J) below which a method can have run unseen by the stack sampler, for a domain whose process
         * part is {@code processJoules}: three samples' worth (a method that used three periods of CPU has a
         * 5% chance of no sample, fewer periods more); NaN without stack samples. Methods missing from a profile
         * are below it, at 95%.
         */
        public double unsampledBoundJoules(double processJoules) {
            return stackSamples > 0 ? 3 * processJoules / stackSamples : Double.NaN;
        }

        /** When the overhead budget stopped counting this method ({@code className.methodName}), or null. */
        public CountingStopped countingStopped(String method) {
            return overhead.stoppedByMethod().get(method);
        }
    }

    /**
     * The overhead budget ({@code overhead=}) and what it did.
     *
     * @param budget              share of the process's CPU counting may cost; 0 when off
     * @param callCostNanos       cost of one woven call the budget assumes
     * @param estimatedCostNanos  calls counted × that cost: what counting cost by the budget's estimate
     * @param stopped             methods whose counting stopped, in the order it happened
     * @param weaveNanos          time spent weaving classes as they loaded or were retransformed
     * @param stoppedByMethod     {@code stopped} by method, the first entry of each (every writer asks for every
     *                            method: a scan of the list made that O(methods × stopped))
     */
    public record Overhead(double budget, double callCostNanos, double estimatedCostNanos,
                           List<CountingStopped> stopped, long weaveNanos, Map<String, CountingStopped> stoppedByMethod) {
        public static final Overhead NONE = new Overhead(0, 0, 0, List.of(), 0);

        public Overhead(double budget, double callCostNanos, double estimatedCostNanos, List<CountingStopped> stopped,
                        long weaveNanos) {
            this(budget, callCostNanos, estimatedCostNanos, stopped, weaveNanos, byMethod(stopped));
        }

        private static Map<String, CountingStopped> byMethod(List<CountingStopped> stopped) {
            Map<String, CountingStopped> m = new java.util.HashMap<>();
            for (CountingStopped c : stopped) {
                m.putIfAbsent(c.method(), c);
            }
            return Collections.unmodifiableMap(m);
        }

        public String budgetText() {
            return budget > 0 ? String.format(java.util.Locale.ROOT, "%s%%", trim(budget * 100)) : "off";
        }

        /**
         * What counting cost, for people: the one wording of the exit table and {@code status}, e.g. "~883 ms of
         * CPU by the budget's estimate (30 ns a call): 7.0% of the process's CPU (overhead=1%); weaving classes
         * 517 ms"; empty when nothing was counted or the process's CPU is not known.
         */
        public String countingCost(long processCpuNanos) {
            if (!(estimatedCostNanos > 0) || processCpuNanos <= 0) {
                return "";
            }
            return "~" + Math.round(estimatedCostNanos / 1e6) + " ms of CPU by the budget's estimate ("
                    + Math.round(callCostNanos) + " ns a call): "
                    + io.energy.text.Decimals.fixed(100 * estimatedCostNanos / processCpuNanos, 1)
                    + "% of the process's CPU (overhead=" + budgetText() + "); weaving classes "
                    + Math.round(weaveNanos / 1e6) + " ms";
        }

        private static String trim(double pct) {
            String s = String.format(java.util.Locale.ROOT, "%.4f", pct);
            return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
        }
    }

    /**
     * A method the overhead budget took the counting out of (its bytecode restored while the program ran).
     * Its calls up to then stay in the figures; its energy still comes from the samples, on its caller.
     *
     * @param method         {@code className.methodName}, as in the methods' names
     * @param atSeconds      when counting stopped, seconds after measuring started
     * @param callsPerSecond its call rate in the window that decided it
     * @param costShare      the share of the process's CPU its counting cost in that window
     * @param reason         one sentence for people
     */
    public record CountingStopped(String method, double atSeconds, double callsPerSecond, double costShare,
                                  String reason) {
    }

    /** Measured energy over the domains that add up: the run's total. */
    public long measuredTotal() {
        long s = 0;
        for (DomainTotal d : domains) {
            if (d.inTotal()) {
                s += d.measured();
            }
        }
        return s;
    }

    /** Which domains add up to the total, index-aligned with {@link #domains()}. */
    public boolean[] inTotal() {
        boolean[] m = new boolean[domains.size()];
        for (int d = 0; d < m.length; d++) {
            m[d] = domains.get(d).inTotal();
        }
        return m;
    }

    /** Joules of the whole ledger in a domain (equals the domain's measured energy). */
    public long total(int domain) {
        return root.inclusive(domain);
    }

    public long totalAllDomains() {
        return root.inclusiveTotal();
    }

    /**
     * Per method (merging every call path it appears on): self and inclusive energy, calls, time. A
     * recursive method's inclusive energy counts each nested stretch once.
     */
    public List<MethodStats> methods() {
        Map<String, MethodStats.Builder> by = new LinkedHashMap<>();
        int nd = domains.size();
        collect(root, new HashSet<>(), by, nd, inTotal());
        List<MethodStats> out = new ArrayList<>();
        for (MethodStats.Builder b : by.values()) {
            out.add(b.build());
        }
        out.sort((a, b) -> Long.compare(b.selfTotal(), a.selfTotal()));
        return Collections.unmodifiableList(out);
    }

    /**
     * @param onPath the methods whose inclusive energy an enclosing frame already counts: a set, not the path
     *               itself, because real stacks are deep (a list's {@code contains} made this walk O(paths × depth))
     */
    private static void collect(Node n, Set<String> onPath, Map<String, MethodStats.Builder> by, int nd,
                                boolean[] inTotal) {
        boolean counted = false;
        if (n.kind() != Kind.ROOT) {
            MethodStats.Builder b = by.computeIfAbsent(n.name(), k -> new MethodStats.Builder(n, nd, inTotal));
            b.addSelf(n);
            counted = onPath.add(n.name());
            if (counted) {
                b.addInclusive(n);
            }
        }
        for (Node c : n.children()) {
            collect(c, onPath, by, nd, inTotal);
        }
        if (counted) {
            onPath.remove(n.name());
        }
    }
}

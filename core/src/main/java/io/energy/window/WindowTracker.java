package io.energy.window;

import io.energy.attribute.EnergyLedger;
import io.energy.attribute.IntervalInput;
import io.energy.attribute.LedgerNode;
import io.energy.bridge.EnergyWindows;
import io.energy.instrument.MethodRegistry;
import io.energy.power.Domain;
import io.energy.report.EnergyProfile;

import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Measurement windows ({@code io.energy.api.Energy.begin(label)} ... {@code end()}): the process's energy over a
 * stretch of wall-clock time, computed from the ledger's intervals.
 *
 * <p>Each interval the ledger attributes gives this process's energy per domain (measured minus other processes
 * minus static/idle: the agent's own cost is part of the process). A window gets the whole process part of the
 * intervals inside it and a fraction of the two intervals it begins and ends in. The fraction is the process's
 * CPU time in the window's part of the interval over its CPU time in the whole interval — the same rule that
 * splits an interval's energy among threads — read from the OS's process CPU clock at the window's ends and at
 * each interval's end. Where that clock did not move in the interval, the fraction is by wall time.
 *
 * <p>GPU domains are pro-rated by wall time instead: a GPU's energy follows the time its kernels run, while the
 * thread that launched them mostly waits. Their bound takes the uncertain part of each partial interval whole.
 *
 * <p>The bound, per domain, adds for each partial end: the process energy of one CPU-clock grain (10 ms of CPU
 * on Linux) of that interval, since each reading of the clock may be off by a grain; plus the process power
 * times the power source's grain, since a counter that moves in steps puts energy into the wrong interval by up
 * to one grain. Where the fraction is by wall time, the partial interval's whole uncertain part (the larger of
 * the fraction and its complement) is the bound: a window's energy is never claimed finer than its data.
 *
 * <p>Called from application threads through the bridge hook ({@link #apply}), and from the collector thread
 * with the ledger lock held ({@link #intervalClosed}). Lock order: the ledger, then this tracker.
 */
public final class WindowTracker implements Function<Object[], Object> {
    /** Windows begun and not ended are bounded: a leak in the application must not grow the agent. */
    static final int MAX_OPEN = 10_000;
    /** Ended windows kept for the outputs (the oldest are dropped first, and counted). */
    static final int MAX_KEPT = 1_000;
    /** Top methods are skipped in ledgers larger than this: the snapshot is a walk of the whole call tree. */
    static final int MAX_NODES_FOR_TOP = 100_000;
    static final int TOP_METHODS = 5;
    /**
     * Open windows that keep a snapshot of every method's energy (for their top methods): windows an application
     * begins and never ends must not hold a copy of the call tree each. Windows beyond this get no top methods.
     */
    static final int MAX_SNAPSHOTS = 64;
    /** How far apart two readings of the process CPU clock may be while measuring the same instant (Linux: one tick). */
    static final long CPU_GRAIN_NANOS = 10_000_000L;

    private final EnergyLedger ledger;
    private final MethodRegistry registry;
    private final String sourceName;
    private final List<Domain> domains;
    private final boolean[] inTotal;
    private final boolean[] gpu;
    private final boolean jfr;
    /** How long an ended window waits for its last interval: two intervals and a margin for the collector's tick. */
    private final long endWaitMillis;
    private final long originNanos = System.nanoTime();
    /**
     * The process CPU clock, made on first use: the first interval's close, on the collector thread. Making it
     * reads the container's cgroup files (~15-40 ms at launch), which the application's main need not wait for.
     */
    private volatile com.sun.management.OperatingSystemMXBean os;
    private volatile boolean osMade;
    private final Map<Long, Window> open = new LinkedHashMap<>();
    private final ArrayDeque<EnergyProfile.Window> kept = new ArrayDeque<>();
    private long dropped;
    private int snapshots;
    private long nextId = 1;
    private long lastBoundaryNanos = Long.MIN_VALUE;
    private long lastBoundaryCpu = -1;
    private final long[] lastProcessCum;
    private volatile boolean closed;
    /** Asks the collector to harvest the stack sampler at the next interval's close (set by the session). */
    private volatile Runnable harvestRequest;

    /** One window while it is open or waiting for its last interval. Guarded by the tracker. */
    private static final class Window {
        final long id;
        final String label;
        final String thread;
        final long beginNanos;
        final long beginCpu;
        final Map<Integer, Long> beginMethods;
        final Object event;
        final double[] process;
        final double[] bound;
        final double[] machine;
        final CompletableFuture<Object> future = new CompletableFuture<>();
        boolean ended;
        boolean snapshot;
        long endNanos;
        long endCpu;
        int intervals;

        Window(long id, String label, String thread, long beginNanos, long beginCpu, Map<Integer, Long> beginMethods,
               Object event, int domains) {
            this.id = id;
            this.label = label;
            this.thread = thread;
            this.beginNanos = beginNanos;
            this.beginCpu = beginCpu;
            this.beginMethods = beginMethods;
            this.event = event;
            this.process = new double[domains];
            this.bound = new double[domains];
            this.machine = new double[domains];
        }
    }

    /** What to call when a window ends so that the next interval brings its stack samples. */
    public void onWindowEnd(Runnable harvestRequest) {
        this.harvestRequest = harvestRequest;
    }

    public WindowTracker(EnergyLedger ledger, MethodRegistry registry, String sourceName, long intervalNanos,
                         boolean jfr) {
        this.endWaitMillis = 2 * intervalNanos / 1_000_000 + 200;
        this.ledger = ledger;
        this.registry = registry;
        this.sourceName = sourceName;
        this.domains = ledger.domains();
        this.inTotal = new boolean[domains.size()];
        this.gpu = new boolean[domains.size()];
        for (int d = 0; d < inTotal.length; d++) {
            inTotal[d] = domains.get(d).inTotal();
            gpu[d] = domains.get(d).isGpu();
        }
        this.jfr = jfr;
        this.lastProcessCum = processCumulative();
    }

    /** Makes windows reachable from the application through the bootstrap bridge. */
    public void install() {
        EnergyWindows.hook = this;
    }

    /**
     * Measuring stopped (after the last interval was closed): windows that ended are resolved by now; windows
     * still open will answer that the agent stopped. The hook is cleared if it is still this tracker's.
     */
    public void uninstall() {
        if (EnergyWindows.hook == this) {
            EnergyWindows.hook = null;
        }
        List<Window> pending;
        synchronized (this) {
            closed = true;
            pending = new ArrayList<>();
            for (Window w : open.values()) {
                if (w.ended) {
                    pending.add(w);
                }
            }
            open.values().removeAll(pending);
            for (Window w : pending) {
                release(w);
            }
        }
        for (Window w : pending) {
            w.future.complete(unavailable("the agent stopped measuring before the window's last interval was "
                    + "attributed"));
        }
    }

    /** The bridge protocol: {"begin", label} → Long id or a reason; {"end", id} → a future of a map; {"source"}. */
    @Override
    public Object apply(Object[] request) {
        try {
            String op = request != null && request.length > 0 ? String.valueOf(request[0]) : "";
            switch (op) {
                case "begin":
                    return begin(request.length > 1 ? String.valueOf(request[1]) : "window");
                case "end":
                    return end(request.length > 1 && request[1] instanceof Long id ? id : -1L);
                case "source":
                    return sourceName;
                default:
                    return "unknown request '" + op + "' (this agent knows begin, end, source)";
            }
        } catch (Throwable t) {
            // The application's thread must never see the agent's failure as an exception.
            return "internal error in the energy agent: " + t;
        }
    }

    private Object begin(String label) {
        if (closed) {
            return "the energy agent has stopped measuring";
        }
        Map<Integer, Long> methods = null;
        boolean snapshot;
        synchronized (this) {
            snapshot = snapshots < MAX_SNAPSHOTS;
            if (snapshot) {
                snapshots++;
            }
        }
        if (snapshot) {
            synchronized (ledger) {
                if (ledger.nodeCount() <= MAX_NODES_FOR_TOP) {
                    methods = methodSelf();
                }
            }
        }
        Object event = null;
        if (jfr) {
            try {
                event = JfrWindow.begin(label);
            } catch (Throwable t) {
                event = null; // no JFR in this runtime: the window still measures
            }
        }
        long cpu = processCpu();
        long now = System.nanoTime();
        synchronized (this) {
            if (open.size() >= MAX_OPEN) {
                if (snapshot) {
                    snapshots--;
                }
                return "too many open windows (" + MAX_OPEN + "): end the windows you begin";
            }
            long id = nextId++;
            Window w = new Window(id, label, Thread.currentThread().getName(), now, cpu, methods, event,
                    domains.size());
            w.snapshot = snapshot;
            open.put(id, w);
            return id;
        }
    }

    private Object end(long id) {
        long now = System.nanoTime();
        long cpu = processCpu();
        Window w;
        synchronized (this) {
            w = open.get(id);
            if (w == null || w.ended) {
                return CompletableFuture.completedFuture(unavailable("unknown window " + id
                        + " (ended already, or begun with another agent)"));
            }
            if (closed) {
                open.remove(id);
                release(w);
                w.future.complete(unavailable("the energy agent stopped measuring before the window ended"));
                return w.future;
            }
            w.ended = true;
            w.endNanos = now;
            w.endCpu = cpu;
        }
        // The stack sampler may harvest less often than every interval: the interval holding this end must
        // bring its samples, or the window's top methods would miss its last stretch.
        Runnable r = harvestRequest;
        if (r != null) {
            r.run();
        }
        // The interval holding the end closes within one interval and a tick; if the collector is stalled the
        // application gets an answer anyway, after two intervals (the window still resolves later, for the outputs).
        w.future.completeOnTimeout(unavailable("no interval was attributed within " + endWaitMillis
                + " ms of the window's end (the agent's collector is stalled or stopping)"), endWaitMillis,
                java.util.concurrent.TimeUnit.MILLISECONDS);
        if (w.event != null) {
            try {
                JfrWindow.end(w.event);
            } catch (Throwable t) {
                // JFR trouble costs the event, never the reading
            }
        }
        return w.future;
    }

    /**
     * One interval was attributed (collector thread, ledger lock held): give each open window its part, and
     * resolve the windows whose end lies in it.
     */
    public void intervalClosed(IntervalInput in) {
        long s = in.startNanos();
        long e = in.endNanos();
        long cpuNow = processCpu();
        long cpuStart = lastBoundaryNanos == s ? lastBoundaryCpu : -1;
        long[] cum = processCumulative();
        int nd = domains.size();
        double[] proc = new double[nd];
        double[] machine = new double[nd];
        double[] grainTerm = new double[nd];
        double span = Math.max(1, e - s);
        for (int d = 0; d < nd; d++) {
            proc[d] = Math.max(0, cum[d] - lastProcessCum[d]);
            machine[d] = Math.max(0, in.nanoJoules()[d]);
            // energy a stepping counter can put into the neighbouring interval: process power × grain
            grainTerm[d] = proc[d] / span * Math.min(span, domains.get(d).grainNanos());
        }
        System.arraycopy(cum, 0, lastProcessCum, 0, nd);
        lastBoundaryNanos = e;
        lastBoundaryCpu = cpuNow;
        long cpu = cpuStart >= 0 && cpuNow >= 0 ? cpuNow - cpuStart : -1;
        List<Window> done = new ArrayList<>();
        synchronized (this) {
            for (Iterator<Window> it = open.values().iterator(); it.hasNext(); ) {
                Window w = it.next();
                if (w.beginNanos >= e) {
                    continue;
                }
                long from = Math.max(s, w.beginNanos);
                long to = w.ended ? Math.min(e, w.endNanos) : e;
                boolean beginPartial = w.beginNanos > s;
                boolean endPartial = w.ended && w.endNanos < e;
                int partialEnds = (beginPartial ? 1 : 0) + (endPartial ? 1 : 0);
                double timeFraction = Math.max(0, to - from) / span;
                double fraction;
                double uncertain;
                if (cpu > 0) {
                    long lo = beginPartial && w.beginCpu >= 0 ? w.beginCpu : cpuStart;
                    long hi = endPartial && w.endCpu >= 0 ? w.endCpu : cpuNow;
                    fraction = clamp((double) (hi - lo) / cpu);
                    uncertain = Math.min(1.0, partialEnds * (double) CPU_GRAIN_NANOS / cpu);
                } else {
                    fraction = timeFraction;
                    uncertain = partialEnds == 0 ? 0 : Math.max(fraction, 1 - fraction);
                }
                double timeUncertain = partialEnds == 0 ? 0 : Math.max(timeFraction, 1 - timeFraction);
                for (int d = 0; d < nd; d++) {
                    // A GPU's energy follows wall time (kernels run while the launching thread waits), not CPU.
                    boolean byTime = gpu[d];
                    w.process[d] += (byTime ? timeFraction : fraction) * proc[d];
                    w.machine[d] += timeFraction * machine[d];
                    w.bound[d] += (byTime ? timeUncertain : uncertain) * proc[d] + partialEnds * grainTerm[d];
                }
                w.intervals++;
                if (w.ended && w.endNanos <= e) {
                    it.remove();
                    release(w);
                    done.add(w);
                }
            }
        }
        for (Window w : done) {
            resolve(w);
        }
    }

    /** Tracker lock held: the window no longer counts against {@link #MAX_SNAPSHOTS}. */
    private void release(Window w) {
        if (w.snapshot) {
            w.snapshot = false;
            snapshots--;
        }
    }

    /** Ledger lock held. */
    private void resolve(Window w) {
        int nd = domains.size();
        long[] procNj = new long[nd];
        long[] machineNj = new long[nd];
        double[] boundJ = new double[nd];
        double total = 0;
        double bound = 0;
        double machineTotal = 0;
        boolean estimated = false;
        List<Object> ds = new ArrayList<>();
        for (int d = 0; d < nd; d++) {
            Domain dom = domains.get(d);
            procNj[d] = Math.round(w.process[d]);
            machineNj[d] = Math.round(w.machine[d]);
            boundJ[d] = w.bound[d] / 1e9;
            if (inTotal[d]) {
                total += w.process[d];
                bound += w.bound[d];
                machineTotal += w.machine[d];
                estimated |= dom.estimated();
            }
            Map<String, Object> dm = new HashMap<>();
            dm.put("key", dom.key());
            dm.put("kind", dom.kind());
            dm.put("estimated", dom.estimated());
            dm.put("inTotal", inTotal[d]);
            dm.put("joules", w.process[d] / 1e9);
            dm.put("bound", w.bound[d] / 1e9);
            dm.put("machineJoules", w.machine[d] / 1e9);
            ds.add(dm);
        }
        long cpuNanos = w.beginCpu >= 0 && w.endCpu >= 0 ? w.endCpu - w.beginCpu : -1;
        Map<String, Object> m = new HashMap<>();
        m.put("available", true);
        m.put("source", sourceName);
        m.put("estimated", estimated);
        m.put("joules", total / 1e9);
        m.put("bound", bound / 1e9);
        m.put("machineJoules", machineTotal / 1e9);
        m.put("cpuNanos", cpuNanos);
        m.put("wallNanos", w.endNanos - w.beginNanos);
        m.put("intervals", w.intervals);
        m.put("thread", w.thread);
        m.put("domains", ds);
        m.put("topMethods", topMethods(w));
        EnergyProfile.Window record = new EnergyProfile.Window(w.label, w.thread, w.beginNanos - originNanos,
                w.endNanos - w.beginNanos, cpuNanos, estimated, procNj, boundJ, machineNj);
        synchronized (this) {
            kept.addLast(record);
            if (kept.size() > MAX_KEPT) {
                kept.removeFirst();
                dropped++;
            }
        }
        if (w.event != null) {
            try {
                JfrWindow.commit(w.event, total / 1e9, bound / 1e9, machineTotal / 1e9, cpuNanos, estimated);
            } catch (Throwable t) {
                // the reading matters more than the event
            }
        }
        w.future.complete(m);
    }

    private List<Object> topMethods(Window w) {
        if (w.beginMethods == null || ledger.nodeCount() > MAX_NODES_FOR_TOP) {
            return List.of();
        }
        Map<Integer, Long> now = methodSelf();
        List<Map.Entry<Integer, Long>> grew = new ArrayList<>();
        for (Map.Entry<Integer, Long> en : now.entrySet()) {
            long delta = en.getValue() - w.beginMethods.getOrDefault(en.getKey(), 0L);
            if (delta > 0) {
                grew.add(Map.entry(en.getKey(), delta));
            }
        }
        grew.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < grew.size() && i < TOP_METHODS; i++) {
            MethodRegistry.MethodInfo info = registry.info(grew.get(i).getKey());
            Map<String, Object> mm = new HashMap<>();
            mm.put("name", info == null ? "method " + grew.get(i).getKey() : info.className() + "." + info.methodName());
            mm.put("joules", grew.get(i).getValue() / 1e9);
            out.add(mm);
        }
        return out;
    }

    /**
     * Energy per method, domains that add up, in nJ. Ledger lock held. With CPU energy on real stacks, a sampled
     * frame's self energy counts for the innermost instrumented method above it (what the user named, with the
     * JDK and library code it called), or for the frame itself where no instrumented method is on its stack.
     */
    private Map<Integer, Long> methodSelf() {
        Map<Integer, Long> by = new HashMap<>();
        ArrayDeque<LedgerNode> stack = new ArrayDeque<>();
        ArrayDeque<Integer> owners = new ArrayDeque<>();
        stack.push(ledger.root());
        owners.push(0);
        while (!stack.isEmpty()) {
            LedgerNode n = stack.pop();
            int owner = owners.pop();
            if (n.methodId > 0 && registry.instrumented(n.methodId)) {
                owner = n.methodId;
            }
            if (n.methodId > 0) {
                long s = 0;
                for (int d = 0; d < inTotal.length; d++) {
                    if (inTotal[d]) {
                        s += n.selfNanoJoules[d];
                    }
                }
                if (s != 0) {
                    by.merge(owner > 0 ? owner : n.methodId, s, Long::sum);
                }
            }
            for (LedgerNode c : n.children()) {
                stack.push(c);
                owners.push(owner);
            }
        }
        return by;
    }

    /** The process's energy so far per domain: measured minus other processes minus static/idle. Ledger lock held. */
    private long[] processCumulative() {
        int nd = domains.size();
        long[] c = new long[nd];
        LedgerNode others = ledger.bucketNode(LedgerNode.OTHER_PROCESSES);
        LedgerNode idle = ledger.bucketNode(LedgerNode.STATIC_IDLE);
        for (int d = 0; d < nd; d++) {
            c[d] = ledger.measuredNanoJoules(d) - (others == null ? 0 : others.selfNanoJoules[d])
                    - (idle == null ? 0 : idle.selfNanoJoules[d]);
        }
        return c;
    }

    /** Ended windows kept for the outputs, oldest first. */
    public synchronized List<EnergyProfile.Window> completed() {
        return List.copyOf(kept);
    }

    /** Ended windows dropped from the outputs because more than {@link #MAX_KEPT} ended. */
    public synchronized long dropped() {
        return dropped;
    }

    private long processCpu() {
        try {
            com.sun.management.OperatingSystemMXBean b = os;
            if (b == null && !osMade) {
                java.lang.management.OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
                b = bean instanceof com.sun.management.OperatingSystemMXBean sun ? sun : null;
                os = b;
                osMade = true;
            }
            return b == null ? -1 : b.getProcessCpuTime();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static Map<String, Object> unavailable(String reason) {
        Map<String, Object> m = new HashMap<>();
        m.put("available", false);
        m.put("reason", reason);
        return m;
    }

    private static double clamp(double v) {
        return v < 0 ? 0 : Math.min(1, v);
    }
}

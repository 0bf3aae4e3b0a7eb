package io.energy.report.jfr;

import io.energy.attribute.EnergyLedger;
import io.energy.attribute.IntervalInput;
import io.energy.attribute.LedgerNode;
import io.energy.bridge.LongCallSink;
import io.energy.bridge.PathNode;
import io.energy.config.Config;
import io.energy.instrument.MethodRegistry;
import io.energy.power.Domain;
import io.energy.power.PowerSource;
import io.energy.report.LiveEvents;
import io.energy.report.ProfileBuilder;
import jdk.jfr.Configuration;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The live JFR events: energy.PowerSample after each interval and energy.MethodEnergy per call path after
 * each flush window (both on the collector thread), energy.MethodCall for long calls (on the application
 * thread). They go into whatever recording the JVM runs ({@code -XX:StartFlightRecording}, {@code jcmd
 * JFR.start}, JMC) and, with {@code jfr.record=true}, into the agent's own recording of
 * {@code out/energy-live.jfr}.
 *
 * <p>Cost when no recording wants them: until the JVM's flight recorder is initialized (a recording was
 * started by any means), the event classes are not even loaded: loading the first {@code jdk.jfr.Event}
 * subclass costs 0.3-1 s of CPU on these machines. After that, one {@code isEnabled()} check per interval,
 * flush window and long call. MethodEnergy's windows are deltas against the values this class last saw per node
 * (kept here, not in the ledger); while the event is disabled nothing is tracked, and the first window after
 * it is enabled again only takes a fresh baseline, so no window ever claims energy from before it.
 */
public final class JfrLiveEvents implements LiveEvents {
    /** Name of the agent's own recording's file in the output directory. */
    public static final String LIVE_FILE = "energy-live.jfr";

    private final Consumer<String> log;
    private final long samplePeriodNanos;
    private final Map<LedgerNode, NodeState> seen = new IdentityHashMap<>();
    private long[] lastStatic;
    private long[] lastOthers;
    private int[] columns;
    /** Which domains add up to a total ({@link Domain#inTotal()}), index-aligned with {@link #columns}. */
    private volatile boolean[] inTotal;
    private boolean estimated;
    private boolean baselineNeeded;
    private long lastFlushNanos = System.nanoTime();
    private EnergyLedger ledger;
    private MethodRegistry registry;
    private Recording recording;
    private Path recordingFile;
    private boolean closed;

    /** What a node had at the last window, and its path, built once. */
    private static final class NodeState {
        final String path;
        final String method;
        final long[] nanoJoules;
        final double[] variance;
        long calls;
        long wallNanos;
        long cpuNanos;

        NodeState(String path, String method, int domains) {
            this.path = path;
            this.method = method;
            this.nanoJoules = new long[domains];
            this.variance = new double[domains];
        }
    }

    JfrLiveEvents(long samplePeriodNanos, Consumer<String> log) {
        this.samplePeriodNanos = samplePeriodNanos;
        this.log = log;
    }

    /** The live events for a configuration, with the agent's own recording started if jfr.record is set. */
    public static JfrLiveEvents create(Config config, Consumer<String> log) {
        return create(config, config.samplePeriodFor(false).toNanos(), log);
    }

    /** As above, with the sample period the session actually uses (sample.period=auto depends on the source). */
    public static JfrLiveEvents create(Config config, long samplePeriodNanos, Consumer<String> log) {
        JfrLiveEvents live = new JfrLiveEvents(samplePeriodNanos, log);
        if (config.jfrRecord()) {
            live.startRecording(config.out().resolve(LIVE_FILE));
        }
        return live;
    }

    /** Starts a recording of the energy events only (settings: energy.jfc), written to {@code file} at close. */
    void startRecording(Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Recording r = new Recording(settings());
            r.setName("energy");
            r.setToDisk(true);
            r.setDestination(file);
            // If the JVM's own shutdown beats the agent's, JFR still writes the file.
            r.setDumpOnExit(true);
            r.start();
            recording = r;
            recordingFile = file;
        } catch (Throwable t) {
            log.accept("cannot record the energy JFR events into " + file.toAbsolutePath() + " (" + t
                    + "); they still go to any flight recording the JVM runs");
        }
    }

    static Configuration settings() throws IOException, ParseException {
        InputStream in = JfrLiveEvents.class.getResourceAsStream("/energy.jfc");
        if (in == null) {
            throw new IOException("energy.jfc is missing from the agent");
        }
        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return Configuration.create(r);
        }
    }

    Recording recording() {
        return recording;
    }

    /** Call paths whose last window values are kept: none while MethodEnergy is disabled. */
    int trackedPaths() {
        return seen.size();
    }

    /**
     * True once the JVM's flight recorder runs; it never stops being true. Checked before any event class
     * is touched.
     */
    static boolean recorderInitialized() {
        return FlightRecorder.isInitialized();
    }

    private void ensureDomains(EnergyLedger l) {
        if (columns == null) {
            List<Domain> domains = l.domains();
            List<String> kinds = domains.stream().map(Domain::kind).toList();
            columns = DomainColumns.of(kinds);
            boolean[] total = new boolean[domains.size()];
            for (int d = 0; d < total.length; d++) {
                total[d] = domains.get(d).inTotal();
            }
            inTotal = total; // published whole: application threads read it for their long calls' estimates
            lastStatic = new long[domains.size()];
            lastOthers = new long[domains.size()];
            estimated = domains.stream().anyMatch(Domain::estimated);
        }
    }

    @Override
    public void interval(EnergyLedger l, IntervalInput in, PowerSource source) {
        ensureDomains(l);
        List<Domain> domains = l.domains();
        long[] stat = l.bucketNode(LedgerNode.STATIC_IDLE).selfNanoJoules;
        long[] others = l.bucketNode(LedgerNode.OTHER_PROCESSES).selfNanoJoules;
        long length = Math.max(0, in.endNanos() - in.startNanos());
        double seconds = length / 1e9;
        boolean on = recorderInitialized();
        PowerSampleEvent e = on ? new PowerSampleEvent() : null;
        on = on && e.isEnabled();
        for (int d = 0; d < domains.size(); d++) {
            long processNj = in.nanoJoules()[d] - (stat[d] - lastStatic[d]) - (others[d] - lastOthers[d]);
            lastStatic[d] = stat[d];
            lastOthers[d] = others[d];
            if (!on) {
                continue;
            }
            if (d > 0) {
                e = new PowerSampleEvent();
            }
            Domain dom = domains.get(d);
            double joules = Math.max(0, in.nanoJoules()[d]) / 1e9;
            e.source = source.name();
            e.domain = dom.key();
            e.kind = dom.kind();
            e.device = dom.device();
            e.estimated = dom.estimated();
            e.power = seconds > 0 ? joules / seconds : 0;
            e.measuredEnergy = joules;
            e.processEnergy = Math.max(0, processNj) / 1e9;
            e.grain = dom.grainNanos();
            e.interval = length;
            if (e.shouldCommit()) {
                e.commit();
            }
        }
    }

    @Override
    public void flush(EnergyLedger l, MethodRegistry reg, long nowNanos) {
        ledger = l;
        registry = reg;
        if (!recorderInitialized() || !new MethodEnergyEvent().isEnabled()) {
            baselineNeeded = true;
            lastFlushNanos = nowNanos;
            return;
        }
        ensureDomains(l);
        boolean[] addsUp = inTotal; // read once: the field is volatile (application threads read it) and set once
        boolean emit = !baselineNeeded;
        baselineNeeded = false;
        long window = Math.max(0, nowNanos - lastFlushNanos);
        lastFlushNanos = nowNanos;
        int nd = l.domains().size();
        ArrayDeque<LedgerNode> todo = new ArrayDeque<>(l.root().children());
        long[] delta = new long[nd];
        while (!todo.isEmpty()) {
            LedgerNode n = todo.pop();
            todo.addAll(n.children());
            NodeState st = seen.get(n);
            if (st == null) {
                st = newState(n, reg, nd, l.options().stacks());
                seen.put(n, st);
            }
            boolean changed = false;
            double variance = 0;
            for (int d = 0; d < nd; d++) {
                delta[d] = n.selfNanoJoules[d] - st.nanoJoules[d];
                changed |= delta[d] != 0;
                if (addsUp[d]) { // core, uncore, psys lie inside others: not in the total
                    variance += Math.max(0, n.selfVariance[d] - st.variance[d]);
                }
                st.nanoJoules[d] = n.selfNanoJoules[d];
                st.variance[d] = n.selfVariance[d];
            }
            long calls = n.calls - st.calls;
            long wall = n.wallNanos - st.wallNanos;
            long cpu = n.cpuNanos - st.cpuNanos;
            st.calls = n.calls;
            st.wallNanos = n.wallNanos;
            st.cpuNanos = n.cpuNanos;
            if (!emit || !(changed || calls != 0 || wall != 0)) {
                continue;
            }
            MethodEnergyEvent e = new MethodEnergyEvent();
            double[] col = DomainColumns.joules(columns, delta);
            e.path = st.path;
            e.method = st.method;
            e.packageEnergy = col[DomainColumns.PACKAGE];
            e.dramEnergy = col[DomainColumns.DRAM];
            e.gpuEnergy = col[DomainColumns.GPU];
            e.otherEnergy = col[DomainColumns.OTHER];
            long total = 0;
            for (int d = 0; d < nd; d++) {
                total += addsUp[d] ? delta[d] : 0;
            }
            e.totalEnergy = total / 1e9;
            e.uncertainty = 2 * Math.sqrt(variance) / 1e9;
            e.calls = calls;
            e.wallTime = wall;
            e.cpuTime = cpu;
            e.window = window;
            e.estimated = estimated;
            if (e.shouldCommit()) {
                e.commit();
            }
        }
    }

    private NodeState newState(LedgerNode n, MethodRegistry reg, int domains, boolean stacks) {
        String name;
        if (n.isBucket()) {
            name = ProfileBuilder.bucketName(n.methodId, stacks);
        } else {
            MethodRegistry.MethodInfo info = reg.info(n.methodId);
            name = info == null ? "(method " + n.methodId + ")" : info.display();
        }
        NodeState parent = n.parent == null ? null : seen.get(n.parent);
        String path = parent == null ? name : parent.path + " > " + name;
        return new NodeState(path, name, domains);
    }

    @Override
    public LongCallSink longCalls(MethodRegistry reg) {
        return new LongCalls(reg, samplePeriodNanos, () -> inTotal);
    }

    /** Runs on the application thread that made the call: commit there so the stack is the caller's. */
    static final class LongCalls implements LongCallSink {
        private final MethodRegistry registry;
        private final long periodNanos;
        /** Which domains add to a total, once the first interval has named them (null before). */
        private final java.util.function.Supplier<boolean[]> inTotal;

        LongCalls(MethodRegistry registry, long periodNanos, java.util.function.Supplier<boolean[]> inTotal) {
            this.registry = registry;
            this.periodNanos = periodNanos;
            this.inTotal = inTotal;
        }

        /** Which domains this sink's estimates add up now (null until the live events' first interval). */
        boolean[] domainsInTotal() {
            return inTotal.get();
        }

        @Override
        public void longCall(PathNode node, int ticks) {
            if (!recorderInitialized()) {
                return;
            }
            MethodCallEvent e = new MethodCallEvent();
            if (!e.isEnabled()) {
                return;
            }
            MethodRegistry.MethodInfo info = registry.info(node.methodId);
            long duration = ticks * periodNanos;
            e.method = info == null ? "(method " + node.methodId + ")" : info.display();
            e.callDuration = duration;
            e.estimatedEnergy = estimate(node.ledgerNode, duration, inTotal.get());
            if (e.shouldCommit()) {
                e.commit();
            }
        }

        /**
         * The path's average self power so far × the call's duration, over the domains that add to a total (RAPL's
         * core and uncore are inside their package, psys holds package and DRAM: counting them too would bill the
         * same joules twice); every domain while {@code inTotal} is null (no interval yet, so no energy either). The
         * ledger node is read without its lock.
         */
        static double estimate(Object ledgerNode, long durationNanos, boolean[] inTotal) {
            if (!(ledgerNode instanceof LedgerNode l)) {
                return Double.NaN;
            }
            long wall = l.wallNanos;
            if (wall <= 0) {
                return Double.NaN;
            }
            long nj = 0;
            long[] self = l.selfNanoJoules;
            for (int d = 0; d < self.length; d++) {
                if (inTotal == null || d >= inTotal.length || inTotal[d]) {
                    nj += self[d];
                }
            }
            return nj / 1e9 * ((double) durationNanos / wall);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        EnergyLedger l = ledger;
        if (l != null) {
            try {
                synchronized (l) {
                    flush(l, registry, System.nanoTime()); // the last, partial window
                }
            } catch (Throwable t) {
                log.accept("could not emit the last energy.MethodEnergy window: " + t);
            }
        }
        Recording r = recording;
        if (r != null) {
            try {
                r.stop(); // writes the destination file
            } catch (IllegalStateException alreadyStopped) {
                // The JVM's shutdown stopped and dumped it first (dumpOnExit).
            } catch (Throwable t) {
                log.accept("could not write " + recordingFile.toAbsolutePath() + ": " + t);
            }
            try {
                r.close();
            } catch (Throwable ignored) {
                // Nothing left to release that matters to the host.
            }
        }
    }
}

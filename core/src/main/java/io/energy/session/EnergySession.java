package io.energy.session;

import io.energy.attribute.CallPathSampler;
import io.energy.attribute.EnergyLedger;
import io.energy.attribute.IntervalInput;
import io.energy.bridge.EnergyBridge;
import io.energy.config.Config;
import io.energy.instrument.Instrumenter;
import io.energy.instrument.MethodRegistry;
import io.energy.instrument.WeaverJitDirective;
import io.energy.power.Domain;
import io.energy.power.PowerSource;
import io.energy.power.ProcStat;
import io.energy.power.select.SourceSelector;
import io.energy.report.EnergyProfile;
import io.energy.report.LiveEvents;
import io.energy.report.OutputSet;
import io.energy.report.ProfileBuilder;
import io.energy.report.TopTable;

import java.lang.instrument.Instrumentation;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One measuring session: from start (launch or attach) to stop. Wires the stages together in the
 * order the data flows: instrumentation → bridge → collector (sampler, power source) → ledger → writers.
 */
public final class EnergySession {
    public static final String VERSION = versionOf();
    /**
     * Stack size of the agent's own threads: building the profile and writing it walk the call tree
     * recursively, and a tree may be max.depth (up to 10 000) frames deep.
     */
    public static final long DEEP_STACK = 64L * 1024 * 1024;

    private final Config config;
    private final Instrumentation inst;
    private final MethodRegistry registry = new MethodRegistry();
    private final ProcStat stat = new ProcStat();
    private final CallPathSampler sampler = new CallPathSampler(ctx -> threads().getThreadCpuTime(ctx.threadId));
    private final AtomicLong internalErrors = new AtomicLong();
    /** Written by the start and, at launch, by the sampler's start thread; read by every profile. */
    private final List<String> notes = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final long startEpochMillis = System.currentTimeMillis();
    private volatile com.sun.management.ThreadMXBean threadBean; // first used on the collector thread
    private PowerSource source;
    private EnergyLedger ledger;
    private Instrumenter instrumenter;
    private Collector collector;
    private io.energy.sampling.StackSampler stacks;
    private volatile String samplerLabel = "call-paths";
    private boolean samplerInBackground;
    /** The instrumented-path sampler's period, from start()'s SessionPlan. */
    private long pathPeriodNanos;
    private LiveEvents live = LiveEvents.NONE;
    private ExecutorService writer;
    private volatile long writerThreadId = -1;
    private long nextCheckpoint;
    private boolean writeProblemSaid;
    private volatile boolean stopped;
    // ---- measurement windows (io.energy.api, issue 15) ----
    private io.energy.window.WindowTracker windows;
    /** Issue 13: the overhead budget, when include patterns are given and overhead is not off. */
    private volatile BudgetKeeper budgetKeeper;
    private volatile int inFlightAcrossReset = -1;
    /** The bridge's count of swallowed throwables is per JVM; a session reports its own (issue 14). */
    private long bridgeErrorsAtStart;

    public EnergySession(Config config, Instrumentation inst) {
        this.config = config;
        this.inst = inst;
    }

    public Config config() {
        return config;
    }

    public void start() {
        PhaseClock clock = new PhaseClock("start");
        long stackPeriod = SessionPlan.stackPeriodNanos(config);
        java.util.function.Supplier<io.energy.sampling.SamplerSelector.Choice> chooseSampler = () ->
                io.energy.sampling.SamplerSelector.select(config.sampler().name().toLowerCase(java.util.Locale.ROOT),
                        config.samplerEvent().name().toLowerCase(java.util.Locale.ROOT), registry::frame,
                        config.maxDepth(), stackPeriod, Math.max(1000, 2 * config.maxPaths()), AgentLog::problem);
        BackgroundSampler background = null;
        if (samplerInBackground && config.sampler() != Config.Sampler.PATHS) {
            // First, so that it overlaps the rest of the start and the application's own (see BackgroundSampler).
            background = new BackgroundSampler(stackPeriod);
            background.begin(chooseSampler, this::samplerChosen);
            stacks = background;
            samplerLabel = "starting";
        }
        source = SourceSelector.select(config, stat, AgentLog::problem);
        clock.mark("power source");
        if (AgentLog.sayingInfo()) {
            for (String line : source.describe().split("\n")) {
                AgentLog.info("source " + line);
            }
        }
        List<Domain> domains = source.domains();
        if (background == null) {
            io.energy.sampling.SamplerSelector.Choice choice = chooseSampler.get();
            stacks = choice.sampler();
            clock.mark("stack sampler");
            samplerChosen(choice);
        }
        // The policy (idle watts, periods) is SessionPlan's; from here on start() carries it out.
        SessionPlan plan = SessionPlan.of(config, domains, source::idleWatts, stacks != null);
        notes.addAll(plan.notes());
        ledger = new EnergyLedger(domains, new EnergyLedger.Options(config.dedicated(),
                config.staticShare() == Config.StaticShare.PROCESS, plan.idleWatts(), config.maxPaths(), id -> {
                    MethodRegistry.MethodInfo m = registry.info(id);
                    return m != null && registry.instrumented(id) && config.inGpuScope(m.className(), m.methodName());
                }, stacks != null, Math.max(0, stat.machineCpus())));
        pathPeriodNanos = plan.pathPeriodNanos();
        long periodNanos = plan.collectorPeriodNanos();
        AgentLog.debug("sampling call paths every " + periodNanos / 1000 + " us"
                + (config.samplePeriod().isZero() ? " (sample.period=auto)" : ""));
        clock.mark("ledger");
        live = LiveEventsFactory.create(config, periodNanos, AgentLog::problem);
        clock.mark("live events");
        long longCallTicks = plan.longCallTicks();
        io.energy.bridge.LongCallSink sink = live.longCalls(registry);
        if (FaultInjection.in("sink")) {
            sink = (node, ticks) -> {
                throw new IllegalStateException("injected fault in the long-call sink");
            };
            longCallTicks = 1;
        }
        bridgeErrorsAtStart = EnergyBridge.swallowedErrors();
        EnergyBridge.start(config.maxDepth(), FaultInjection.in("bridge") ? -1 : config.maxPaths(),
                (int) Math.min(Integer.MAX_VALUE, longCallTicks), sink);
        writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(null, r, "energy-writer", DEEP_STACK);
            t.setDaemon(true);
            writerThreadId = t.getId();
            return t;
        });
        collector = new Collector(new CollectorEvents(), ledger, sampler, stacks, source, stat, periodNanos,
                config.interval().toNanos(), config.flush().toNanos());
        clock.mark("bridge, writer, collector");
        windows = new io.energy.window.WindowTracker(ledger, registry, source.name(), config.interval().toNanos(),
                config.jfr());
        windows.onWindowEnd(collector::harvestAtNextInterval);
        windows.install();
        nextCheckpoint = config.checkpoint().isZero() ? Long.MAX_VALUE
                : System.nanoTime() + config.checkpoint().toNanos();
        clock.mark("windows");
        collector.start();
        clock.mark("collector thread");
        if (config.include().isEmpty()) {
            AgentLog.info(stacks != null
                    ? "no include patterns: joules for every method from CPU-time samples; add include=com.acme.** "
                    + "for exact call counts and call times"
                    : "no include patterns and no stack sampler: measuring the process as a whole; name methods "
                    + "with include=com.acme.**");
        } else {
            instrumenter = new Instrumenter(config, registry, AgentLog::debug);
            // Before the transformer: its name filter runs at every class load from here on and gets hot at once.
            AgentLog.debug("weaving code kept out of C2: " + WeaverJitDirective.add(inst));
            clock.mark("jit directive");
            instrumenter.install(inst);
            startBudget();
            clock.mark("instrumenter");
        }
        clock.say();
        if (background != null) {
            background.premainDone(); // this thread's CPU until here was the agent's start, not the application's
        }
        AgentLog.info("measuring " + (config.include().isEmpty()
                ? (stacks != null ? "every method" : "the process") : config.include().toString())
                + ", writing to " + config.out().toAbsolutePath());
    }

    /** The collector's one way back into the session (on the collector thread). */
    private final class CollectorEvents implements Collector.Listener {
        @Override
        public void windowStarted() {
            if (stacks instanceof BackgroundSampler background) {
                // Where the CPU went until the sampler runs is counted from the ledger's first readings: CPU
                // before them has no energy in the ledger, and samples standing for it would dilute the rest.
                background.windowStarts();
            }
        }

        @Override
        public long agentCpuNanos() {
            return EnergySession.this.agentCpuNanos();
        }

        @Override
        public void intervalClosed(IntervalInput in) {
            EnergySession.this.intervalClosed(in);
        }

        @Override
        public void flushed(long nowNanos) {
            EnergySession.this.flushed(nowNanos);
        }

        @Override
        public void internalError(String where, Throwable t) {
            EnergySession.this.internalError(where, t);
        }
    }

    /** The sampler's outcome: on the starting thread, or on {@code energy-start} (see BackgroundSampler). */
    private void samplerChosen(io.energy.sampling.SamplerSelector.Choice choice) {
        samplerLabel = choice.sampler() == null ? choice.label() : choice.sampler().name();
        notes.addAll(choice.notes());
        AgentLog.info("sampler " + choice.label());
    }

    /**
     * At launch: the stack sampler starts on a thread of its own, so that the application's main does not wait
     * for async-profiler's library (see BackgroundSampler). Call before {@link #start()}.
     */
    public void startSamplerInBackground() {
        samplerInBackground = true;
    }

    private void flushed(long now) {
        synchronized (ledger) {
            try {
                live.flush(ledger, registry, now);
            } catch (Throwable t) {
                internalError("jfr", t);
            }
        }
        if (now >= nextCheckpoint) {
            nextCheckpoint = now + config.checkpoint().toNanos();
            EnergyProfile p = profile();
            writer.execute(() -> write(p, config.out()));
        }
    }

    private void intervalClosed(IntervalInput in) {
        try {
            live.interval(ledger, in, source);
        } catch (Throwable t) {
            internalError("jfr", t);
        }
        try {
            if (windows != null) {
                windows.intervalClosed(in);
            }
        } catch (Throwable t) {
            internalError("windows", t);
        }
        keepBudget(in.endNanos());
    }

    // ---- Issue 13: the overhead budget (see BudgetKeeper) ----

    private void startBudget() {
        if (!config.overheadUnbounded()) {
            budgetKeeper = new BudgetKeeper(config.overheadBudget(), registry, instrumenter, inst, ledger, sampler,
                    writer, System.nanoTime());
        }
    }

    /** Collector thread, ledger lock held: at each closed interval, unweave what the budget cannot afford. */
    private void keepBudget(long nowNanos) {
        BudgetKeeper b = budgetKeeper;
        if (b != null && !stopped) {
            try {
                b.intervalClosed(nowNanos);
            } catch (Throwable t) {
                internalError("overhead budget", t);
            }
        }
    }

    /**
     * The budget's report, with what counting cost over the whole run by its estimate: every call counted so far
     * (the ledger's, flushed each second and at the end) times the cost of a woven call. Also with
     * {@code overhead=off}, where counting costs the most. (Not a sum over the budget's windows, which would leave
     * out the calls before its first look and since its last.)
     */
    private EnergyProfile.Overhead overheadReport() {
        if (instrumenter == null) {
            return new EnergyProfile.Overhead(0, io.energy.instrument.OverheadBudget.CALL_COST_NANOS, 0, List.of(), 0);
        }
        long calls;
        synchronized (ledger) {
            calls = ledger.methodCalls();
        }
        double cost = calls * io.energy.instrument.OverheadBudget.CALL_COST_NANOS;
        BudgetKeeper b = budgetKeeper;
        return b != null ? b.report(cost) : new EnergyProfile.Overhead(0,
                io.energy.instrument.OverheadBudget.CALL_COST_NANOS, cost, List.of(), instrumenter.weaveNanos());
    }

    private String overheadStatus(long processCpuNanos) {
        EnergyProfile.Overhead o = overheadReport();
        return "trivial methods not instrumented: " + (instrumenter == null ? 0 : instrumenter.skippedTrivial())
                + (config.weaveTrivial() ? " (weave.trivial=true)" : "") + "\n"
                + "overhead budget: " + o.budgetText() + ", counting stopped in " + o.stopped().size() + " methods"
                + (o.stopped().isEmpty() ? "" : " (hottest first: " + o.stopped().get(0).method() + ")") + "\n"
                + countingCostLine(o.countingCost(processCpuNanos));
    }

    private static String countingCostLine(String cost) {
        return cost.isEmpty() ? "" : "counting cost so far: " + cost + "\n";
    }

    /** The thread MXBean, made on first use: on the collector thread, not before the application's main. */
    private com.sun.management.ThreadMXBean threads() {
        com.sun.management.ThreadMXBean bean = this.threadBean;
        if (bean == null) {
            bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            this.threadBean = bean;
        }
        return bean;
    }

    private long agentCpuNanos() {
        com.sun.management.ThreadMXBean threadBean = threads();
        long n = 0;
        long c = collector == null ? -1 : collector.threadId();
        if (c >= 0) {
            n += Math.max(0, threadBean.getThreadCpuTime(c));
        }
        long w = writerThreadId;
        if (w >= 0) {
            n += Math.max(0, threadBean.getThreadCpuTime(w));
        }
        return n;
    }

    private void internalError(String where, Throwable t) {
        if (internalErrors.incrementAndGet() <= 5) {
            AgentLog.problem("internal error in " + where + " (the application is not affected): " + t);
        }
    }

    /** The picture as of now, built under the ledger lock. */
    public EnergyProfile profile() {
        synchronized (ledger) {
            long[] cap = sampler.overCap();
            EnergyProfile.Health health = new EnergyProfile.Health(cap[0] + ledger.pathsOverCap(), cap[1],
                    source.anomalies(), ledger.agentCpuNanos(), source.readCostNanos(), ledger.processCpuNanos(),
                    registry.size(), sampler.threadsSeen(), ledger.nodeCount(),
                    instrumenter == null ? 0 : instrumenter.skippedTrivial(), overheadReport(), internalErrors.get(),
                    EnergyBridge.swallowedErrors() - bridgeErrorsAtStart, registry.tooLarge(), ledger.stackSamples());
            List<String> n = new ArrayList<>(notes);
            if (ledger.machineCpuUnknown()) {
                n.add("Machine-wide CPU time (/proc/stat) was not readable: this process was given all dynamic energy.");
            }
            if (internalErrors.get() > 0) {
                n.add(internalErrors.get() + " internal agent errors were suppressed; the figures may be incomplete.");
            }
            if (stacks != null && stacks.problem() != null) {
                n.add(stacks.problem());
            }
            if (windows != null && windows.dropped() > 0) {
                n.add(windows.dropped() + " older measurement windows are not listed (the last "
                        + windows.completed().size() + " are).");
            }
            EnergyProfile built = ProfileBuilder.build(ledger, registry, VERSION, startEpochMillis, source.name(),
                    health, n, samplerLabel);
            return windows == null ? built : built.withWindows(windows.completed());
        }
    }

    // ---- live metrics (issue 16) ----
    private volatile EnergyProfile scrapeProfile;
    private volatile long scrapeProfileAtNanos;
    private final Object scrapeLock = new Object(); // not the session's own monitor: stop() holds that while writing

    /**
     * The profile for a metrics scrape: the same immutable picture the writers read, rebuilt at most once
     * per {@code maxAgeNanos}, so that scrapes (several scrapers, or a tight scrape interval) under load
     * take the ledger lock at most once per period. Also answers after stop, from the final ledger.
     */
    public EnergyProfile recentProfile(long maxAgeNanos) {
        synchronized (scrapeLock) {
            EnergyProfile p = scrapeProfile;
            long now = System.nanoTime();
            if (p == null || now - scrapeProfileAtNanos > maxAgeNanos) {
                p = profile();
                scrapeProfile = p;
                scrapeProfileAtNanos = now;
            }
            return p;
        }
    }

    /** The call-path sampler, for the metrics' info label: one place to change when the sampler does. */
    public String samplerName() {
        io.energy.sampling.StackSampler s = stacks;
        return s == null ? "call-paths" : s.name();
    }

    /** The sampling period in use: the stack sampler's, or the path sampler's chosen in start(). */
    public double samplePeriodSeconds() {
        io.energy.sampling.StackSampler s = stacks;
        return (s != null ? s.periodNanos() : pathPeriodNanos) / 1e9;
    }

    /** Writes every output file to {@code dir}; problems are reported once and the data stays in memory. */
    public List<String> write(EnergyProfile profile, Path dir) {
        return write(profile, dir, null);
    }

    /** @param helper a second thread for the files (the final write), or null: this thread writes them all */
    private List<String> write(EnergyProfile profile, Path dir, java.util.concurrent.Executor helper) {
        List<String> problems = FaultInjection.in("writer")
                ? new OutputSet(List.of(new io.energy.report.ProfileWriter() {
                    @Override
                    public String fileName() {
                        return "energy-summary.json";
                    }

                    @Override
                    public void write(EnergyProfile p, java.io.OutputStream out) {
                        throw new IllegalStateException("injected fault in the writer");
                    }
                })).writeAll(profile, dir)
                : SessionOutputs.all().writeAll(profile, dir, (file, nanos) ->
                        AgentLog.debug("wrote " + file + " in " + nanos / 100_000 / 10.0 + " ms"), helper);
        if (!problems.isEmpty() && !writeProblemSaid) {
            writeProblemSaid = true;
            AgentLog.problem("cannot write outputs to " + dir.toAbsolutePath() + " (" + problems.get(0)
                    + "); the measurements are kept in memory: set out=DIR or dump to another directory");
        }
        return problems;
    }

    /** Writes every output now without stopping. */
    public List<String> dump(Path dir) {
        synchronized (ledger) {
            if (!stopped && stacks != null) {
                collector.closeIntervalWithHarvest(System.nanoTime());
            }
            sampler.syncCalls(ledger);
        }
        return write(profile(), dir);
    }

    /**
     * Stops measuring, writes the final outputs and (when detaching from a live JVM) restores the
     * original bytecode. Safe to call twice.
     */
    public synchronized EnergyProfile stop(boolean restoreClasses, boolean printTable) {
        if (stopped) {
            return null;
        }
        stopped = true;
        PhaseClock clock = new PhaseClock("stop");
        collector.stopAndJoin();
        if (stacks instanceof BackgroundSampler b) {
            // A program shorter than the sampler's start: wait for it before the last interval's end is taken,
            // so that the last interval covers the wait and its harvest has the samples.
            b.awaitReady();
        }
        EnergyBridge.stop();
        synchronized (ledger) {
            try {
                collector.closeInterval(System.nanoTime(), true);
            } catch (Throwable t) {
                // The last interval is lost, not the whole run: the outputs are still written (issue 14).
                internalError("collector", t);
            }
            sampler.syncCalls(ledger);
        }
        if (stacks != null) {
            stacks.stop();
            for (String m : stacks.messages()) {
                AgentLog.debug(stacks.name() + " said: " + m);
            }
        }
        if (windows != null) {
            windows.uninstall();
        }
        clock.mark("last harvest");
        EnergyProfile p = profile();
        clock.mark("profile");
        writer.shutdown();
        try {
            writer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        clock.mark("checkpoint wait");
        // The application is done: a second thread writes files beside this one where there is a second CPU.
        List<String> problems = write(p, config.out(), Runtime.getRuntime().availableProcessors() < 2 ? null
                : r -> {
                    Thread t = new Thread(null, r, "energy-writer-final", DEEP_STACK);
                    t.setDaemon(true);
                    t.start();
                });
        clock.mark("files");
        if (printTable && config.top() > 0) {
            System.err.print(TopTable.render(p, config.top(), problems.isEmpty()
                    ? config.out().toAbsolutePath().toString() : null));
            clock.mark("table");
        }
        if (restoreClasses && instrumenter != null) {
            instrumenter.reset(inst);
            inFlightAcrossReset = callsStillInInstrumentedCode();
        }
        live.close();
        source.close();
        clock.mark("close");
        clock.say();
        return p;
    }

    /**
     * Threads still inside an instrumented call that began before the bridge stopped (issue 14). The bridge
     * is off by now, so a thread's path only moves outwards: one that is not at its root after the reset was
     * inside that call during the whole reset. The attach test uses this to prove its calls were in flight.
     */
    private int callsStillInInstrumentedCode() {
        int n = 0;
        for (io.energy.bridge.ThreadContext c : sampler.contexts()) {
            if (c.thread.isAlive() && c.current() != c.root) {
                n++;
            }
        }
        return n;
    }

    /** See {@link #callsStillInInstrumentedCode()}; -1 until a stop has reset the classes. */
    public int inFlightAcrossReset() {
        return inFlightAcrossReset;
    }

    public boolean stopped() {
        return stopped;
    }

    public String status() {
        EnergyProfile p = profile();
        StringBuilder sb = new StringBuilder();
        sb.append("energy ").append(VERSION).append(" running since ")
                .append(java.time.Instant.ofEpochMilli(startEpochMillis)).append('\n');
        sb.append("sources:\n");
        for (String line : source.describe().split("\n")) {
            sb.append("  ").append(line).append('\n');
        }
        sb.append("sampler: ").append(stacks == null ? samplerLabel : stacks.describe()).append('\n');
        sb.append("methods instrumented: ").append(registry.size())
                .append(instrumenter == null ? "" : " in " + instrumenter.instrumentedTypes().size() + " classes")
                .append('\n');
        long total = p.measuredTotal();
        sb.append(String.format(java.util.Locale.ROOT, "joules so far: %.3f J%s%n", total / 1e9,
                p.estimated() ? " (estimated)" : ""));
        sb.append("paths over cap: ").append(p.health().pathsOverCap()).append(", calls beyond depth: ")
                .append(p.health().callsBeyondDepth()).append(", source anomalies: ").append(p.health().anomalies())
                .append('\n');
        sb.append(overheadStatus(p.health().processCpuNanos()));
        return sb.toString();
    }

    /** What finds the stacks that CPU energy follows. */
    public String samplerDescription() {
        io.energy.sampling.StackSampler s = stacks;
        return s == null ? samplerLabel : s.describe();
    }

    public boolean hasStackSampler() {
        return stacks != null;
    }

    /** One line per domain: what the power source reads. */
    public String sourceDescription() {
        return source.describe();
    }

    public MethodRegistry registry() {
        return registry;
    }

    public Instrumenter instrumenter() {
        return instrumenter;
    }

    private static String versionOf() {
        String v = EnergySession.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}

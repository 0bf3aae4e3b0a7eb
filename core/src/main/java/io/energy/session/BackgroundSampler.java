package io.energy.session;

import io.energy.sampling.SamplerSelector;
import io.energy.sampling.Stack;
import io.energy.sampling.StackSampler;
import io.energy.sampling.StackSamples;
import io.energy.sampling.ThreadCpuSnapshot;
import io.energy.sampling.ThreadKind;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The stack sampler of a launch, chosen and started on a thread of its own ({@code energy-start}) so that the
 * application's main does not wait for it: loading async-profiler's library and starting it is ~110 ms of the
 * agent's ~180 ms at start-up (docs/performance.md, "Fixed cost at start and exit").
 *
 * <p>The collector and the ledger run from premain on, as before: what the process uses while the sampler
 * starts is measured, and waits in the ledger (as energy waits for the samples of any harvest that has none)
 * until the first harvest. That harvest carries the CPU every thread used from the collector's start until the
 * sampler ran ({@link ThreadCpuSnapshot}, two reads of {@code /proc/self/task}): the start thread's, premain's own
 * work and the agent's other threads' as {@code (energy agent)}, the compilers' as {@code (JIT compiler)}, GC's and
 * the JVM's as theirs, and each application thread's as more of that thread's own samples in the harvest (or, if it
 * has none there, a sample of no method: {@code (unattributed)}). Without them that energy followed the first
 * harvest's few samples, a start-up's worth of JIT energy on whichever method ran first. Where {@code /proc} cannot
 * be read only the start thread's CPU is known (the agent's). If no
 * stack sampler can run, each harvest is one sample of no method with no CPU time: the energy goes to
 * {@code (uninstrumented)}, as it does without a sampler and without include patterns.
 */
final class BackgroundSampler implements StackSampler {
    /** How long a stop or the last harvest waits for a start still under way. */
    private static final long WAIT_SECONDS = 20;
    private static final Stack AGENT = new Stack(ThreadKind.AGENT, new int[0]);
    private static final Stack NO_METHOD = new Stack(ThreadKind.JAVA, new int[0]);
    private static final Stack JIT = new Stack(ThreadKind.JIT, new int[0]);
    private static final Stack GC = new Stack(ThreadKind.GC, new int[0]);
    private static final Stack VM = new Stack(ThreadKind.VM, new int[0]);

    private final long periodNanos;
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile StackSampler delegate;
    private volatile boolean none;
    private volatile String label = "starting on a background thread";
    private final java.nio.file.Path taskDir;
    private final java.util.function.Supplier<long[]> self;
    /** The premain thread (the one that made this sampler): its OS id, or -1 where /proc cannot say. */
    private final long premainTid;
    /** The process's threads when the collector's first interval began (the ledger's window), or null before. */
    private volatile ThreadCpuSnapshot atWindowStart;
    /** The premain thread's CPU when premain's work was done, or -1 before that. */
    private volatile long premainDoneCpu = -1;
    /** The process's threads when the sampler ran, or null before (set on the start thread). */
    private volatile ThreadCpuSnapshot atSamplerStart;
    /** Whether the CPU used before the sampler ran was handed to the ledger (collector thread). */
    private boolean beforeStartGiven;

    /** The start thread's own CPU time when the sampler ran (the fallback without /proc). */
    private volatile long startThreadCpu;

    BackgroundSampler(long periodNanos) {
        this(periodNanos, java.nio.file.Path.of("/proc/self/task"));
    }

    /** @param taskDir this process's {@code /proc/self/task} (a test's fake one) */
    BackgroundSampler(long periodNanos, java.nio.file.Path taskDir) {
        this(periodNanos, taskDir, ThreadCpuSnapshot::currentThread);
    }

    /** @param self the calling thread's OS id and CPU time, or null ({@link ThreadCpuSnapshot#currentThread()}) */
    BackgroundSampler(long periodNanos, java.nio.file.Path taskDir, java.util.function.Supplier<long[]> self) {
        this.periodNanos = periodNanos;
        this.taskDir = taskDir;
        this.self = self;
        long[] now = self.get();
        this.premainTid = now == null ? -1 : now[0];
    }

    /** The ledger's window begins now (call where the collector takes its first readings, before its first interval). */
    void windowStarts() {
        atWindowStart = ThreadCpuSnapshot.take(taskDir);
    }

    /** Premain's own work is done (call on the premain thread): its CPU until now was the agent's. */
    void premainDone() {
        long[] now = self.get();
        if (now != null && now[0] == premainTid) {
            premainDoneCpu = now[1];
        }
    }

    /**
     * Starts the choice on thread {@code energy-start}; {@code chosen} hears its outcome on that thread, before
     * any harvest or stop sees the sampler.
     */
    void begin(Supplier<SamplerSelector.Choice> choose, Consumer<SamplerSelector.Choice> chosen) {
        Thread t = new Thread(null, () -> {
            try {
                SamplerSelector.Choice c = choose.get();
                chosen.accept(c);
                if (c.sampler() != null) {
                    startThreadCpu = ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                            .getCurrentThreadCpuTime();
                    atSamplerStart = ThreadCpuSnapshot.take(taskDir);
                }
                label = c.label();
                none = c.sampler() == null;
                delegate = c.sampler();
            } catch (Throwable t2) {
                label = "no stack sampler: its start failed (" + t2 + ")";
                none = true;
                AgentLog.problem("the stack sampler did not start (" + t2 + "); CPU energy goes to (uninstrumented)");
            } finally {
                ready.countDown();
            }
        }, "energy-start", EnergySession.DEEP_STACK);
        t.setDaemon(true);
        t.start();
    }

    /** Waits, up to {@value #WAIT_SECONDS} s, until the start has its outcome. */
    boolean awaitReady() {
        try {
            return ready.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String name() {
        StackSampler d = delegate;
        return d != null ? d.name() : none ? "call-paths" : "starting";
    }

    @Override
    public String describe() {
        StackSampler d = delegate;
        return d != null ? d.describe() : label;
    }

    @Override
    public long periodNanos() {
        return periodNanos;
    }

    @Override
    public StackSamples harvest(long nowNanos, boolean force) {
        if (ready.getCount() > 0) {
            return null; // the energy waits in the ledger for the first samples
        }
        StackSampler d = delegate;
        if (d == null) {
            StackSamples s = new StackSamples(0);
            s.add(NO_METHOD, 1);
            return s;
        }
        StackSamples s = d.harvest(nowNanos, force);
        if (s != null && !beforeStartGiven) {
            beforeStartGiven = true;
            addBeforeStart(s);
        }
        return s;
    }

    /**
     * Adds to the first harvest the CPU each thread used from the window's start until the sampler ran: the
     * agent's, the compilers', GC's and the JVM's threads as their buckets; premain's own work as the agent's; an
     * application thread's as more of its own samples in this harvest, split as they are (it ran the same code
     * just before, as far as anyone can know), or as a sample of no method if the harvest has none of it. Without
     * {@code /proc}: the start thread's own CPU alone, as the agent's.
     */
    private void addBeforeStart(StackSamples s) {
        ThreadCpuSnapshot from = atWindowStart;
        ThreadCpuSnapshot to = atSamplerStart;
        java.util.List<ThreadCpuSnapshot.Used> used = from == null || to == null ? java.util.List.of() : to.since(from);
        if (used.isEmpty()) {
            if (from == null || to == null || from.isEmpty()) {
                s.add(AGENT, samples(Math.max(0, startThreadCpu)));
            }
            return;
        }
        long[] byKind = new long[ThreadKind.values().length];
        java.util.Map<Long, Long> app = new java.util.LinkedHashMap<>();
        for (ThreadCpuSnapshot.Used u : used) {
            long cpu = u.cpuNanos();
            if (u.tid() == premainTid && u.tid() >= 0) {
                long done = premainDoneCpu;
                long premainWork = done < 0 ? cpu : Math.min(cpu, Math.max(0, done - from.cpuOf(u.tid())));
                byKind[ThreadKind.AGENT.ordinal()] += premainWork;
                cpu -= premainWork;
            }
            if (u.kind() == ThreadKind.JAVA) {
                app.merge(u.tid(), cpu, Long::sum);
            } else {
                byKind[u.kind().ordinal()] += cpu;
            }
        }
        s.add(AGENT, samples(byKind[ThreadKind.AGENT.ordinal()]));
        s.add(JIT, samples(byKind[ThreadKind.JIT.ordinal()]));
        s.add(GC, samples(byKind[ThreadKind.GC.ordinal()]));
        s.add(VM, samples(byKind[ThreadKind.VM.ordinal()]));
        int n = s.size();
        for (java.util.Map.Entry<Long, Long> e : app.entrySet()) {
            long extra = samples(e.getValue());
            if (extra == 0) {
                continue;
            }
            long tid = e.getKey();
            long[] counts = new long[n];
            for (int i = 0; i < n; i++) {
                counts[i] = s.thread(i) == tid && s.stack(i).kind == ThreadKind.JAVA ? s.count(i) : 0;
            }
            long[] parts = io.energy.attribute.Split.proportional(extra, counts, n);
            if (parts == null) {
                s.add(NO_METHOD, extra, tid);
                continue;
            }
            for (int i = 0; i < n; i++) {
                if (parts[i] > 0) {
                    s.add(s.stack(i), parts[i], tid);
                }
            }
        }
    }

    private long samples(long cpuNanos) {
        return (cpuNanos + periodNanos / 2) / periodNanos;
    }

    @Override
    public String problem() {
        StackSampler d = delegate;
        return d == null ? null : d.problem();
    }

    @Override
    public java.util.List<String> messages() {
        StackSampler d = delegate;
        return d == null ? java.util.List.of() : d.messages();
    }

    @Override
    public long harvestCpuNanos() {
        StackSampler d = delegate;
        return d == null ? 0 : d.harvestCpuNanos();
    }

    @Override
    public void drain() {
        awaitReady();
        StackSampler d = delegate;
        if (d != null) {
            d.drain();
        }
    }

    @Override
    public void stop() {
        awaitReady();
        StackSampler d = delegate;
        if (d != null) {
            d.stop();
        }
    }
}

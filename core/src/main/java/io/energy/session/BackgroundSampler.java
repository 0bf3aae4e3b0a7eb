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
 * until the first harvest. That harvest carries the CPU every thread used from premain until the sampler ran, as
 * samples of its kind of thread ({@link ThreadCpuSnapshot}, two reads of {@code /proc/self/task}): the start
 * thread's and the agent's others as {@code (energy agent)}, the compilers' as {@code (JIT compiler)}, GC's, the
 * JVM's, and the application threads' as samples of no method ({@code (unattributed)}: no stack was taken). Without
 * them that energy followed the first harvest's few samples, a start-up's worth of JIT energy on whichever method
 * ran first. Where {@code /proc} cannot be read only the start thread's CPU is known (the agent's). If no
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
    /** The process's threads at premain, to tell where the CPU went until the sampler ran. */
    private final ThreadCpuSnapshot atPremain;
    private final java.nio.file.Path taskDir;
    /** Per kind of thread, samples' worth of CPU used before the sampler ran, not yet handed to the ledger. */
    private volatile long[] beforeStartSamples;

    BackgroundSampler(long periodNanos) {
        this(periodNanos, java.nio.file.Path.of("/proc/self/task"));
    }

    /** @param taskDir this process's {@code /proc/self/task} (a test's fake one) */
    BackgroundSampler(long periodNanos, java.nio.file.Path taskDir) {
        this.periodNanos = periodNanos;
        this.taskDir = taskDir;
        this.atPremain = ThreadCpuSnapshot.take(taskDir);
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
                    beforeStartSamples = beforeStart();
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
        long[] before = beforeStartSamples;
        if (s != null && before != null) {
            Stack[] stacks = new Stack[ThreadKind.values().length];
            stacks[ThreadKind.AGENT.ordinal()] = AGENT;
            stacks[ThreadKind.JAVA.ordinal()] = NO_METHOD;
            stacks[ThreadKind.JIT.ordinal()] = JIT;
            stacks[ThreadKind.GC.ordinal()] = GC;
            stacks[ThreadKind.VM.ordinal()] = VM;
            for (int k = 0; k < before.length; k++) {
                s.add(stacks[k], before[k]);
            }
            beforeStartSamples = null;
        }
        return s;
    }

    /**
     * Samples' worth of CPU per kind of thread (indexed by {@link ThreadKind#ordinal()}) from premain until now,
     * on the start thread once the sampler runs. Without {@code /proc}, the start thread's own CPU alone.
     */
    private long[] beforeStart() {
        long[] out = new long[ThreadKind.values().length];
        ThreadCpuSnapshot now = ThreadCpuSnapshot.take(taskDir);
        java.util.Map<ThreadKind, Long> used = now.since(atPremain);
        if (used.isEmpty()) {
            long cpu = ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadCpuTime();
            used = java.util.Map.of(ThreadKind.AGENT, Math.max(0, cpu));
        }
        for (java.util.Map.Entry<ThreadKind, Long> e : used.entrySet()) {
            out[e.getKey().ordinal()] = (e.getValue() + periodNanos / 2) / periodNanos;
        }
        return out;
    }

    @Override
    public String problem() {
        StackSampler d = delegate;
        return d == null ? null : d.problem();
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

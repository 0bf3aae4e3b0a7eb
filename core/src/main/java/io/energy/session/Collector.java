package io.energy.session;

import io.energy.attribute.CallPathSampler;
import io.energy.attribute.EnergyLedger;
import io.energy.attribute.IntervalInput;
import io.energy.bridge.EnergyBridge;
import io.energy.bridge.ThreadContext;
import io.energy.power.PowerSource;
import io.energy.power.ProcStat;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The agent's one working thread. Every sample period it advances the bridge's tick and samples every
 * instrumented thread's call path; every interval it reads the power source and the CPU clocks and
 * hands one {@link IntervalInput} to the ledger; every flush window it moves call counts over and lets
 * the session emit JFR events and checkpoints. Reads of counters happen here, never on an application
 * thread.
 */
final class Collector implements Runnable {
    /**
     * Everything the collector says back, to its session: the one way out of this class. Called on the
     * collector thread, or on the stopping thread for the last interval once the collector has ended.
     */
    interface Listener {
        /** CPU time of the agent's own threads so far: what the ledger charges to the agent, not to methods. */
        long agentCpuNanos();

        /** An interval was attributed; the ledger lock is held. */
        void intervalClosed(IntervalInput in);

        /** A flush window ended and the call counts are in the ledger (JFR events, checkpoints). */
        void flushed(long nowNanos);

        /** Something failed on the collector thread; the collector goes on (or ends, if it never started). */
        void internalError(String where, Throwable t);

        /**
         * The first readings were just taken: the ledger's window, whose energy and process CPU the intervals add
         * up, begins here (collector thread).
         */
        default void windowStarted() {
        }
    }

    private final Listener listener;
    private final EnergyLedger ledger;
    private final CallPathSampler sampler;
    /** CPU-time samples of real stacks, or null when CPU energy follows the instrumented paths. */
    private final io.energy.sampling.StackSampler stacks;
    private final PowerSource source;
    private final ProcStat stat;
    /**
     * Per-socket shares of a multi-socket RAPL source, or null (one socket, or no topology to read). Opened by
     * prime(), on the collector thread: reading the topology is not the starting application's business.
     */
    private io.energy.power.SocketShares sockets;
    private final long periodNanos;
    private final long intervalNanos;
    private final long flushNanos;
    private com.sun.management.ThreadMXBean threads; // set by prime(), on the collector thread
    private boolean primed;
    private final long[] energyNow;
    private final long[] energyLast;
    private final java.util.SplittableRandom jitter = new java.util.SplittableRandom();
    private volatile boolean running = true;
    private volatile boolean harvestRequested;
    /** Early harvests where the power changes (see PowerShift); collector thread. */
    private final PowerShift powerShift = new PowerShift();
    /** Per domain, whether PowerShift watches it: measured (not estimated) domains whose energy follows samples. */
    private final boolean[] followsSamples;
    private volatile Thread thread;
    private long intervalStart;
    private int intervalTicks;
    private long lastProcessCpu;
    private long lastMachineBusy;
    private long lastAgentCpu;
    private long nextFlush;

    Collector(Listener listener, EnergyLedger ledger, CallPathSampler sampler,
              io.energy.sampling.StackSampler stacks, PowerSource source, ProcStat stat,
              long periodNanos, long intervalNanos, long flushNanos) {
        this.listener = listener;
        this.ledger = ledger;
        this.sampler = sampler;
        this.stacks = stacks;
        this.source = source;
        this.stat = stat;
        this.periodNanos = periodNanos;
        this.intervalNanos = intervalNanos;
        this.flushNanos = flushNanos;
        int n = source.domains().size();
        this.energyNow = new long[n];
        this.energyLast = new long[n];
        List<io.energy.power.Domain> domains = ledger.domains();
        this.followsSamples = new boolean[domains.size()];
        for (int i = 0; i < followsSamples.length; i++) {
            followsSamples[i] = !domains.get(i).isGpu() && !domains.get(i).estimated();
        }
    }

    /**
     * Takes the first readings, first thing on the collector thread, so the first interval is whole. Not on
     * the thread that starts the agent: the management beans' set-up is milliseconds the application would
     * otherwise wait for before its main method runs.
     */
    private void prime() {
        threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long now = System.nanoTime();
        source.read(now, energyLast);
        intervalStart = now;
        lastProcessCpu = stat.processCpuNanos();
        lastMachineBusy = stat.machineBusyNanos();
        listener.windowStarted();
        sockets = io.energy.power.SocketShares.open(source, AgentLog::problem);
        if (sockets != null) {
            AgentLog.info("several CPU sockets: each package's energy is split by this process's share of that socket's "
                    + "busy time (its threads' CPU placed by where they ran)");
            sockets.fill(now, -1, new double[energyLast.length]); // the baseline
        }
        // The agent's own start-up CPU (opening the source, the management beans) is before the first interval:
        // counting from zero would charge all of it to (energy agent) in the first 100 ms.
        lastAgentCpu = listener.agentCpuNanos();
        nextFlush = now + flushNanos;
        primed = true;
        // Said at log=debug: the moment the first readings exist (a test that moves a counter waits for it).
        AgentLog.debug("collector primed: the first readings are taken");
    }

    void start() {
        Thread t = new Thread(null, this, "energy-collector", EnergySession.DEEP_STACK);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    @Override
    public void run() {
        try {
            synchronized (ledger) {
                prime();
            }
        } catch (Throwable t) {
            listener.internalError("collector", t);
            return;
        }
        long next = System.nanoTime() + periodNanos;
        while (running) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
                continue;
            }
            long now = System.nanoTime();
            // Each period is drawn from [0.5, 1.5) × the configured one: the mean stays, but a workload
            // that repeats with the sample period cannot alias with it. A late wake-up does not produce a
            // burst of catch-up samples: time moves on.
            long step = periodNanos / 2 + (long) (jitter.nextDouble() * periodNanos);
            next = Math.max(next + step, now + periodNanos / 4);
            try {
                tick(now);
            } catch (Throwable t) {
                listener.internalError("collector", t);
            }
        }
    }

    private void tick(long now) {
        EnergyBridge.tick++;
        FaultInjection.maybeFail("collector");
        // Under the ledger's lock: sampling adopts new threads into the list that dump and status read.
        synchronized (ledger) {
            sampler.sample();
        }
        intervalTicks++;
        if (now - intervalStart >= intervalNanos) {
            synchronized (ledger) {
                closeInterval(now, false);
            }
        }
        if (now >= nextFlush) {
            nextFlush = now + flushNanos;
            synchronized (ledger) {
                sampler.syncCalls(ledger);
            }
            listener.flushed(now);
        }
    }

    /**
     * Attributes the time since the last interval. Collector thread, or the stopping thread after join.
     *
     * @param last the session's last interval: the stack sampler is harvested whatever it costs
     */
    void closeInterval(long now, boolean last) {
        if (!primed || now <= intervalStart) {
            return;
        }
        FaultInjection.maybeFail("source");
        source.read(now, energyNow);
        long[] delta = new long[energyNow.length];
        for (int i = 0; i < delta.length; i++) {
            delta[i] = Math.max(0, energyNow[i] - energyLast[i]);
            energyLast[i] = Math.max(energyLast[i], energyNow[i]);
        }
        long proc = stat.processCpuNanos();
        long machine = stat.machineBusyNanos();
        long agentCpu = listener.agentCpuNanos();
        // With a stack sampler no thread is asked for its CPU time: CPU energy follows the samples (an empty
        // array reads as "unknown" for every thread).
        long[] cpu = stacks == null ? threadCpuTimes(sampler.contexts()) : new long[0];
        double[] share = new double[delta.length];
        for (int i = 0; i < share.length; i++) {
            share[i] = source.processShare(i);
        }
        long procDelta = proc >= 0 && lastProcessCpu >= 0 ? Math.max(0, proc - lastProcessCpu) : -1;
        IntervalInput.ShareClock[] shareClocks = null;
        if (sockets != null) {
            sockets.fill(now, procDelta, share);
            shareClocks = new IntervalInput.ShareClock[share.length];
            for (int i = 0; i < share.length; i++) {
                double[] c = sockets.lastClocks(i);
                shareClocks[i] = c == null ? null : new IntervalInput.ShareClock((long) c[0], c[1], (int) c[2]);
            }
        }
        long tickNanos = intervalTicks > 0 ? (now - intervalStart) / intervalTicks : periodNanos;
        long sampledNanoJoules = sampledDomainsEnergy(delta);
        boolean shifted = stacks != null && powerShift.shifted(sampledNanoJoules, now - intervalStart, now);
        long harvestCpu0 = stacks != null ? stacks.harvestCpuNanos() : 0;
        io.energy.sampling.StackSamples samples = harvest(now, shifted, last);
        if (stacks != null) {
            powerShift.closed(sampledNanoJoules, now - intervalStart, now, samples != null,
                    stacks.harvestCpuNanos() - harvestCpu0, shifted);
        }
        IntervalInput in = new IntervalInput(intervalStart, now, delta, procDelta,
                machine >= 0 && lastMachineBusy >= 0 ? Math.max(0, machine - lastMachineBusy) : -1,
                Math.max(0, agentCpu - lastAgentCpu), share, tickNanos, sampler.closeInterval(ledger, cpu), samples,
                shareClocks);
        ledger.apply(in);
        lastProcessCpu = proc;
        lastMachineBusy = machine;
        lastAgentCpu = agentCpu;
        intervalStart = now;
        intervalTicks = 0;
        listener.intervalClosed(in);
    }

    /**
     * Each context's thread CPU time now, index-aligned, -1 for ended threads. Only live threads are asked:
     * looking up a thread by id is not free, and a service with thread churn can have thousands of ended ones
     * waiting to be forgotten.
     */
    private long[] threadCpuTimes(List<ThreadContext> contexts) {
        long[] cpu = new long[contexts.size()];
        int live = 0;
        for (ThreadContext c : contexts) {
            if (!CallPathSampler.ended(c)) {
                live++;
            }
        }
        long[] ids = new long[live];
        int[] at = new int[live];
        for (int i = 0, k = 0; i < cpu.length; i++) {
            cpu[i] = -1;
            if (!CallPathSampler.ended(contexts.get(i))) {
                ids[k] = contexts.get(i).threadId;
                at[k++] = i;
            }
        }
        long[] read = live == 0 ? new long[0] : threads.getThreadCpuTime(ids);
        for (int k = 0; k < live; k++) {
            cpu[at[k]] = read[k];
        }
        return cpu;
    }

    /** Energy of the measured domains whose energy follows stack samples (not GPUs, not estimates), nJ. */
    private long sampledDomainsEnergy(long[] delta) {
        long sum = 0;
        for (int i = 0; i < delta.length && i < followsSamples.length; i++) {
            sum += followsSamples[i] ? delta[i] : 0;
        }
        return sum;
    }

    /** @param force harvest whatever it costs: the power changed (PowerShift), or the session's last interval */
    private io.energy.sampling.StackSamples harvest(long now, boolean force, boolean last) {
        if (stacks == null) {
            return null;
        }
        if (last) {
            stacks.drain();
        }
        force = force || last || harvestRequested;
        harvestRequested = false;
        return stacks.harvest(now, force);
    }

    /**
     * Closes the interval now and harvests the stack sampler whatever it costs (not draining it: the session goes
     * on), so that a dump holds every sample taken so far. The harvests are spaced to keep their cost within
     * budget, up to 5 s apart: without this, a dump between two harvests showed the energy of those seconds as
     * {@code (unattributed)} and none on the methods that ran in them. Under the ledger's lock.
     */
    void closeIntervalWithHarvest(long now) {
        harvestRequested = true;
        closeInterval(now, false);
    }

    /** A measurement window ended: the next interval's close harvests the stack sampler whatever it costs. */
    void harvestAtNextInterval() {
        harvestRequested = true;
    }

    /** Stops the thread and waits for it; the caller then owns the ledger. */
    void stopAndJoin() {
        running = false;
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            LockSupport.unpark(t);
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    long threadId() {
        Thread t = thread;
        return t == null ? -1 : t.getId();
    }
}

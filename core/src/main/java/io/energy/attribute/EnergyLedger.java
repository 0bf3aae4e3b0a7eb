package io.energy.attribute;

import io.energy.power.Domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * The energy ledger: where every measured nanojoule went, per domain, as a call tree plus buckets.
 *
 * <p>Per interval and domain: machine energy = static (idle W × time) + dynamic; the process gets its
 * share of dynamic by CPU time against the machine's busy CPU time (a socket's package: against that socket's;
 * GPU: by the device's per-process share, and a GPU no process uses is all static); the process's part goes
 * to the agent's own threads, to each instrumented thread by its CPU time, and the rest to
 * {@code (uninstrumented)}; a thread's part goes to the call paths its samples found, by sample count. GPU
 * energy goes to the sampled paths inside the GPU scope, by wall time.
 *
 * <p>Every split is an integer split ({@link Split}), so the buckets add up to the measured energy
 * exactly: {@link #conservationError(int)} is zero after every interval.
 */
public final class EnergyLedger {
    /**
     * Options the ledger needs; the rest of the configuration stays out of the model.
     *
     * @param machineCpus the CPUs whose busy time the machine's clock adds up ({@code /proc/stat}), 0 if unknown:
     *                    the size of that clock's sampling error, which {@code (other processes)}' bound carries
     */
    public record Options(boolean dedicated, boolean staticToProcess, double[] idleWatts, int maxPaths,
                          IntPredicate gpuScope, boolean stacks, int machineCpus) {
        /** The machine's CPU count unknown. */
        public Options(boolean dedicated, boolean staticToProcess, double[] idleWatts, int maxPaths,
                       IntPredicate gpuScope, boolean stacks) {
            this(dedicated, staticToProcess, idleWatts, maxPaths, gpuScope, stacks, 0);
        }

        /** Attribution by the instrumented-path sampler alone (no stack sampler). */
        public Options(boolean dedicated, boolean staticToProcess, double[] idleWatts, int maxPaths,
                       IntPredicate gpuScope) {
            this(dedicated, staticToProcess, idleWatts, maxPaths, gpuScope, false);
        }
    }

    /**
     * How long CPU energy may wait for stack samples. A process that runs short bursts gets a sample only
     * every few intervals; its energy waits for the next samples instead of going to {@code (unattributed)}.
     */
    static final long MAX_PENDING_NANOS = 10_000_000_000L;
    /**
     * Most process CPU time carried from one interval's share to the next. The process's CPU time
     * ({@code getProcessCpuTime}) and the machine's busy time ({@code /proc/stat}) both move in clock ticks (10 ms),
     * so a process that keeps the machine busy reads above it in one interval and below in the next; a share
     * clamped at 1 without carrying the excess lost it for good (a steady bias towards "(other processes)"). The
     * cap keeps a reading that stays above the machine's (an accounting that never agrees) from granting the
     * process a later idle machine's energy for more than a second of CPU.
     */
    static final long MAX_SHARE_CARRY_NANOS = 1_000_000_000L;

    private final List<Domain> domains;
    private final Options options;
    private final LedgerNode root;
    private final LedgerNode otherPaths;
    private final LedgerNode uninstrumented;
    private final LedgerNode otherProcesses;
    private final LedgerNode staticIdle;
    private final LedgerNode agent;
    private final LedgerNode lost;
    private final LedgerNode gc;
    private final LedgerNode jit;
    private final LedgerNode vm;
    private final LedgerNode gpuUnscoped;
    /** Per CPU domain: this process's energy waiting for the stack samples of its intervals. */
    private final long[] pending;
    private final double[] pendingGrainJoules;
    private long pendingSince = -1;
    /** Power of the previous interval per domain (NaN before the first). */
    private final double[] lastPowerW;
    private long stackSamples;
    /** Running total of {@link #addCalls} on method nodes: kept here so that no report walks the tree for it. */
    private long methodCalls;
    private final long[] measured;
    private final Timeline timeline;
    private int nodeCount;
    private long intervals;
    private long firstStart = -1;
    private long lastEnd = -1;
    private long pathsOverCap;
    /** Process CPU time the last intervals' readings put above the machine's busy time, not yet given a share. */
    private long shareCarryNanos;
    /** What the process's CPU read below its followed threads' and the agent's (the path sampler), carried. */
    private long restDeficitNanos;
    /** The process's CPU since the last harvest (the span whose samples the next harvest brings). */
    private long pendingCpuNanos;
    /** CPU the sampled threads' clocks read beyond the process's clock at the last harvest (its 10 ms steps). */
    private long stackDeficitNanos;
    private long processCpuTotal;
    private long agentCpuTotal;
    private boolean machineCpuUnknown;
    private LedgerNode intervalTop;
    private long intervalTopNanoJoules;
    /** The process clock's ticks in the split between this process and the others (see {@link #othersVariance}). */
    private final TickedClockError othersClock;
    /** The process clock's ticks in the path sampler's split between its threads and {@code (uninstrumented)}. */
    private final TickedClockError uninstrumentedClock;

    public EnergyLedger(List<Domain> domains, Options options) {
        this.domains = List.copyOf(domains);
        this.options = options;
        int n = domains.size();
        othersClock = new TickedClockError(n, TickedClockError.PROCESS_CLOCK_TICK_NANOS,
                TickedClockError.PROCESS_CLOCK_TRUNCATIONS);
        uninstrumentedClock = new TickedClockError(n, TickedClockError.PROCESS_CLOCK_TICK_NANOS,
                TickedClockError.PROCESS_CLOCK_TRUNCATIONS);
        root = new LedgerNode(LedgerNode.ROOT, null, n);
        otherPaths = bucket(LedgerNode.OTHER_PATHS);
        uninstrumented = bucket(LedgerNode.UNINSTRUMENTED);
        otherProcesses = bucket(LedgerNode.OTHER_PROCESSES);
        staticIdle = bucket(LedgerNode.STATIC_IDLE);
        agent = bucket(LedgerNode.AGENT);
        lost = bucket(LedgerNode.LOST);
        if (options.stacks()) {
            gc = bucket(LedgerNode.GC);
            jit = bucket(LedgerNode.JIT);
            vm = bucket(LedgerNode.VM);
        } else {
            gc = uninstrumented;
            jit = uninstrumented;
            vm = uninstrumented;
        }
        gpuUnscoped = bucket(LedgerNode.GPU_UNSCOPED);
        pending = new long[n];
        lastPowerW = new double[n];
        java.util.Arrays.fill(lastPowerW, Double.NaN);
        pendingGrainJoules = new double[n];
        measured = new long[n];
        timeline = new Timeline(n);
    }

    private LedgerNode bucket(int id) {
        LedgerNode b = new LedgerNode(id, root, domains.size());
        root.children.put(id, b);
        return b;
    }

    public List<Domain> domains() {
        return domains;
    }

    public LedgerNode root() {
        return root;
    }

    public LedgerNode bucketNode(int id) {
        return root.children.get(id);
    }

    /** The node for {@code methodId} under {@code parent}, made on first use; beyond the cap, (other paths). */
    public LedgerNode child(LedgerNode parent, int methodId) {
        if (methodId == LedgerNode.OTHER_PATHS) {
            return otherPaths;
        }
        LedgerNode c = parent.children.get(methodId);
        if (c == null) {
            if (nodeCount >= options.maxPaths() || parent == otherPaths) {
                pathsOverCap++;
                return otherPaths;
            }
            c = new LedgerNode(methodId, parent, domains.size());
            parent.children.put(methodId, c);
            nodeCount++;
        }
        return c;
    }

    /** Attributes one interval. */
    public void apply(IntervalInput in) {
        int nd = domains.size();
        double seconds = Math.max(0, in.endNanos() - in.startNanos()) / 1e9;
        if (firstStart < 0) {
            firstStart = in.startNanos();
        }
        lastEnd = in.endNanos();
        intervals++;
        if (in.processCpuNanos() > 0) {
            processCpuTotal += in.processCpuNanos();
        }
        agentCpuTotal += Math.max(0, in.agentCpuNanos());
        if (in.machineBusyNanos() < 0) {
            machineCpuUnknown = true;
        }
        intervalTop = null;
        intervalTopNanoJoules = 0;
        long[] processPart = new long[nd];
        double machineShare = machineShare(in);
        long pathRest = options.stacks() ? 0 : untrackedCpu(in);
        for (int d = 0; d < nd; d++) {
            long energy = Math.max(0, in.nanoJoules()[d]);
            measured[d] += energy;
            Domain domain = domains.get(d);
            double idle = options.idleWatts()[d];
            long stat = Double.isNaN(idle) ? 0 : Math.min(energy, Math.round(idle * seconds * 1e9));
            if (domain.isGpu() && gpuIdle(d, in)) {
                stat = energy; // no process uses the device: all of it is idle energy, no method's (issue 14)
            }
            long dynamic = energy - stat;
            double share = processShare(domain, d, in, machineShare);
            long proc = Math.min(dynamic, Math.round(dynamic * share));
            long others = dynamic - proc;
            long splitByShare = dynamic + (options.staticToProcess() && !options.dedicated() ? stat : 0);
            if (options.staticToProcess()) {
                // The machine's idle energy is charged to the processes that use it, by the same share as the
                // dynamic part (Kepler's split): this process only takes all of it on a dedicated machine.
                long mine = options.dedicated() ? stat : Math.min(stat, Math.round(stat * share));
                proc += mine;
                others += stat - mine;
                stat = 0;
            }
            staticIdle.selfNanoJoules[d] += stat;
            otherProcesses.selfNanoJoules[d] += others;
            processPart[d] = proc;
            double powerW = seconds > 0 ? energy / 1e9 / seconds : 0;
            double grainS = domain.grainNanos() / 1e9;
            // A counter that moves every grain, read between its moves, is interpolated by the source: the
            // energy it misplaces in time is the change of power over a grain, not the power itself, and what
            // one interval gains its neighbour loses. Under constant power a coarse counter places energy
            // exactly; the bound must not grow with the power level or the run's length for that.
            double grainJoules = Math.abs(powerW - (Double.isNaN(lastPowerW[d]) ? 0 : lastPowerW[d])) * grainS;
            lastPowerW[d] = powerW;
            IntervalInput.ShareClock clock = domain.isGpu() || options.dedicated() ? null : shareClock(in, d);
            // An interval not split by the process clock (no clock) takes no part of its reading errors: k = 0 there.
            double v = othersVariance(d, splitByShare, in, clock) + bucketGrainVariance(grainJoules, others, energy);
            otherProcesses.selfVariance[d] += v;
            otherProcesses.inclusiveVariance[d] += v;
            if (domain.isGpu()) {
                attributeGpu(d, proc, in, grainJoules);
            } else if (options.stacks()) {
                pending[d] += proc;
                pendingGrainJoules[d] = Math.max(pendingGrainJoules[d], grainJoules);
            } else {
                attributeCpu(d, proc, in, grainJoules, pathRest, share < 1 ? clock : null, splitByShare);
            }
        }
        if (options.stacks()) {
            pendingCpuNanos += Math.max(0, in.processCpuNanos());
            attributeStacks(in);
            if (in.stacks() != null && in.stacks().total() > 0) {
                // The next harvest's samples, and its thread clocks' readings, start here. A harvest without samples
                // moves neither (sampling/ThreadClocks), and its energy waits: the span goes on.
                pendingCpuNanos = 0;
            }
        }
        recordTimes(in);
        timeline.add(in.startNanos(), in.endNanos(), in.nanoJoules(), processPart,
                intervalTop == null ? 0 : intervalTop.methodId);
    }

    private static boolean gpuIdle(int d, IntervalInput in) {
        return in.processShare() != null && in.processShare()[d] == io.energy.power.PowerSource.DEVICE_IDLE;
    }

    private double processShare(Domain domain, int d, IntervalInput in, double machineShare) {
        if (domain.isGpu()) {
            double s = in.processShare() == null ? Double.NaN : in.processShare()[d];
            return Double.isNaN(s) ? 1.0 : clamp(s);
        }
        if (options.dedicated()) {
            return 1.0;
        }
        double socketShare = in.processShare() == null ? Double.NaN : in.processShare()[d];
        if (!Double.isNaN(socketShare)) {
            return clamp(socketShare); // this process's share of the domain's socket's busy time (issue 14)
        }
        return machineShare;
    }

    /**
     * This process's share of the machine's busy time in an interval, once per interval for every CPU domain:
     * process CPU over machine busy time, with what earlier intervals read above the machine's carried into this
     * one (see {@link #MAX_SHARE_CARRY_NANOS}), so that over a run the process's shares add up to its CPU time.
     */
    private double machineShare(IntervalInput in) {
        long proc = in.processCpuNanos();
        long machine = in.machineBusyNanos();
        if (machine < 0 || proc < 0) {
            return 1.0; // nothing to compare with: the process takes the dynamic part (said in the report)
        }
        long p = proc + shareCarryNanos;
        if (p > machine) {
            shareCarryNanos = Math.min(MAX_SHARE_CARRY_NANOS, p - machine);
            return 1.0;
        }
        shareCarryNanos = 0;
        return machine == 0 ? 0.0 : (double) p / machine;
    }

    /**
     * The clocks domain {@code d}'s process share was read from in this interval: a socket's where the share is
     * the socket's, else the machine's (its busy time, all of the process's CPU, its CPU count); null where the
     * share is not from CPU clocks (unknown, or a GPU's).
     */
    private IntervalInput.ShareClock shareClock(IntervalInput in, int d) {
        if (in.processCpuNanos() < 0) {
            return null;
        }
        boolean socket = in.processShare() != null && !Double.isNaN(in.processShare()[d]);
        if (socket) {
            IntervalInput.ShareClock c = in.shareClocks() == null ? null : in.shareClocks()[d];
            return c != null && c.busyNanos() > 0 ? c : null;
        }
        return in.machineBusyNanos() > 0
                ? new IntervalInput.ShareClock(in.machineBusyNanos(), 1.0, options.machineCpus()) : null;
    }

    /**
     * Variance of {@code (other processes)}' energy in one interval from the two clocks its share is read from:
     * {@code others = E × (1 − P/M)}, where {@code E} is the energy split by the share ({@code splitByShare}: the
     * dynamic part, and the idle part too with {@code static=process}; 0 where the share is not the clocks').
     * <ul>
     *   <li>The process's CPU time P is a precise count read in 10 ms ticks, user and system time cut apart
     *   ({@link TickedClockError}: the error telescopes over the run).</li>
     *   <li>The machine's busy time M ({@code /proc/stat}) is counted by the scheduler's tick: each CPU adds a whole
     *   tick to "busy" when it is busy at the tick, so M is a count of Bernoulli draws, variance
     *   {@code tick² × Σ b(1 − b)} over the interval's ticks of every CPU, each independent of the next
     *   interval's. With the machine's CPU count, {@code b} is the machine's mean busy fraction (an upper bound:
     *   CPUs busier or idler than the mean have less); without it, {@code Σ b(1 − b) ≤ Σ b = M / tick}.</li>
     * </ul>
     */
    private double othersVariance(int d, long splitByShare, IntervalInput in, IntervalInput.ShareClock clock) {
        if (splitByShare <= 0 || clock == null) {
            return othersClock.next(d, 0);
        }
        double m = clock.busyNanos();
        double k = splitByShare / m; // nJ per ns of the busy clock
        double f = clock.processFraction(); // a socket's part of the process's CPU (1 for the machine)
        double s = Math.min(1.0, Math.max(0, in.processCpuNanos()) * f / m);
        return othersClock.next(d, k * f) + k * s * k * s * busyVariance(clock, in);
    }

    /**
     * Variance of the busy time of a share's CPUs (the machine's, or a socket's) in one interval, ns², from the
     * scheduler tick's sampling (see
     * {@link #othersVariance}). The tick taken is 10 ms, the unit {@code /proc/stat} counts in (USER_HZ); the kernel
     * accounts at its own tick (CONFIG_HZ, often 4 or 1 ms), for which this over-states the sampling term and
     * covers the truncation to 10 ms units. Load locked to the tick's phase (a timer that wakes just before
     * every tick) is not covered: its error is a bias, not chance.
     */
    private static double busyVariance(IntervalInput.ShareClock clock, IntervalInput in) {
        double m = Math.max(0, clock.busyNanos());
        double tick = TickedClockError.PROCESS_CLOCK_TICK_NANOS;
        long length = Math.max(0, in.endNanos() - in.startNanos());
        if (clock.cpus() > 0 && length > 0) {
            double ticks = clock.cpus() * (length / tick);
            double b = Math.min(1.0, m / (clock.cpus() * (double) length));
            return tick * tick * ticks * b * (1 - b);
        }
        return tick * m;
    }

    /**
     * The path sampler's rest of the process's CPU in an interval: the process's CPU minus the followed threads'
     * and the agent's. Their clocks are exact and the process's moves in 10 ms steps, so the difference reads
     * below zero in one interval and above in the next; what read below is carried into the next interval
     * (at most {@link #MAX_SHARE_CARRY_NANOS}) instead of being clamped away, which made the rest grow with the
     * run (found by review: a process whose every thread is followed got 3.9 J of 120 J as (uninstrumented)).
     */
    private long untrackedCpu(IntervalInput in) {
        long p = in.processCpuNanos();
        if (p < 0) {
            return 0;
        }
        long known = Math.max(0, in.agentCpuNanos());
        for (IntervalInput.ThreadSlice t : in.threads()) {
            known += Math.max(0, t.cpuNanos());
        }
        long rest = p - known - restDeficitNanos;
        if (rest < 0) {
            restDeficitNanos = Math.min(MAX_SHARE_CARRY_NANOS, -rest);
            return 0;
        }
        restDeficitNanos = 0;
        return rest;
    }

    /**
     * The source's grain on a bucket that took {@code part} of an interval's {@code energy}: as for a path (see
     * {@link #sampledVariance}), it matters as far as the bucket shares the interval with others.
     */
    private static double bucketGrainVariance(double grainJoules, long part, long energy) {
        if (energy <= 0 || part <= 0 || grainJoules <= 0) {
            return 0;
        }
        double f = Math.min(1.0, (double) part / energy);
        double g = grainJoules * 1e9 * 2 * Math.sqrt(f * (1 - f));
        return g * g;
    }

    private static double clamp(double v) {
        return v < 0 ? 0 : Math.min(1, v);
    }

    /**
     * @param rest         the rest of the process's CPU ({@link #untrackedCpu}), the weight of (uninstrumented)
     * @param clock        where {@code energy} is this process's share of a domain by CPU clocks (a share below
     *                     1), those clocks; else null
     * @param splitByShare the energy that share split
     */
    private void attributeCpu(int d, long energy, IntervalInput in, double grainJoules, long rest,
                              IntervalInput.ShareClock clock, long splitByShare) {
        List<IntervalInput.ThreadSlice> threads = in.threads();
        int n = threads.size();
        long[] weights = new long[n + 2];
        long threadCpu = 0;
        for (int i = 0; i < n; i++) {
            weights[i] = Math.max(0, threads.get(i).cpuNanos());
            threadCpu += weights[i];
        }
        long agentCpu = Math.max(0, in.agentCpuNanos());
        weights[n] = agentCpu;
        long processCpu = in.processCpuNanos();
        weights[n + 1] = rest;
        long[] parts = Split.proportional(energy, weights);
        if (parts == null) {
            uninstrumented.selfNanoJoules[d] += energy;
            uninstrumentedClock.next(d, 0);
            return;
        }
        agent.selfNanoJoules[d] += parts[n];
        uninstrumented.selfNanoJoules[d] += parts[n + 1];
        // The rest of the process's CPU (P − threads − agent) takes the error of P's 10 ms ticks; the agent's and
        // the threads' CPU clocks are exact to the nanosecond. On a dedicated machine (or a share of 1) the
        // process's energy E is fixed, (uninstrumented) is E × rest / P, and each ns that P reads off moves
        // E × (threads + agent) / P². Where the energy is the process's share D × P / M of a shared machine,
        // (uninstrumented) is D × rest / M: each ns of P moves D / M, and the machine's ticked busy time M moves
        // D × rest / M² per ns.
        long known = threadCpu + agentCpu;
        long all = known + rest;
        double k;
        double machineTerm = 0;
        if (clock != null) {
            // A socket's share puts the part f of the process's CPU on the socket: D × f × rest / B.
            double m = clock.busyNanos();
            double f = clock.processFraction();
            k = splitByShare * f / m;
            double km = splitByShare * f * rest / (m * m);
            machineTerm = km * km * busyVariance(clock, in);
        } else {
            k = processCpu > 0 && all > 0 ? (double) energy * known / ((double) all * all) : 0;
        }
        double v = uninstrumentedClock.next(d, k) + machineTerm
                + bucketGrainVariance(grainJoules, parts[n + 1], energy);
        uninstrumented.selfVariance[d] += v;
        uninstrumented.inclusiveVariance[d] += v;
        double va = bucketGrainVariance(grainJoules, parts[n], energy);
        agent.selfVariance[d] += va;
        agent.inclusiveVariance[d] += va;
        for (int i = 0; i < n; i++) {
            if (parts[i] > 0) {
                spreadOverSamples(d, parts[i], threads.get(i), grainJoules * parts[i] / Math.max(1, energy));
            }
        }
    }

    /**
     * Energy follows CPU time: the CPU energy this process used since the last harvest is split over the
     * harvest's samples by count, each sample standing for the same quantum of CPU time. A sample's energy
     * goes to its innermost frame (self); the tree makes it every enclosing frame's inclusive energy. The
     * JVM's own threads and the agent get their buckets. Energy that found no samples waits for the next
     * harvest (a process that runs in short bursts), for at most {@link #MAX_PENDING_NANOS}.
     */
    private void attributeStacks(IntervalInput in) {
        io.energy.sampling.StackSamples s = in.stacks();
        boolean anyPending = false;
        for (long p : pending) {
            anyPending |= p > 0;
        }
        if (!anyPending) {
            pendingSince = -1;
            if (s != null) {
                countStackTime(s);
            }
            return;
        }
        if (pendingSince < 0) {
            pendingSince = in.startNanos();
        }
        if (s == null || s.total() == 0) {
            if (in.endNanos() - pendingSince > MAX_PENDING_NANOS) {
                for (int d = 0; d < pending.length; d++) {
                    uninstrumented.selfNanoJoules[d] += pending[d];
                    // Energy no sample explains could belong to any method: its bound is all of it (2σ = e).
                    uninstrumented.selfVariance[d] += (double) pending[d] * pending[d] / 4;
                    uninstrumented.inclusiveVariance[d] += (double) pending[d] * pending[d] / 4;
                    pending[d] = 0;
                    pendingGrainJoules[d] = 0;
                }
                pendingSince = -1;
            }
            return;
        }
        int n = s.size();
        LedgerNode[] nodes = new LedgerNode[n];
        long[] w = new long[n];
        for (int i = 0; i < n; i++) {
            nodes[i] = nodeOf(s.stack(i));
            w[i] = s.count(i);
        }
        long total = s.total();
        long[] group = sampleGroups(s);
        List<InclusiveCount> inclusive = inclusiveCounts(s, nodes, group);
        // Where the sampled threads' clocks were read, each stack is paid for its thread's CPU, and the process's
        // CPU that no sampled thread used (last slot) goes to no method; else by count.
        long[] pay = cpuWeights(s, w, group, pendingCpuNanos);
        for (int d = 0; d < pending.length; d++) {
            long energy = pending[d];
            if (energy == 0) {
                continue;
            }
            long[] parts = Split.proportional(energy, pay != null ? pay : w);
            if (parts == null) {
                parts = Split.proportional(energy, w);
                pay = null;
            }
            double grain = pendingGrainJoules[d];
            long sampled = energy;
            if (pay != null && parts[n] > 0) {
                // CPU of threads no sample stands for: the JIT, a server thread, GC between their ticks. Its energy
                // is no method's; its bound is the process clock's step at each end of the span.
                long restPart = parts[n];
                sampled = energy - restPart;
                double perNs = (double) energy / Math.max(1, pendingCpuNanos);
                double v = perNs * perNs * TickedClockError.PROCESS_CLOCK_TICK_NANOS
                        * (double) TickedClockError.PROCESS_CLOCK_TICK_NANOS / 6
                        + bucketGrainVariance(grain, restPart, energy);
                uninstrumented.selfNanoJoules[d] += restPart;
                uninstrumented.selfVariance[d] += v;
                uninstrumented.inclusiveVariance[d] += v;
            }
            // A thread paid by its clock has its own energy per sample: the split inside it is chance at that rate.
            Map<Long, Long> threadEnergy = pay == null ? null : energyByThread(s, parts);
            for (int i = 0; i < n; i++) {
                LedgerNode node = nodes[i];
                double grainJ = grain * parts[i] / Math.max(1, energy);
                double v = sampledVariance(scaledEnergyOf(threadEnergy, s.thread(i), group[i], sampled, total), w[i],
                        group[i], total, grainJ);
                if (node.isBucket()) {
                    node.selfNanoJoules[d] += parts[i];
                    node.selfVariance[d] += v;
                } else {
                    credit(node, d, parts[i], v, false);
                }
            }
            for (InclusiveCount c : inclusive) {
                double grainJ = grain * c.samples / Math.max(1, total);
                c.node.inclusiveVariance[d] += sampledVariance(
                        scaledEnergyOf(threadEnergy, c.thread, c.groupSamples, sampled, total), c.samples,
                        c.groupSamples, total, grainJ);
            }
            pending[d] = 0;
            pendingGrainJoules[d] = 0;
        }
        pendingSince = -1;
        countStackTime(s);
    }

    /**
     * What each stack of a harvest is paid for, in CPU nanoseconds, with one more slot for the process's CPU that
     * no sampled thread used; null where no thread's clock was read (then each sample is one period: by count).
     * <ul>
     *   <li>A thread whose clock was read at this harvest and an earlier one: what it used between the two,
     *   split over its stacks by count.</li>
     *   <li>A thread that ended after its last sample: its samples × period, plus the part of a period it ran
     *   after its last tick, expected half a period (capped by what the process's clock leaves).</li>
     *   <li>Any other: samples × period.</li>
     *   <li>The rest: the process's CPU over the span minus all that. The process clock moves in 10 ms steps,
     *   so where the threads' clocks read more than it, the excess is taken from the next harvest's rest.</li>
     * </ul>
     *
     * @param threadSamples per stack, its thread's samples in the harvest ({@link #sampleGroups})
     */
    private long[] cpuWeights(io.energy.sampling.StackSamples s, long[] counts, long[] threadSamples,
                              long processCpu) {
        if (!s.perThreadClocks() || !s.hasThreadCpu() || processCpu <= 0) {
            stackDeficitNanos = 0;
            return null;
        }
        int n = s.size();
        long period = s.periodNanos();
        long[] pay = new long[n + 1];
        long paid = 0;
        for (int i = 0; i < n; i++) {
            // A sample without a thread has no clock: CPU_UNKNOWN, one period a sample.
            long cpu = s.threadCpuNanos(s.thread(i));
            pay[i] = cpu >= 0 ? Math.round((double) cpu * counts[i] / threadSamples[i]) : counts[i] * period;
            paid += pay[i];
        }
        long rest = processCpu - paid - stackDeficitNanos;
        int ended = s.endedThreads();
        if (ended > 0 && rest > 0) {
            long tail = Math.min(period / 2, rest / ended);
            for (int i = 0; i < n; i++) {
                if (s.threadCpuNanos(s.thread(i)) == io.energy.sampling.StackSamples.CPU_ENDED) {
                    long add = Math.round((double) tail * counts[i] / threadSamples[i]);
                    pay[i] += add;
                    rest -= add;
                }
            }
        }
        if (rest < 0) {
            stackDeficitNanos = Math.min(MAX_STACK_DEFICIT_NANOS, -rest);
            rest = 0;
        } else {
            stackDeficitNanos = 0;
        }
        pay[n] = rest;
        return pay;
    }

    /** At most two steps of the process clock are carried from one harvest's rest to the next. */
    static final long MAX_STACK_DEFICIT_NANOS = 2 * TickedClockError.PROCESS_CLOCK_TICK_NANOS;

    private void countStackTime(io.energy.sampling.StackSamples s) {
        for (int i = 0; i < s.size(); i++) {
            LedgerNode node = nodeOf(s.stack(i));
            node.samples += s.count(i);
            node.cpuNanos += s.count(i) * s.periodNanos();
            stackSamples += s.count(i);
        }
    }

    /** The ledger node of a sampled stack (its innermost frame's call path), or its thread kind's bucket. */
    private LedgerNode nodeOf(io.energy.sampling.Stack stack) {
        if (stack.ledgerLeaf instanceof LedgerNode cached) {
            return cached;
        }
        LedgerNode node;
        switch (stack.kind) {
            case AGENT -> node = agent;
            case GC -> node = gc;
            case JIT -> node = jit;
            case VM -> node = vm;
            default -> {
                node = root;
                for (int f : stack.frames) {
                    node = child(node, f);
                    if (node == otherPaths) {
                        break;
                    }
                }
                if (node == root) {
                    node = uninstrumented;
                }
            }
        }
        // A path folded into (other paths) because of the cap is not cached: it may get its own node later
        // (it never does, the cap only grows), but the cache must not pin a bucket to a real stack either.
        if (node != otherPaths) {
            stack.ledgerLeaf = node;
        }
        return node;
    }

    /** Energy waiting for stack samples, per domain (in the process's part, not yet on any node). */
    public long pendingNanoJoules(int domain) {
        return pending[domain];
    }

    /** CPU-time stack samples attributed so far. */
    public long stackSamples() {
        return stackSamples;
    }

    private void spreadOverSamples(int d, long energy, IntervalInput.ThreadSlice t, double grainJoules) {
        int count = t.count();
        // CPU energy follows the samples that found the thread running; a thread that used CPU but was
        // never caught running (a short burst between ticks) falls back to where it was at all.
        int[] by = t.totalSamples() > 0 ? t.samples() : t.wallSamples();
        int root = t.totalSamples() > 0 ? t.rootSamples() : t.rootWallSamples();
        long[] w = new long[count + 1];
        int total = root;
        for (int i = 0; i < count; i++) {
            w[i] = by[i];
            total += by[i];
        }
        w[count] = root;
        long[] parts = Split.proportional(energy, w);
        if (parts == null) {
            uninstrumented.selfNanoJoules[d] += energy;
            return;
        }
        uninstrumented.selfNanoJoules[d] += parts[count];
        // The thread's samples outside every instrumented path are as much chance as those inside one.
        if (root > 0) {
            double rootVariance = variance(energy, root, total, parts[count], grainJoules);
            uninstrumented.selfVariance[d] += rootVariance;
            uninstrumented.inclusiveVariance[d] += rootVariance;
        }
        for (int i = 0; i < count; i++) {
            LedgerNode node = t.nodes()[i];
            credit(node, d, parts[i], variance(energy, by[i], total, parts[i], grainJoules));
        }
    }

    /**
     * Samples of one harvest that passed through {@code node} in one group (see {@link #sampleGroups}); {@code thread}
     * is the group's thread, or {@link #NO_GROUP}.
     */
    private record InclusiveCount(LedgerNode node, long samples, long groupSamples, long thread) {
    }

    /** Per thread of a harvest: the energy its stacks got ({@code parts}). */
    private static Map<Long, Long> energyByThread(io.energy.sampling.StackSamples s, long[] parts) {
        Map<Long, Long> out = new HashMap<>();
        for (int i = 0; i < s.size(); i++) {
            if (s.thread(i) != io.energy.sampling.StackSamples.NO_THREAD) {
                out.merge(s.thread(i), parts[i], Long::sum);
            }
        }
        return out;
    }

    /**
     * The energy that, spread over a harvest's {@code total} samples, gives one sample of {@code thread} (of its
     * {@code threadSamples}) its energy: {@link #sampledVariance} takes one sample's energy as energy / total.
     */
    private static double scaledEnergyOf(Map<Long, Long> byThread, long thread, long threadSamples, long sampled,
                                         long total) {
        Long e = byThread == null ? null : byThread.get(thread);
        return e == null || threadSamples <= 0 ? sampled : (double) e / threadSamples * total;
    }

    /**
     * For every path a harvest's samples passed through (each stack's node and its callers), the samples that
     * did, per group of {@link #sampleGroups}: the basis of {@link LedgerNode#inclusiveVariance}.
     */
    private static List<InclusiveCount> inclusiveCounts(io.energy.sampling.StackSamples s, LedgerNode[] nodes,
                                                        long[] group) {
        // Keyed by the group's thread, or NO_GROUP for the samples that share the harvest-wide group.
        Map<Long, Map<LedgerNode, long[]>> byGroup = new HashMap<>();
        Map<Long, Long> groupSamples = new HashMap<>();
        for (int i = 0; i < nodes.length; i++) {
            long key = s.perThreadClocks() && s.thread(i) != io.energy.sampling.StackSamples.NO_THREAD
                    ? s.thread(i) : NO_GROUP;
            groupSamples.put(key, group[i]);
            Map<LedgerNode, long[]> counts = byGroup.computeIfAbsent(key, k -> new java.util.IdentityHashMap<>());
            for (LedgerNode x = nodes[i]; x != null && x.methodId != LedgerNode.ROOT; x = x.parent) {
                counts.computeIfAbsent(x, k -> new long[1])[0] += s.count(i);
            }
        }
        List<InclusiveCount> out = new ArrayList<>();
        for (Map.Entry<Long, Map<LedgerNode, long[]>> g : byGroup.entrySet()) {
            long n = groupSamples.get(g.getKey());
            for (Map.Entry<LedgerNode, long[]> e : g.getValue().entrySet()) {
                out.add(new InclusiveCount(e.getKey(), e.getValue()[0], n, g.getKey()));
            }
        }
        return out;
    }

    /** The group of samples that have no thread of their own clock: the whole harvest. */
    private static final long NO_GROUP = Long.MIN_VALUE;

    /**
     * For each stack of a harvest, the samples of the group whose split is chance: its thread's samples in the
     * harvest where each thread ticks on its own CPU clock and the thread is known; else the whole harvest's.
     */
    private static long[] sampleGroups(io.energy.sampling.StackSamples s) {
        long[] out = new long[s.size()];
        java.util.Arrays.fill(out, s.total());
        if (!s.perThreadClocks()) {
            return out;
        }
        Map<Long, Long> byThread = s.samplesByThread();
        for (int i = 0; i < s.size(); i++) {
            Long t = byThread.get(s.thread(i));
            if (t != null) {
                out[i] = t;
            }
        }
        return out;
    }

    /**
     * Variance of the energy of {@code samples} out of a harvest's {@code total}, where the split inside a group
     * of {@code groupSamples} is chance: {@code n·(1 − n/G) + 1} samples² × one sample's energy², plus the
     * source's grain.
     * <ul>
     *   <li>Where every thread is sampled on its own CPU clock (one sample per period of that thread's CPU time),
     *   the group is the thread: its count follows its CPU time to within a sample, so which thread a tick lands
     *   in is not chance; which of its stacks it lands in is, binomial within the thread (none for a thread that
     *   spent the harvest in one stack, all of it for one that switches faster than the period).</li>
     *   <li>Otherwise (a process-wide timer, samples without a thread, the path sampler) the group is the whole
     *   harvest: the choice of thread is chance too.</li>
     *   <li>The {@code + 1} is one sample for the ends of the path's runs in the harvest (the quantisation at
     *   the ends of calls; a CPU timer that expires in a short burst may fire at the next tick).</li>
     *   <li>The source's grain: a counter that moves every grain cannot place energy more finely than that.</li>
     * </ul>
     */
    static double sampledVariance(double energy, long samples, long groupSamples, long total, double grainJoules) {
        if (total <= 0 || groupSamples <= 0) {
            return 0;
        }
        double perSample = energy / total;
        double split = samples * (1 - (double) samples / groupSamples);
        double p = (double) samples / total;
        // The source's grain blurs where energy falls in time. Where one path has the whole interval, and
        // its neighbours too, that blur moves energy between intervals of the same path and cancels out;
        // it matters where paths share an interval, most when they share it evenly.
        double grain = grainJoules * 1e9 * 2 * Math.sqrt(p * (1 - p));
        return perSample * perSample * (split + 1) + grain * grain;
    }

    /** {@link #sampledVariance} over the whole harvest (the path sampler's, and the GPU's wall-time split). */
    static double variance(long energy, int samples, int total, long part, double grainJoules) {
        return sampledVariance(energy, samples, total, total, grainJoules);
    }

    private void attributeGpu(int d, long energy, IntervalInput in, double grainJoules) {
        List<LedgerNode> nodes = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (IntervalInput.ThreadSlice t : in.threads()) {
            for (int i = 0; i < t.count(); i++) {
                if (inGpuScope(t.nodes()[i])) {
                    nodes.add(t.nodes()[i]);
                    counts.add(t.wallSamples()[i]);
                }
            }
        }
        long[] w = new long[nodes.size()];
        int total = 0;
        for (int i = 0; i < w.length; i++) {
            w[i] = counts.get(i);
            total += counts.get(i);
        }
        long[] parts = Split.proportional(energy, w);
        if (parts == null) {
            gpuUnscoped.selfNanoJoules[d] += energy;
            return;
        }
        for (int i = 0; i < parts.length; i++) {
            credit(nodes.get(i), d, parts[i], variance(energy, (int) w[i], total, parts[i], grainJoules));
        }
    }

    private void credit(LedgerNode node, int d, long nanoJoules, double variance) {
        credit(node, d, nanoJoules, variance, true);
    }

    /**
     * @param inclusiveToo also add {@code variance} to the inclusive variance of the node and its callers
     *                     (with a stack sampler; a harvest adds its own inclusive variances instead)
     */
    private void credit(LedgerNode node, int d, long nanoJoules, double variance, boolean inclusiveToo) {
        node.selfNanoJoules[d] += nanoJoules;
        node.selfVariance[d] += variance;
        if (inclusiveToo && options.stacks()) {
            for (LedgerNode x = node; x != null && x.methodId != LedgerNode.ROOT; x = x.parent) {
                x.inclusiveVariance[d] += variance;
            }
        }
        if (nanoJoules > intervalTopNanoJoules) {
            intervalTop = node;
            intervalTopNanoJoules = nanoJoules;
        }
    }

    private boolean inGpuScope(LedgerNode node) {
        if (node.gpuScope == 0) {
            boolean in = false;
            for (LedgerNode n = node; n != null && n.methodId > 0; n = n.parent) {
                if (options.gpuScope().test(n.methodId)) {
                    in = true;
                    break;
                }
            }
            node.gpuScope = (byte) (in ? 1 : -1);
        }
        return node.gpuScope > 0;
    }

    private void recordTimes(IntervalInput in) {
        for (IntervalInput.ThreadSlice t : in.threads()) {
            boolean running = t.totalSamples() > 0;
            int total = running ? t.totalSamples() : t.totalWallSamples();
            for (int i = 0; i < t.count(); i++) {
                LedgerNode node = t.nodes()[i];
                node.wallNanos += t.wallSamples()[i] * in.tickNanos();
                if (options.stacks()) {
                    continue; // CPU time and samples come from the stack sampler
                }
                node.samples += t.wallSamples()[i];
                int by = running ? t.samples()[i] : t.wallSamples()[i];
                if (total > 0 && t.cpuNanos() > 0) {
                    node.cpuNanos += Math.round((double) t.cpuNanos() * by / total);
                }
            }
        }
    }

    /** Adds calls counted on the application threads since the last report. */
    public void addCalls(LedgerNode node, long calls) {
        node.calls += calls;
        if (node.methodId > 0) {
            methodCalls += calls;
        }
    }

    /** Calls of methods counted so far, every path added up (what counting has cost is this times a call's cost). */
    public long methodCalls() {
        return methodCalls;
    }

    /** Energy that could not be placed (for example a thread whose events were lost) goes here. */
    public void addLost(int domain, long nanoJoules) {
        lost.selfNanoJoules[domain] += nanoJoules;
    }

    public long measuredNanoJoules(int domain) {
        return measured[domain];
    }

    /** Sum over every node of the ledger (and energy waiting for samples) minus the measured energy: zero, always. */
    public long conservationError(int domain) {
        return sum(root, domain) + pending[domain] - measured[domain];
    }

    private static long sum(LedgerNode n, int d) {
        long s = n.selfNanoJoules[d];
        for (LedgerNode c : n.children.values()) {
            s += sum(c, d);
        }
        return s;
    }

    public Timeline timeline() {
        return timeline;
    }

    public long intervals() {
        return intervals;
    }

    public long durationNanos() {
        return firstStart < 0 ? 0 : lastEnd - firstStart;
    }

    public long pathsOverCap() {
        return pathsOverCap;
    }

    public int nodeCount() {
        return nodeCount;
    }

    public long processCpuNanos() {
        return processCpuTotal;
    }

    public long agentCpuNanos() {
        return agentCpuTotal;
    }

    public boolean machineCpuUnknown() {
        return machineCpuUnknown;
    }

    public Options options() {
        return options;
    }
}

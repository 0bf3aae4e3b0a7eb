package io.energy.power.nvml;

import io.energy.power.Domain;
import io.energy.power.PowerSource;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * NVIDIA GPUs' energy through NVML: one {@code gpu:N} domain per GPU visible to CUDA in this process,
 * numbered as CUDA numbers them.
 *
 * <p><b>What is read.</b> The total energy counter ({@code nvmlDeviceGetTotalEnergyConsumption}, mJ,
 * Volta and newer) is the truth; it moves about every 100 ms. Instant power (the field
 * {@code NVML_FI_DEV_POWER_INSTANT}) shapes the energy between counter reads. {@code nvmlDeviceGetPowerUsage}
 * is never used: on Ampere and newer it is a trailing one-second average, which smears a 250 ms burst over
 * the next second's call paths.
 *
 * <p><b>What it costs.</b> On an H100 one counter read costs 4–7 ms of CPU, instant power ~6 µs. Instant
 * power is read at every {@link #read}; the counter at most every {@link #COUNTER_UPDATE_NANOS} (it moves
 * no faster) and no more often than keeps all counter reads within {@link #READ_CPU_BUDGET} of one CPU, from
 * their measured cost: about once a second on an H100, every 100 ms where the read is cheap. With several
 * GPUs the reads are staggered so one collector read never pays for all of them. {@link #readCostNanos()}
 * is the CPU time of every NVML call made from {@link #read}.
 *
 * <p><b>Between counter reads</b> the value is extrapolated and reconciled by {@link EnergyTrack}: it never
 * goes backwards, undershoot is paid at the next counter read, overshoot is held until the counter
 * catches up.
 *
 * <p>Called by one thread at a time (the collector), except for the counters read by reports.
 */
public final class NvmlPowerSource implements PowerSource {
    /** How often the energy counter itself moves (measured on H100 and H200). */
    static final long COUNTER_UPDATE_NANOS = 100_000_000L;
    static final long MAX_COUNTER_PERIOD_NANOS = 2_000_000_000L;
    /** Fraction of one CPU that counter reads may take. */
    static final double READ_CPU_BUDGET = 0.005;
    static final long SHARE_PERIOD_NANOS = 1_000_000_000L;
    static final int COUNTER_FAILURES_BEFORE_GIVING_UP = 3;

    /** What examining one GPU found. */
    record Plan(Nvml.Gpu gpu, int ordinal, boolean counter, int counterRc, long counterCostNanos,
                boolean instant, int instantRc, String problem) {
    }

    private final Nvml nvml;
    private final Nvml.Gpu[] gpus;
    private final EnergyTrack[] tracks;
    private final boolean[] instant;
    private final List<Domain> domains;
    private final long fixedPeriodNanos;
    private final long[] nextCounterRead;
    private final int[] counterFailures;
    private final double[] costEwmaNanos;
    private final double[] shares;
    private final long selfPid;
    private final boolean sameNamespace;
    private final Consumer<String> log;
    private final ThreadMXBean threads;
    private final boolean threadCpu;
    private boolean first = true;
    private long nextShare = Long.MIN_VALUE;
    private volatile long readCostNanos;
    private volatile long errors;
    private volatile long anomalyTotal;
    private volatile long lastPeriodNanos;

    NvmlPowerSource(Nvml nvml, List<Plan> plans, long fixedPeriodNanos, Consumer<String> log, long selfPid,
                    boolean sameNamespace) {
        this.nvml = nvml;
        int n = plans.size();
        this.gpus = new Nvml.Gpu[n];
        this.tracks = new EnergyTrack[n];
        this.instant = new boolean[n];
        this.nextCounterRead = new long[n];
        this.counterFailures = new int[n];
        this.costEwmaNanos = new double[n];
        this.shares = new double[n];
        List<Domain> ds = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Plan p = plans.get(i);
            gpus[i] = p.gpu();
            instant[i] = p.instant();
            tracks[i] = new EnergyTrack(p.counter(), p.instant());
            costEwmaNanos[i] = p.counterCostNanos();
            shares[i] = Double.NaN;
            String origin = "NVML " + p.gpu().name + " (" + p.gpu().shortUuid() + ")";
            if (!p.counter()) {
                origin += ", instant power integrated: no energy counter (" + nvml.errorText(p.counterRc()) + ")";
            }
            ds.add(new Domain(Domain.GPU, p.ordinal(), false, COUNTER_UPDATE_NANOS, origin));
        }
        this.domains = List.copyOf(ds);
        this.fixedPeriodNanos = fixedPeriodNanos;
        this.log = log;
        this.selfPid = selfPid;
        this.sameNamespace = sameNamespace;
        this.threads = ManagementFactory.getThreadMXBean();
        this.threadCpu = threads.isCurrentThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled();
        this.lastPeriodNanos = counterPeriodNanos();
    }

    /**
     * Loads NVML and opens every GPU visible to CUDA.
     *
     * @param visibleDevices the value of CUDA_VISIBLE_DEVICES (null: unset)
     * @param deviceOrder    the value of CUDA_DEVICE_ORDER (null: unset)
     * @param fixedPeriodNanos how often to read the energy counter, or 0 to decide from its cost
     */
    static NvmlPowerSource open(String library, String visibleDevices, String deviceOrder, long fixedPeriodNanos,
                                Consumer<String> log) throws Nvml.Failure {
        Nvml nvml = Nvml.open(library);
        try {
            List<Plan> plans = plan(nvml, visibleDevices, deviceOrder, log);
            return new NvmlPowerSource(nvml, plans, fixedPeriodNanos, log, ProcessHandle.current().pid(),
                    ProcessShare.inInitialPidNamespace());
        } catch (Nvml.Failure | RuntimeException | Error e) {
            nvml.close();
            throw e;
        }
    }

    /** The usable visible GPUs; says what is wrong with the others. Throws if none is usable. */
    static List<Plan> plan(Nvml nvml, String visibleDevices, String deviceOrder, Consumer<String> log)
            throws Nvml.Failure {
        List<Nvml.Gpu> all = nvml.devices();
        if (all.isEmpty()) {
            throw new Nvml.Failure("NVML sees no GPU", false, List.of("check that nvidia-smi -L lists the GPUs"));
        }
        CudaVisibleDevices.Selection sel = select(all, visibleDevices, deviceOrder);
        if (sel.visible().isEmpty()) {
            throw new Nvml.Failure("no GPU is visible to CUDA here (CUDA_VISIBLE_DEVICES=" + visibleDevices + ")"
                    + (sel.note() == null ? "" : ": " + sel.note()), false,
                    List.of("unset CUDA_VISIBLE_DEVICES, or list GPU indices or UUIDs that nvidia-smi -L shows"));
        }
        if (sel.note() != null) {
            log.accept("GPU energy: " + sel.note());
        }
        List<Plan> usable = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (CudaVisibleDevices.Visible v : sel.visible()) {
            Plan p = examine(nvml, all.get(v.nvmlIndex()), v.cudaOrdinal());
            if (p.problem() == null) {
                usable.add(p);
            } else {
                problems.add(p.problem());
            }
        }
        if (usable.isEmpty()) {
            throw new Nvml.Failure(String.join("; ", problems), false,
                    List.of("check that nvidia-smi -q -d POWER shows the power draw for this user"));
        }
        for (String p : problems) {
            log.accept("GPU energy: " + p + "; that GPU is not measured");
        }
        return usable;
    }

    static CudaVisibleDevices.Selection select(List<Nvml.Gpu> all, String visibleDevices, String deviceOrder) {
        List<String> uuids = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Nvml.Gpu g : all) {
            uuids.add(g.uuid);
            names.add(g.name);
        }
        return CudaVisibleDevices.select(visibleDevices, deviceOrder, uuids, names);
    }

    /** Tries each reading once; also measures the counter read's CPU cost. */
    static Plan examine(Nvml nvml, Nvml.Gpu g, int ordinal) {
        String label = "gpu:" + ordinal + " (" + g.name + ", " + g.shortUuid() + ")";
        if (g.unusable != null) {
            return new Plan(g, ordinal, false, Nvml.ERROR_NOT_SUPPORTED, 0, false, Nvml.ERROR_NOT_SUPPORTED,
                    label + ": " + g.unusable);
        }
        ThreadMXBean t = ManagementFactory.getThreadMXBean();
        boolean cpu = t.isCurrentThreadCpuTimeSupported() && t.isThreadCpuTimeEnabled();
        int counterRc = g.readEnergy();
        long cost = 0;
        if (counterRc == Nvml.SUCCESS) {
            // the second read is the one to time: the first also pays for binding the function
            long c0 = cpu ? t.getCurrentThreadCpuTime() : System.nanoTime();
            counterRc = g.readEnergy();
            cost = (cpu ? t.getCurrentThreadCpuTime() : System.nanoTime()) - c0;
        }
        int instantRc = g.readInstant();
        boolean counter = counterRc == Nvml.SUCCESS;
        boolean inst = instantRc == Nvml.SUCCESS;
        String problem = counter || inst ? null
                : label + ": neither the energy counter (" + nvml.errorText(counterRc) + ") nor instant power ("
                + nvml.errorText(instantRc) + ") is readable";
        return new Plan(g, ordinal, counter, counterRc, cost, inst, instantRc, problem);
    }

    @Override
    public String name() {
        return "nvml";
    }

    @Override
    public List<Domain> domains() {
        return domains;
    }

    private long cpuNow() {
        return threadCpu ? threads.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /** How often each GPU's counter is read now. */
    long counterPeriodNanos() {
        if (fixedPeriodNanos > 0) {
            return fixedPeriodNanos;
        }
        double total = 0;
        for (double c : costEwmaNanos) {
            total += c;
        }
        long p = (long) (total / READ_CPU_BUDGET);
        return Math.max(COUNTER_UPDATE_NANOS, Math.min(MAX_COUNTER_PERIOD_NANOS, p));
    }

    @Override
    public void read(long nowNanos, long[] cumulativeNanoJoules) {
        long c0 = cpuNow();
        long period = counterPeriodNanos();
        lastPeriodNanos = period;
        long anomalies = 0;
        for (int d = 0; d < gpus.length; d++) {
            try {
                readOne(d, nowNanos, period, cumulativeNanoJoules);
            } catch (Throwable t) {
                // a JNA or driver surprise on one GPU: its value holds, the others and the application carry on
                errors++;
                cumulativeNanoJoules[d] = tracks[d].value();
            }
            anomalies += tracks[d].anomalies();
        }
        first = false;
        if (nowNanos >= nextShare) {
            nextShare = nowNanos + SHARE_PERIOD_NANOS;
            for (int d = 0; d < gpus.length; d++) {
                try {
                    shares[d] = share(gpus[d]);
                } catch (Throwable t) {
                    errors++;
                    shares[d] = Double.NaN;
                }
            }
        }
        anomalyTotal = anomalies;
        readCostNanos += cpuNow() - c0;
    }

    private void readOne(int d, long nowNanos, long period, long[] cumulativeNanoJoules) {
        Nvml.Gpu g = gpus[d];
        double watts = Double.NaN;
        if (instant[d]) {
            if (g.readInstant() == Nvml.SUCCESS) {
                watts = g.instantWatts;
            } else {
                errors++;
            }
        }
        long mj = -1;
        int failedRc = Nvml.SUCCESS;
        EnergyTrack track = tracks[d];
        if (track.counterMode() && (first || nowNanos >= nextCounterRead[d])) {
            long e0 = cpuNow();
            int rc = g.readEnergy();
            costEwmaNanos[d] = 0.8 * costEwmaNanos[d] + 0.2 * (cpuNow() - e0);
            if (rc == Nvml.SUCCESS) {
                mj = g.energyMillijoules;
                counterFailures[d] = 0;
            } else {
                errors++;
                counterFailures[d]++;
                failedRc = rc;
            }
            // the first reads of several GPUs are spread over one period, and stay spread
            nextCounterRead[d] = nowNanos + (first ? period * (d + 1) / gpus.length : period);
        }
        cumulativeNanoJoules[d] = track.update(nowNanos, watts, mj);
        if (failedRc != Nvml.SUCCESS && counterFailures[d] >= COUNTER_FAILURES_BEFORE_GIVING_UP) {
            track.abandonCounter(nowNanos);
            log.accept("GPU energy: the energy counter of " + domains.get(d).key() + " failed "
                    + COUNTER_FAILURES_BEFORE_GIVING_UP + " times in a row (" + nvml.errorText(failedRc) + "); "
                    + (instant[d] ? "integrating instant power from now on" : "its energy stops here"));
        }
    }

    private double share(Nvml.Gpu g) {
        long[] running = g.computePids();
        boolean needUtil = running == null;
        if (running != null) {
            boolean mine = false;
            boolean others = false;
            for (long pid : running) {
                mine |= pid == selfPid;
                others |= pid != selfPid;
            }
            needUtil = mine && others;
        }
        return ProcessShare.of(selfPid, running, needUtil ? g.processUtilization() : null, sameNamespace);
    }

    @Override
    public double processShare(int domainIndex) {
        return shares[domainIndex];
    }

    /** Counter steps backwards or beyond belief, and failed NVML reads. */
    @Override
    public long anomalies() {
        return anomalyTotal + errors;
    }

    @Override
    public long readCostNanos() {
        return readCostNanos;
    }

    /** How often the energy counter was last being read, for doctor and the tests. */
    long lastCounterPeriodNanos() {
        return lastPeriodNanos;
    }

    long holds(int domainIndex) {
        return tracks[domainIndex].holds();
    }

    double scale(int domainIndex) {
        return tracks[domainIndex].scale();
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder(PowerSource.super.describe());
        sb.append(String.format("%nnvml       energy counter read every %d ms (its CPU cost kept under %.1f%% of one CPU), "
                + "instant power at every read", counterPeriodNanos() / 1_000_000, READ_CPU_BUDGET * 100));
        return sb.toString();
    }

    @Override
    public void close() {
        nvml.close();
    }
}

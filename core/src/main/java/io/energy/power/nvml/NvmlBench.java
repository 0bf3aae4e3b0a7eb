package io.energy.power.nvml;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * Measures what NVML costs and how often its readings move on this machine, and checks the agent's
 * NVML source against the counter. Not part of the agent; run by hand (or by scripts/gpu-check.sh) where a
 * GPU is:
 *
 * <pre>java -jar energy.jar nvml-bench [library] [timeline-seconds]
 * java -cp energy-core.jar io.energy.power.nvml.NvmlBench [library] [timeline-seconds]</pre>
 *
 * The numbers it prints are the ones docs/nvml.md and the source's read policy rest on.
 */
public final class NvmlBench {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private NvmlBench() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the bench; returns the exit status (1 if NVML could not be opened). */
    public static int run(String[] args) {
        try {
            return bench(args);
        } catch (Exception e) {
            System.out.println("NVML bench failed: " + e);
            return 1;
        }
    }

    private static int bench(String[] args) throws Exception {
        String library = args.length > 0 ? args[0] : Nvml.DEFAULT_LIBRARY;
        double timelineSeconds = args.length > 1 ? Double.parseDouble(args[1]) : 3;
        long t0 = System.nanoTime();
        NvmlLibrary lib;
        try {
            lib = Nvml.load(library);
        } catch (Nvml.Failure f) {
            System.out.println("NVML: " + f.getMessage());
            return 1;
        }
        long loaded = System.nanoTime();
        Nvml nvml;
        try {
            nvml = Nvml.open(library);
        } catch (Nvml.Failure f) {
            System.out.println("NVML: " + f.getMessage());
            return 1;
        }
        long inited = System.nanoTime();
        System.out.printf("NVML bench: %s, driver %s, JVM %s%n", library, nvml.driverVersion(),
                System.getProperty("java.vm.version"));
        System.out.printf("%-48s %10.1f ms%n", "load library (JNA)", (loaded - t0) / 1e6);
        System.out.printf("%-48s %10.1f ms%n", "nvmlInit_v2", (inited - loaded) / 1e6);
        List<Nvml.Gpu> gpus = nvml.devices();
        for (Nvml.Gpu g : gpus) {
            System.out.printf("%nNVML device %d: %s (%s)%s%n", g.index, g.name, g.uuid,
                    g.unusable == null ? "" : ": " + g.unusable);
            if (g.unusable != null) {
                continue;
            }
            cost("nvmlDeviceGetTotalEnergyConsumption", 30, g::readEnergy, nvml);
            cost("nvmlDeviceGetFieldValues(POWER_INSTANT)", 2000, g::readInstant, nvml);
            cost("nvmlDeviceGetPowerUsage", 2000, g::readPowerUsage, nvml);
            cost("nvmlDeviceGetComputeRunningProcesses_v3", 50, () -> g.computePids() == null ? -1 : 0, nvml);
            cost("nvmlDeviceGetProcessUtilization", 50, () -> g.processUtilization() == null ? -1 : 0, nvml);
            if (g.index == gpus.get(0).index || gpus.size() <= 2) {
                updatePeriods(g);
                timeline(g, timelineSeconds);
            }
        }
        nvml.close();
        sourceCheck(library);
        return 0;
    }

    private static long cpu() {
        return THREADS.getCurrentThreadCpuTime();
    }

    private static void cost(String what, int n, IntSupplier call, Nvml nvml) {
        int rc = call.getAsInt(); // binds the function; not timed
        if (rc != Nvml.SUCCESS) {
            System.out.printf("%-48s %s%n", what, rc < 0 ? "not available" : nvml.errorText(rc));
            return;
        }
        long[] wall = new long[n];
        long[] cpuTimes = new long[n];
        for (int i = 0; i < n; i++) {
            long c = cpu();
            long w = System.nanoTime();
            call.getAsInt();
            wall[i] = System.nanoTime() - w;
            cpuTimes[i] = cpu() - c;
        }
        Arrays.sort(wall);
        Arrays.sort(cpuTimes);
        System.out.printf("%-48s wall median %9.1f us (min %.1f, max %.1f), CPU median %9.1f us, n=%d%n", what,
                wall[n / 2] / 1e3, wall[0] / 1e3, wall[n - 1] / 1e3, cpuTimes[n / 2] / 1e3, n);
    }

    /** How often the counter and the instant field change, by polling them. */
    private static void updatePeriods(Nvml.Gpu g) throws InterruptedException {
        List<Long> changes = new ArrayList<>();
        List<Long> steps = new ArrayList<>();
        g.readEnergy();
        long last = g.energyMillijoules;
        long end = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < end) {
            if (g.readEnergy() == Nvml.SUCCESS && g.energyMillijoules != last) {
                changes.add(System.nanoTime());
                steps.add(g.energyMillijoules - last);
                last = g.energyMillijoules;
            }
        }
        System.out.printf("%-48s %s (steps of %s mJ)%n", "energy counter changes every", intervals(changes),
                steps.size() > 6 ? steps.subList(0, 6) + "..." : steps);
        changes.clear();
        g.readInstant();
        double lastW = g.instantWatts;
        end = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < end) {
            if (g.readInstant() == Nvml.SUCCESS && g.instantWatts != lastW) {
                changes.add(System.nanoTime());
                lastW = g.instantWatts;
            }
            Thread.sleep(0, 200_000);
        }
        System.out.printf("%-48s %s%n", "instant power field changes every", intervals(changes));
    }

    private static String intervals(List<Long> times) {
        if (times.size() < 3) {
            return "(fewer than 3 changes seen)";
        }
        long[] d = new long[times.size() - 1];
        for (int i = 1; i < times.size(); i++) {
            d[i - 1] = times.get(i) - times.get(i - 1);
        }
        Arrays.sort(d);
        return String.format("median %.1f ms (min %.1f, max %.1f, %d changes)", d[d.length / 2] / 1e6, d[0] / 1e6,
                d[d.length - 1] / 1e6, times.size());
    }

    /** Every 100 ms: the counter's step, instant power x 0.1 s, and nvmlDeviceGetPowerUsage x 0.1 s, in J. */
    private static void timeline(Nvml.Gpu g, double seconds) throws InterruptedException {
        System.out.printf("%n  every 100 ms: counter step J | instant W x 0.1 s | GetPowerUsage W x 0.1 s%n");
        g.readEnergy();
        long last = g.energyMillijoules;
        double sumCounter = 0;
        double sumInstant = 0;
        double sumUsage = 0;
        long next = System.nanoTime();
        int rows = (int) Math.round(seconds * 10);
        double prevW = g.readInstant() == Nvml.SUCCESS ? g.instantWatts : Double.NaN;
        for (int i = 0; i < rows; i++) {
            next += 100_000_000L;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            double counterJ = g.readEnergy() == Nvml.SUCCESS ? (g.energyMillijoules - last) / 1000.0 : Double.NaN;
            last = g.energyMillijoules;
            double w = g.readInstant() == Nvml.SUCCESS ? g.instantWatts : Double.NaN;
            double instantJ = (w + prevW) / 2 * 0.1;
            prevW = w;
            double usageJ = g.readPowerUsage() == Nvml.SUCCESS ? g.powerMilliwatts / 1000.0 * 0.1 : Double.NaN;
            sumCounter += counterJ;
            sumInstant += instantJ;
            sumUsage += usageJ;
            System.out.printf("  %5.1f s %8.2f | %8.2f | %8.2f%n", (i + 1) / 10.0, counterJ, instantJ, usageJ);
        }
        System.out.printf("  total   %8.2f | %8.2f | %8.2f J (instant/counter %.3f)%n", sumCounter, sumInstant, sumUsage,
                sumInstant / sumCounter);
    }

    /** The agent's source at its own policy for 5 s: its total against the counter, and its CPU cost. */
    private static void sourceCheck(String library) throws Exception {
        List<String> log = new ArrayList<>();
        NvmlPowerSource s = NvmlProbe.open(library, System.getenv("CUDA_VISIBLE_DEVICES"),
                System.getenv("CUDA_DEVICE_ORDER"), 0, log::add, true);
        if (s == null) {
            System.out.println("\nsource: " + log);
            return;
        }
        try (Nvml nvml = Nvml.open(library)) {
            List<Nvml.Gpu> all = nvml.devices();
            CudaVisibleDevices.Selection sel = NvmlPowerSource.select(all, System.getenv("CUDA_VISIBLE_DEVICES"),
                    System.getenv("CUDA_DEVICE_ORDER"));
            Nvml.Gpu g = all.get(sel.visible().get(0).nvmlIndex());
            long[] v = new long[s.domains().size()];
            long start = System.nanoTime();
            s.read(start, v);
            g.readEnergy();
            long counter0 = g.energyMillijoules;
            long next = start;
            for (int i = 0; i < 50; i++) {
                next += 100_000_000L;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                s.read(System.nanoTime(), v);
            }
            g.readEnergy();
            double counterJ = (g.energyMillijoules - counter0) / 1000.0;
            double elapsed = (System.nanoTime() - start) / 1e9;
            System.out.printf("%nsource over %.1f s (51 reads): %s = %.2f J, counter %.2f J (%+.1f%%); counter read every "
                            + "%d ms; read CPU %.2f ms/s (%.3f%% of one CPU); anomalies %d%n", elapsed,
                    s.domains().get(0).key(), v[0] / 1e9, counterJ, 100 * (v[0] / 1e9 - counterJ) / counterJ,
                    s.lastCounterPeriodNanos() / 1_000_000, s.readCostNanos() / 1e6 / elapsed,
                    s.readCostNanos() / 1e7 / elapsed, s.anomalies());
        } finally {
            s.close();
        }
    }
}

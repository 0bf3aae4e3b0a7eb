package io.energy.power.nvml;

import io.energy.config.Config;
import io.energy.power.PowerSource;
import io.energy.power.ProbeResult;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Looking for NVIDIA GPUs: what {@code doctor} prints about NVML, and opening the NVML source for the
 * agent. Neither ever throws: a machine without a GPU is the common case.
 */
public final class NvmlProbe {
    private NvmlProbe() {
    }

    /** Everything NVML says about the GPUs here, read once (a few ms per GPU), for {@code doctor}. */
    public static ProbeResult probe(Config config) {
        return probe(config.nvmlLibrary(), System.getenv("CUDA_VISIBLE_DEVICES"), System.getenv("CUDA_DEVICE_ORDER"));
    }

    static ProbeResult probe(String library, String visibleDevices, String deviceOrder) {
        List<String> found = new ArrayList<>();
        try (Nvml nvml = Nvml.open(library)) {
            String driver = nvml.driverVersion();
            found.add("library " + library + " loaded" + (driver == null ? "" : ", driver " + driver));
            List<Nvml.Gpu> all = nvml.devices();
            if (all.isEmpty()) {
                return new ProbeResult("nvml", false, found, "NVML sees no GPU",
                        List.of("check that nvidia-smi -L lists the GPUs"));
            }
            CudaVisibleDevices.Selection sel = NvmlPowerSource.select(all, visibleDevices, deviceOrder);
            if (visibleDevices != null) {
                found.add("CUDA_VISIBLE_DEVICES=" + visibleDevices);
            }
            int usable = 0;
            long counterCost = 0;
            List<String> problems = new ArrayList<>();
            for (Nvml.Gpu g : all) {
                CudaVisibleDevices.Visible v = null;
                for (CudaVisibleDevices.Visible x : sel.visible()) {
                    if (x.nvmlIndex() == g.index) {
                        v = x;
                    }
                }
                NvmlPowerSource.Plan p = NvmlPowerSource.examine(nvml, g, v == null ? -1 : v.cudaOrdinal());
                StringBuilder line = new StringBuilder();
                line.append("NVML device ").append(g.index).append(": ").append(g.name).append(" (").append(g.uuid)
                        .append(") ").append(v == null ? "not visible to CUDA here, not measured" : "is gpu:" + v.cudaOrdinal());
                if (g.unusable == null) {
                    line.append("; energy counter: ").append(p.counter()
                            ? String.format("yes, one read took %.2f ms of CPU", p.counterCostNanos() / 1e6)
                            : "no, " + nvml.errorText(p.counterRc()));
                    line.append("; instant power: ").append(p.instant()
                            ? String.format("%.1f W", g.instantWatts) : "no, " + nvml.errorText(p.instantRc()));
                    int rc = g.readPowerUsage();
                    if (rc == Nvml.SUCCESS) {
                        line.append(String.format("; nvmlDeviceGetPowerUsage %.1f W (a ~1 s average: shown, never used)",
                                g.powerMilliwatts / 1000.0));
                    }
                    if (v != null && !p.counter() && p.instant()) {
                        line.append("; its energy will be integrated from instant power");
                    }
                } else {
                    line.append("; ").append(g.unusable);
                }
                found.add(line.toString());
                if (v != null) {
                    if (p.problem() == null) {
                        usable++;
                        counterCost += p.counter() ? p.counterCostNanos() : 0;
                    } else {
                        problems.add(p.problem());
                    }
                }
            }
            if (sel.note() != null) {
                found.add(sel.note());
            }
            if (usable == 0) {
                String why = sel.visible().isEmpty()
                        ? "no GPU is visible to CUDA here (CUDA_VISIBLE_DEVICES=" + visibleDevices + ")"
                        : String.join("; ", problems);
                return new ProbeResult("nvml", false, found, why, sel.visible().isEmpty()
                        ? List.of("unset CUDA_VISIBLE_DEVICES, or list GPU indices or UUIDs that nvidia-smi -L shows")
                        : List.of("check that nvidia-smi -q -d POWER shows the power draw for this user"));
            }
            long period = Math.max(NvmlPowerSource.COUNTER_UPDATE_NANOS, Math.min(NvmlPowerSource.MAX_COUNTER_PERIOD_NANOS,
                    (long) (counterCost / NvmlPowerSource.READ_CPU_BUDGET)));
            found.add(String.format("the agent would read instant power at every interval and each energy counter "
                    + "every %d ms (counter reads kept under %.1f%% of one CPU)", period / 1_000_000,
                    NvmlPowerSource.READ_CPU_BUDGET * 100));
            for (String p : problems) {
                found.add("not measured: " + p);
            }
            return new ProbeResult("nvml", true, found, null, List.of());
        } catch (Nvml.Failure f) {
            return new ProbeResult("nvml", false, found, f.getMessage(), f.fixes);
        } catch (Throwable t) {
            return new ProbeResult("nvml", false, found, "NVML failed unexpectedly: " + t, List.of());
        }
    }

    /**
     * The NVML source for the agent, or null if there is no usable GPU. Says one line about why when the
     * user asked for NVML ({@code source=nvml}) or when a library was there but failed; a machine with no
     * NVIDIA driver at all stays quiet under {@code source=auto}.
     */
    public static PowerSource open(Config config, Consumer<String> log, boolean asked) {
        if (!worthLoading(config.nvmlLibrary(), asked, driverPresent())) {
            return null;
        }
        return open(config.nvmlLibrary(), System.getenv("CUDA_VISIBLE_DEVICES"), System.getenv("CUDA_DEVICE_ORDER"),
                0, log, asked);
    }

    /**
     * Whether to load NVML at all. Loading JNA and failing to find the library costs 150-200 ms of start-up,
     * which every machine without an NVIDIA GPU would pay under {@code source=auto}; the kernel driver's
     * files say in microseconds whether there is anything to find. Asked for, or given a library of one's
     * own, NVML is always tried so that the one line says what really went wrong.
     */
    static boolean worthLoading(String library, boolean asked, boolean driverPresent) {
        return asked || driverPresent || !Nvml.DEFAULT_LIBRARY.equals(library);
    }

    /** The NVIDIA kernel driver's traces: /proc/driver/nvidia (also seen in containers) or its control device. */
    static boolean driverPresent() {
        try {
            return Files.exists(Path.of("/proc/driver/nvidia")) || Files.exists(Path.of("/dev/nvidiactl"));
        } catch (RuntimeException e) {
            return true;
        }
    }

    static NvmlPowerSource open(String library, String visibleDevices, String deviceOrder, long fixedPeriodNanos,
                                Consumer<String> log, boolean asked) {
        String prefix = asked ? "source=nvml: " : "GPU energy: ";
        try {
            return NvmlPowerSource.open(library, visibleDevices, deviceOrder, fixedPeriodNanos, log);
        } catch (Nvml.Failure f) {
            if (asked || !f.libraryMissing) {
                log.accept(prefix + f.getMessage() + "; carrying on without GPU energy "
                        + "(java -jar energy.jar doctor says how to fix it)");
            }
        } catch (Throwable t) {
            log.accept(prefix + "NVML failed unexpectedly (" + t + "); carrying on without GPU energy");
        }
        return null;
    }
}

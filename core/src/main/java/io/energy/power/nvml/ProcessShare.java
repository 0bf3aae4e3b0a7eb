package io.energy.power.nvml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * This process's share of a GPU's dynamic energy, from NVML's list of compute processes and its
 * per-process SM utilisation samples. NaN whenever NVML's answer does not settle it: the ledger then
 * gives this process all of it, and says so.
 */
final class ProcessShare {
    private ProcessShare() {
    }

    /**
     * @return the share, {@link io.energy.power.PowerSource#DEVICE_IDLE} when no process holds a compute context,
     *         or NaN
     * @param self        this process's PID
     * @param running     PIDs with a compute context on the GPU, or null if NVML could not say
     * @param utilization {@code [pid, smUtil]} pairs since the last look, or null if NVML could not say
     * @param sameNamespace true if PIDs from the driver are in this process's PID namespace (outside a
     *                    container); otherwise not seeing our PID proves nothing
     */
    static double of(long self, long[] running, long[] utilization, boolean sameNamespace) {
        if (running != null) {
            if (running.length == 0) {
                // Nobody holds a compute context, this process included: the device is idle, and its energy is idle
                // energy, whatever this process's methods do meanwhile (GpuIdleAttributionTest).
                return io.energy.power.PowerSource.DEVICE_IDLE;
            }
            boolean mine = false;
            boolean others = false;
            for (long pid : running) {
                mine |= pid == self;
                others |= pid != self;
            }
            if (!mine) {
                return sameNamespace ? 0.0 : Double.NaN;
            }
            if (!others) {
                return 1.0;
            }
        }
        if (utilization == null) {
            return Double.NaN;
        }
        long total = 0;
        long ours = 0;
        for (int i = 0; i + 1 < utilization.length; i += 2) {
            total += utilization[i + 1];
            if (utilization[i] == self) {
                ours += utilization[i + 1];
            }
        }
        if (total <= 0 || (ours == 0 && !sameNamespace)) {
            return Double.NaN;
        }
        return (double) ours / total;
    }

    /**
     * True if this process is in the initial PID namespace, where NVML's PIDs are ours. From the
     * {@code NSpid:} line of /proc/self/status: one PID means one namespace level. Without the line (kernels
     * before 4.1, or not Linux) there is nothing to say otherwise.
     */
    static boolean inInitialPidNamespace() {
        try {
            return inInitialPidNamespace(Files.readAllLines(Path.of("/proc/self/status")));
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    static boolean inInitialPidNamespace(List<String> status) {
        for (String line : status) {
            if (line.startsWith("NSpid:")) {
                return line.substring(6).trim().split("\\s+").length == 1;
            }
        }
        return true;
    }
}

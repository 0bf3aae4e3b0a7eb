package io.energy.power;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Machine-wide busy CPU time from {@code /proc/stat}, and this process's CPU time. The ledger uses the
 * pair to give the process its share of a package counter that sees the whole machine.
 */
public final class ProcStat {
    private static final Path STAT = Path.of("/proc/stat");
    private static final long USER_HZ = 100; // fixed at 100 by the kernel's ABI for /proc/stat
    private final com.sun.management.OperatingSystemMXBean os;
    private boolean statReadable = Files.isReadable(STAT);

    public ProcStat() {
        java.lang.management.OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
        os = bean instanceof com.sun.management.OperatingSystemMXBean b ? b : null;
    }

    /** Busy CPU time of the whole machine in nanoseconds (all CPUs), or -1 if unknown. */
    public long machineBusyNanos() {
        if (!statReadable) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(STAT)) {
                if (line.startsWith("cpu ")) {
                    String[] f = line.trim().split("\\s+");
                    long busy = 0;
                    // user nice system idle iowait irq softirq steal guest guest_nice
                    for (int i = 1; i < f.length && i <= 8; i++) {
                        if (i == 4 || i == 5) {
                            continue; // idle, iowait
                        }
                        busy += Long.parseLong(f[i]);
                    }
                    return busy * (1_000_000_000L / USER_HZ);
                }
            }
        } catch (IOException | RuntimeException e) {
            statReadable = false;
        }
        return -1;
    }

    /** CPU time of this process in nanoseconds, or -1 if the JVM cannot tell. */
    public long processCpuNanos() {
        return os == null ? -1 : os.getProcessCpuTime();
    }

    public int cpus() {
        return Runtime.getRuntime().availableProcessors();
    }

    public boolean machineStatReadable() {
        return statReadable;
    }
}

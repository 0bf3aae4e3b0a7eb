package io.energy.power;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@link ProcStat} over a {@code /proc/stat} written by a test, for tests outside this package: its constructor over
 * a file is package-private, so that the agent itself can only read the real one.
 */
public final class FakeProcStat {
    private FakeProcStat() {
    }

    /** A machine of {@code cpus} CPUs: {@code stat} gets the total line and one {@code cpuN} line per CPU. */
    public static ProcStat machineOf(int cpus, Path stat) throws IOException {
        write(stat, cpus, 100, 100);
        return new ProcStat(stat, 0);
    }

    /**
     * Writes a {@code /proc/stat} of {@code cpus} CPUs, each with the same busy and idle jiffies (the user and idle
     * columns), and the total line their sum.
     */
    public static void write(Path stat, int cpus, long busyJiffiesPerCpu, long idleJiffiesPerCpu) throws IOException {
        StringBuilder sb = new StringBuilder("cpu  " + busyJiffiesPerCpu * cpus + " 0 0 " + idleJiffiesPerCpu * cpus
                + " 0 0 0 0 0 0\n");
        for (int c = 0; c < cpus; c++) {
            sb.append("cpu").append(c).append(' ').append(busyJiffiesPerCpu).append(" 0 0 ").append(idleJiffiesPerCpu)
                    .append(" 0 0 0 0 0 0\n");
        }
        sb.append("intr 12345 0 0\nctxt 999\nbtime 1700000000\nprocesses 100\nprocs_running 1\n");
        Files.writeString(stat, sb.toString());
    }

    /** {@code stat} as it is (missing, or any text). */
    public static ProcStat over(Path stat) {
        return new ProcStat(stat, 0);
    }
}

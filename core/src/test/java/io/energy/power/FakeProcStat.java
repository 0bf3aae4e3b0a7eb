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
        StringBuilder sb = new StringBuilder("cpu  " + 100L * cpus + " 0 0 " + 100L * cpus + " 0 0 0 0 0 0\n");
        for (int c = 0; c < cpus; c++) {
            sb.append("cpu").append(c).append(" 100 0 0 100 0 0 0 0 0 0\n");
        }
        sb.append("intr 12345 0 0\nctxt 999\nbtime 1700000000\nprocesses 100\nprocs_running 1\n");
        Files.writeString(stat, sb.toString());
        return new ProcStat(stat, 0);
    }

    /** {@code stat} as it is (missing, or any text). */
    public static ProcStat over(Path stat) {
        return new ProcStat(stat, 0);
    }
}

package io.energy.power;

import java.io.IOException;
import java.io.RandomAccessFile;
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
    /**
     * One clock tick (jiffy) as {@code /proc/stat}, {@code /proc/PID/stat} and {@code times()} count it, ns: the
     * step in which the process's and the machine's CPU times move.
     */
    public static final long NANOS_PER_TICK = 1_000_000_000L / USER_HZ;
    /** After a failed read, the next attempt waits this long: a broken file is not re-read at every call. */
    static final long RETRY_NANOS = 1_000_000_000L;
    private final long retryNanos;
    private volatile com.sun.management.OperatingSystemMXBean os;
    private volatile boolean osResolved;
    private final Path path;
    private final boolean statReadable;
    private final byte[] buffer = new byte[512]; // the cpu line comes first, well inside this
    private RandomAccessFile file;
    private long lastRead;
    private long lastBusy = -1;
    private long failedReads;
    private long retryAt;
    /** 0: not counted yet; -1: unknown. */
    private int machineCpus;

    public ProcStat() {
        this(STAT, RETRY_NANOS);
    }

    /** Reads the given file instead of {@code /proc/stat}, retrying after a failure as told: for tests. */
    ProcStat(Path path, long retryNanos) {
        this.path = path;
        this.retryNanos = retryNanos;
        this.statReadable = Files.isReadable(path);
    }

    /**
     * Busy CPU time of the whole machine in nanoseconds (all CPUs), or -1 if unknown.
     *
     * <p>Called a few times per attribution interval on the collector thread, too rarely for the JIT to
     * compile it: so it reads the first block of the file into a reused buffer with the plainest call there
     * is ({@code RandomAccessFile}: a seek and a read, both native) and parses the digits by hand. Reading
     * all lines and splitting with a regex cost 0.2–0.4 ms a call interpreted, a file channel still 0.1 ms:
     * most of the agent's CPU, for a 3 µs system call. Two calls within a millisecond (the estimated source and the collector, at the
     * same interval end) share one read: the kernel's counters move in 10 ms jiffies anyway.
     */
    public synchronized long machineBusyNanos() {
        if (!statReadable) {
            return -1;
        }
        long now = System.nanoTime();
        if (lastBusy >= 0 && now - lastRead < 1_000_000L) {
            return lastBusy;
        }
        if (failedReads > 0 && now - retryAt < 0) {
            return lastBusy;
        }
        try {
            if (file == null) {
                file = new RandomAccessFile(path.toFile(), "r");
            }
            file.seek(0);
            int n = file.read(buffer, 0, buffer.length);
            long busy = parseCpuLine(buffer, Math.max(n, 0));
            if (busy >= 0) {
                lastRead = now;
                // Never backwards: a counter that a bad line made look smaller would give negative busy time.
                lastBusy = Math.max(lastBusy, busy * NANOS_PER_TICK);
                return lastBusy;
            }
            closeQuietly(); // reopened at the next attempt: the file may have been replaced
        } catch (IOException | RuntimeException e) {
            closeQuietly();
        }
        // One bad read is one stale value, not the end of the machine counter (issue 14: it used to switch the
        // counter off for good, and the estimate then reported no energy for minutes). The last good value is
        // returned, so the busy time of the missed period shows up at the next good read; retried after
        // retryNanos.
        failedReads++;
        retryAt = now + retryNanos;
        return lastBusy;
    }

    private void closeQuietly() {
        try {
            if (file != null) {
                file.close();
            }
        } catch (IOException ignored) {
            // reopened at the next attempt
        }
        file = null;
    }

    /** Reads of the machine counter that failed (unreadable file or a line that is not {@code cpu ...}). */
    public synchronized long failedReads() {
        return failedReads;
    }

    /**
     * The busy jiffies of the first line, {@code cpu  user nice system idle iowait irq softirq steal ...}:
     * user + nice + system + irq + softirq; -1 if the text is not such a line. Not steal (issue 14): in a VM
     * it is time the hypervisor ran someone else instead of this guest, so this guest's work did not draw that
     * power; counting it made other tenants' load look like this machine's busy time.
     */
    static long parseCpuLine(byte[] b, int length) {
        if (length < 4 || b[0] != 'c' || b[1] != 'p' || b[2] != 'u' || b[3] != ' ') {
            return -1;
        }
        long busy = 0;
        int field = 0;
        int i = 3;
        while (field < 8) {
            while (i < length && b[i] == ' ') {
                i++;
            }
            if (i >= length || b[i] < '0' || b[i] > '9') {
                break;
            }
            long v = 0;
            while (i < length && b[i] >= '0' && b[i] <= '9') {
                v = v * 10 + (b[i++] - '0');
            }
            field++;
            if (field != 4 && field != 5 && field != 8) { // idle, iowait, steal
                busy += v;
            }
        }
        return field >= 4 ? busy : -1;
    }

    /** CPU time of this process in nanoseconds, or -1 if the JVM cannot tell. */
    public long processCpuNanos() {
        if (!osResolved) {
            // Resolved on first use (the collector thread), not when the agent starts: the management
            // beans' set-up would otherwise delay the application's main method.
            java.lang.management.OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
            os = bean instanceof com.sun.management.OperatingSystemMXBean b ? b : null;
            osResolved = true;
        }
        return os == null ? -1 : os.getProcessCpuTime();
    }

    /** The CPUs this JVM may use: the container's limit (cgroup {@code cpu.max}, cpuset) where there is one. */
    public int cpus() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * The CPUs whose busy time {@link #machineBusyNanos()} adds up: the {@code cpuN} lines of the same file, or -1
     * if it cannot be read. In a container that is the host's CPUs (its {@code /proc/stat} is the host's, unless
     * LXCFS narrows it, and then both narrow together), not the container's limit that {@link #cpus()} gives: a
     * model that takes idle power from one count and busy time from the other describes no machine (issue 14).
     */
    public synchronized int machineCpus() {
        if (machineCpus == 0) {
            machineCpus = -1;
            if (statReadable) {
                try (java.io.BufferedReader r = Files.newBufferedReader(path, java.nio.charset.StandardCharsets.US_ASCII)) {
                    int n = 0;
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        if (line.length() > 3 && line.startsWith("cpu") && Character.isDigit(line.charAt(3))) {
                            n++;
                        }
                    }
                    machineCpus = n > 0 ? n : -1;
                } catch (IOException | RuntimeException e) {
                    machineCpus = -1;
                }
            }
        }
        return machineCpus;
    }

    public boolean machineStatReadable() {
        return statReadable;
    }
}

package io.energy.power;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * This process's share of each CPU socket's busy time, for the per-socket RAPL domains of a machine with more
 * than one package (issue 14: each socket's package energy was split by the machine-wide share, so a process
 * that ran only on socket 0 took part of socket 1's energy and too little of socket 0's).
 *
 * <p>Per interval and socket {@code s}: the socket's busy time {@code B_s} is the sum of the busy jiffies of its
 * CPUs ({@code cpuN} lines of {@code /proc/stat}; a CPU's socket is its
 * {@code /sys/devices/system/cpu/cpuN/topology/physical_package_id}). The kernel keeps no per-socket CPU time of
 * a process, so it is approximated: each of this process's threads ({@code /proc/self/task/T/stat}) adds the CPU
 * time it used since the last look ({@code utime + stime}) to the socket of the CPU it last ran on (field 39,
 * {@code processor}); the process's CPU time of the interval {@code P} (the same figure the machine-wide share
 * uses) is split over the sockets in those proportions, {@code P_s = P × f_s}, and the share is
 * {@code min(1, P_s / B_s)}. A thread that moved to another socket since the last look has all its CPU of that
 * time put on the socket it is on now: the error is bounded by the CPU time of threads that migrated between
 * sockets, which Linux's scheduler keeps rare (NUMA balancing) and pinning makes zero.
 *
 * <p>The threads are looked at every {@link #TASK_PERIOD_NANOS} at most (each thread is a file to read); between
 * two looks the last proportions hold. Before the first proportions, or when nothing can be read, the share is
 * NaN and the ledger uses the machine-wide share. Only the collector thread calls it.
 */
public final class SocketShares {
    /** How often the threads' CPU and processor are read. */
    public static final long TASK_PERIOD_NANOS = 1_000_000_000L;
    private static final long NANOS_PER_JIFFY = ProcStat.NANOS_PER_TICK;

    private final Path stat;
    private final Path tasks;
    /** Per domain index: its socket, or -1 for a machine-wide domain. */
    private final int[] domainSocket;
    /** Per CPU number: its socket, or -1. */
    private final int[] cpuSocket;
    /** The sockets, ascending; arrays below are indexed by position in it. */
    private final int[] sockets;
    private final long taskPeriodNanos;
    private final Map<Long, Long> taskCpuJiffies = new HashMap<>();
    private final long[] lastBusyJiffies;
    /** Per socket, its busy time in the last {@link #fill}'s interval, ns, or -1 when it gave no share. */
    private final long[] lastBusyNanos;
    /** Per socket, how many CPUs are on it. */
    private final int[] socketCpus;
    private final double[] fraction;
    private boolean haveFraction;
    private boolean baselined;
    private long nextTaskRead = Long.MIN_VALUE;
    private long failures;
    private byte[] buffer = new byte[4096];

    /**
     * @param procRoot     {@code /proc} (tests: a fake one with {@code stat} and {@code self/task/T/stat})
     * @param cpuRoot      {@code /sys/devices/system/cpu}
     * @param domainSocket per domain index, its socket, or -1
     * @param taskPeriodNanos how often to read the threads (0: at every call)
     */
    SocketShares(Path procRoot, Path cpuRoot, int[] domainSocket, long taskPeriodNanos) throws IOException {
        this.stat = procRoot.resolve("stat");
        this.tasks = procRoot.resolve("self").resolve("task");
        this.domainSocket = domainSocket.clone();
        this.taskPeriodNanos = taskPeriodNanos;
        List<String> lines = Files.readAllLines(stat, StandardCharsets.US_ASCII);
        int maxCpu = -1;
        for (String line : lines) {
            maxCpu = Math.max(maxCpu, cpuNumber(line));
        }
        cpuSocket = new int[maxCpu + 1];
        Arrays.fill(cpuSocket, -1);
        java.util.TreeSet<Integer> found = new java.util.TreeSet<>();
        for (int c = 0; c <= maxCpu; c++) {
            Path id = cpuRoot.resolve("cpu" + c).resolve("topology").resolve("physical_package_id");
            if (Files.isReadable(id)) {
                cpuSocket[c] = Integer.parseInt(Files.readString(id, StandardCharsets.US_ASCII).trim());
                found.add(cpuSocket[c]);
            }
        }
        for (int s : domainSocket) {
            if (s >= 0 && !found.contains(s)) {
                throw new IOException("socket " + s + " has a RAPL package but no CPU in " + cpuRoot + " says it is on it");
            }
        }
        sockets = found.stream().mapToInt(Integer::intValue).toArray();
        lastBusyJiffies = new long[sockets.length];
        lastBusyNanos = new long[sockets.length];
        socketCpus = new int[sockets.length];
        for (int s : cpuSocket) {
            if (s >= 0) {
                socketCpus[Arrays.binarySearch(sockets, s)]++;
            }
        }
        fraction = new double[sockets.length];
    }

    /**
     * Per-socket shares for a source whose domains lie on more than one socket, or null when there is nothing to
     * split (one socket) or the topology cannot be read (the ledger then uses the machine-wide share; {@code why}
     * is told once).
     */
    public static SocketShares open(PowerSource source, java.util.function.Consumer<String> why) {
        return open(source, Path.of("/proc"), Path.of("/sys/devices/system/cpu"), TASK_PERIOD_NANOS, why);
    }

    static SocketShares open(PowerSource source, Path procRoot, Path cpuRoot, long taskPeriodNanos,
                             java.util.function.Consumer<String> why) {
        int n = source.domains().size();
        int[] socket = new int[n];
        java.util.Set<Integer> distinct = new java.util.HashSet<>();
        for (int d = 0; d < n; d++) {
            socket[d] = source.socket(d);
            if (socket[d] >= 0) {
                distinct.add(socket[d]);
            }
        }
        if (distinct.size() < 2) {
            return null;
        }
        try {
            return new SocketShares(procRoot, cpuRoot, socket, taskPeriodNanos);
        } catch (IOException | RuntimeException e) {
            why.accept("per-socket shares unavailable (" + e.getMessage() + "): each socket's package energy is split "
                    + "by this process's share of the whole machine's busy CPU time");
            return null;
        }
    }

    /**
     * Sets {@code share[d]} for every per-socket domain (the others are left as they are): this process's share of
     * that socket's busy time since the last call. The first call only takes the baseline (shares NaN).
     *
     * @param nowNanos        the collector's clock
     * @param processCpuNanos this process's CPU time in the interval, or -1 if unknown
     */
    public void fill(long nowNanos, long processCpuNanos, double[] share) {
        long[] busy = socketBusyJiffies();
        if (nowNanos >= nextTaskRead || !baselined) {
            nextTaskRead = nowNanos + taskPeriodNanos;
            readTasks();
        }
        double[] perSocket = new double[sockets.length];
        Arrays.fill(perSocket, Double.NaN);
        Arrays.fill(lastBusyNanos, -1);
        // Without the process's CPU time the ledger has no share to refine: it gives the process the dynamic part.
        if (busy != null && baselined && haveFraction && processCpuNanos >= 0) {
            for (int i = 0; i < sockets.length; i++) {
                long b = (busy[i] - lastBusyJiffies[i]) * NANOS_PER_JIFFY;
                lastBusyNanos[i] = b;
                double mine = processCpuNanos * fraction[i];
                perSocket[i] = b > 0 ? Math.min(1, Math.max(0, mine / b)) : (mine > 0 ? 1 : 0);
            }
        }
        if (busy != null) {
            System.arraycopy(busy, 0, lastBusyJiffies, 0, busy.length);
            baselined = true;
        }
        for (int d = 0; d < domainSocket.length && d < share.length; d++) {
            int i = domainSocket[d] < 0 ? -1 : Arrays.binarySearch(sockets, domainSocket[d]);
            if (i >= 0) {
                share[d] = perSocket[i];
            }
        }
    }

    /**
     * The clocks of domain {@code d}'s share in the last {@link #fill}: its socket's busy time (ns), the part of the
     * process's CPU put on the socket, and the socket's CPU count; null for a domain without a socket share then.
     *
     * @return {busyNanos, processFraction, cpus}
     */
    public double[] lastClocks(int d) {
        int i = d < 0 || d >= domainSocket.length || domainSocket[d] < 0 ? -1
                : Arrays.binarySearch(sockets, domainSocket[d]);
        if (i < 0 || lastBusyNanos[i] < 0) {
            return null;
        }
        return new double[]{lastBusyNanos[i], fraction[i], socketCpus[i]};
    }

    /** Reads that failed (the stat file or the threads' files), for health. */
    public long failures() {
        return failures;
    }

    /** Busy jiffies per socket now (user + nice + system + irq + softirq, as the machine-wide figure), or null. */
    private long[] socketBusyJiffies() {
        int n = readInto(stat);
        if (n < 0) {
            failures++;
            return null;
        }
        long[] busy = new long[sockets.length];
        int i = 0;
        while (i < n) {
            int end = i;
            while (end < n && buffer[end] != '\n') {
                end++;
            }
            int cpu = cpuNumber(buffer, i, end);
            if (cpu >= 0 && cpu < cpuSocket.length && cpuSocket[cpu] >= 0) {
                int at = i + 3;
                while (at < end && buffer[at] != ' ') {
                    at++;
                }
                long b = 0;
                for (int field = 1; field <= 7; field++) {
                    while (at < end && buffer[at] == ' ') {
                        at++;
                    }
                    long v = 0;
                    while (at < end && buffer[at] >= '0' && buffer[at] <= '9') {
                        v = v * 10 + (buffer[at++] - '0');
                    }
                    if (field != 4 && field != 5) { // idle, iowait
                        b += v;
                    }
                }
                busy[Arrays.binarySearch(sockets, cpuSocket[cpu])] += b;
            }
            i = end + 1;
        }
        return busy;
    }

    /** Reads a whole small file into the reused buffer (grown as needed); its length, or -1. */
    private int readInto(Path file) {
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "r")) {
            int n = 0;
            while (true) {
                if (n == buffer.length) {
                    buffer = Arrays.copyOf(buffer, buffer.length * 2);
                }
                int r = f.read(buffer, n, buffer.length - n);
                if (r < 0) {
                    return n;
                }
                n += r;
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * From a {@code /proc/self/task/T/stat} line: {@code {utime + stime, processor}} (fields 14, 15 and 39; the
     * command in field 2 may hold spaces and parentheses, so fields are counted from its last ')'), or null.
     */
    static long[] taskCpuAndProcessor(byte[] b, int n) {
        int at = n - 1;
        while (at >= 0 && b[at] != ')') {
            at--;
        }
        if (at < 0) {
            return null;
        }
        at++;
        long cpu = 0;
        long processor = -1;
        for (int field = 3; field <= 39; field++) {
            while (at < n && b[at] == ' ') {
                at++;
            }
            if (at >= n || b[at] == '\n') {
                return null;
            }
            long v = 0;
            boolean negative = b[at] == '-';
            if (negative) {
                at++;
            }
            while (at < n && b[at] != ' ' && b[at] != '\n') {
                v = b[at] >= '0' && b[at] <= '9' ? v * 10 + (b[at] - '0') : v; // field 3 is a letter
                at++;
            }
            if (field == 14 || field == 15) {
                cpu += v;
            } else if (field == 39) {
                processor = negative ? -1 : v;
            }
        }
        return new long[]{cpu, processor};
    }

    /**
     * Adds each thread's CPU since the last look to the socket it is on now, and makes the proportions from it.
     * Threads seen for the first time count from zero after the baseline (they started since the last look).
     */
    private void readTasks() {
        long[] add = new long[sockets.length];
        Map<Long, Long> seen = new HashMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(tasks)) {
            for (Path t : ds) {
                int n = readInto(t.resolve("stat"));
                long[] parsed = n < 0 ? null : taskCpuAndProcessor(buffer, n);
                if (parsed == null) {
                    continue; // the thread ended between the listing and the read
                }
                long tid = Long.parseLong(t.getFileName().toString());
                long cpu = parsed[0];
                int processor = (int) parsed[1];
                seen.put(tid, cpu);
                Long before = taskCpuJiffies.get(tid);
                long delta = before == null ? (baselined ? cpu : 0) : Math.max(0, cpu - before);
                int socket = processor >= 0 && processor < cpuSocket.length ? cpuSocket[processor] : -1;
                int i = socket < 0 ? -1 : Arrays.binarySearch(sockets, socket);
                if (i >= 0) {
                    add[i] += delta;
                }
            }
        } catch (IOException | RuntimeException e) {
            failures++;
            return;
        }
        taskCpuJiffies.clear();
        taskCpuJiffies.putAll(seen);
        long total = 0;
        for (long a : add) {
            total += a;
        }
        if (total > 0) {
            for (int i = 0; i < add.length; i++) {
                fraction[i] = (double) add[i] / total;
            }
            haveFraction = true;
        }
    }

    private static int cpuNumber(byte[] b, int from, int end) {
        if (end - from < 4 || b[from] != 'c' || b[from + 1] != 'p' || b[from + 2] != 'u' || b[from + 3] < '0'
                || b[from + 3] > '9') {
            return -1;
        }
        int n = 0;
        for (int i = from + 3; i < end && b[i] >= '0' && b[i] <= '9'; i++) {
            n = n * 10 + (b[i] - '0');
        }
        return n;
    }

    /** N for a {@code cpuN ...} line, else -1. */
    static int cpuNumber(String line) {
        if (line.length() < 4 || !line.startsWith("cpu") || !Character.isDigit(line.charAt(3))) {
            return -1;
        }
        int n = 0;
        int i = 3;
        while (i < line.length() && Character.isDigit(line.charAt(i))) {
            n = n * 10 + (line.charAt(i++) - '0');
        }
        return n;
    }
}

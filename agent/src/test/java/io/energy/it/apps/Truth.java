package io.energy.it.apps;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The truth side of the truth suite: each workload method measures its own thread's CPU time around its
 * own body and adds it here; at the end the workload writes what it measured to a file that the suite
 * compares with the agent's joules. It lives outside the workloads' package so that {@code include=} of that
 * package does not weave the clock reads themselves. Nothing here knows about the agent: the figures come from the kernel's
 * per-thread CPU clocks ({@code clock_gettime(CLOCK_THREAD_CPUTIME_ID)} behind
 * {@link ThreadMXBean#getCurrentThreadCpuTime()}), read by the code being measured.
 *
 * <p>File format, one fact per line ({@code key value...}, '#' comments):
 * <pre>
 * window_ns 6012345678          wall time from Truth.start() to Truth.finish()
 * window_process_cpu_ns 71234   process CPU over the same window (getProcessCpuTime)
 * process_cpu_ns 8123456        process CPU from JVM start to Truth.finish()
 * method io.energy.it.apps.truth.Blocked.compute 1012345678   CPU ns with the method on the stack
 * slice 1000000000 83000000 Bursts.burst=51234567,Bursts.pause=4012345   one per second of the window and one at
 *     its end: wall ns since Truth.start(), process CPU ns since then, each method's CPU ns so far (cumulative)
 * </pre>
 *
 * <p>The slices are the truth under a constant power: then every second carries the same energy whatever the
 * process's CPU, and a method's part of a second is its share of that second's process CPU, so its true share is
 * the time average of its per-second shares. A workload whose process CPU is not steady (the JIT's start-up
 * against 0.5 s of CPU in 6 s in case d) has a time average far from its CPU-time share over the whole window.
 * A second is long enough for the process clock's 10 ms steps ({@code getProcessCpuTime}) to err by a few percent
 * of a second's CPU even in case d, and short enough to follow the start-up.
 */
public final class Truth {
    public static final String PKG = "io.energy.it.apps.truth.";
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final Map<String, LongAdder> CPU = new ConcurrentHashMap<>();
    private static final Map<String, String> FACTS = new ConcurrentHashMap<>();
    private static long startWall;
    private static long startProcessCpu;
    /** One line per slice ({@code slice ...}, see the class comment), written by the clock thread and finish. */
    private static final java.util.List<String> SLICES = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    private static final long SLICE_NANOS = 1_000_000_000L;
    private static volatile long sink;

    private Truth() {
    }

    /** Marks the start of the measured window (call first thing in main). */
    public static void start() {
        startWall = System.nanoTime();
        startProcessCpu = OS.getProcessCpuTime();
        Thread clock = new Thread(() -> {
            try {
                for (long k = 1; ; k++) {
                    long due = startWall + k * SLICE_NANOS;
                    for (long left; (left = due - System.nanoTime()) > 0; ) {
                        Thread.sleep(left / 1_000_000L, (int) (left % 1_000_000L));
                    }
                    slice();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "truth-clock");
        clock.setDaemon(true);
        clock.start();
    }

    /** Records one slice now: wall and process CPU since start, each method's CPU so far. */
    private static void slice() {
        long wall = System.nanoTime() - startWall;
        long processCpu = OS.getProcessCpuTime() - startProcessCpu;
        StringBuilder sb = new StringBuilder("slice ").append(wall).append(' ').append(processCpu).append(' ');
        String sep = "";
        for (Map.Entry<String, LongAdder> e : new TreeMap<>(CPU).entrySet()) {
            sb.append(sep).append(e.getKey()).append('=').append(e.getValue().sum());
            sep = ",";
        }
        SLICES.add(sb.append(sep.isEmpty() ? "-" : "").toString());
    }

    /** CPU time of the current platform thread, ns. */
    public static long cpu() {
        return THREADS.getCurrentThreadCpuTime();
    }

    /** CPU time of a given platform thread (a carrier, for virtual threads), ns. */
    public static long cpu(long threadId) {
        return THREADS.getThreadCpuTime(threadId);
    }

    /** The carrier a virtual thread is mounted on (needs --add-opens java.base/java.lang=ALL-UNNAMED). */
    public static Thread carrier() {
        try {
            return (Thread) Carrier.METHOD.invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot find the carrier thread: " + e, e);
        }
    }

    /** Looked up on first use only: the method exists only on JDK 19+, and only the virtual-thread case needs it. */
    private static final class Carrier {
        static final Method METHOD;

        static {
            try {
                METHOD = Thread.class.getDeclaredMethod("currentCarrierThread");
                METHOD.setAccessible(true);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Adds {@code nanos} of CPU time to {@code method} (a simple name in this package, e.g. "Blocked.compute"). */
    public static void add(String method, long nanos) {
        CPU.computeIfAbsent(PKG + method, k -> new LongAdder()).add(nanos);
    }

    public static void fact(String key, String value) {
        FACTS.put(key, value);
    }

    /**
     * Plain Java compute (a xorshift walk) until this thread has used {@code cpuNanos} more CPU. The clock
     * is read every few microseconds of work, so the time it costs is part of what it measures.
     */
    public static long burn(long cpuNanos) {
        long end = cpu() + cpuNanos;
        long x = System.nanoTime() | 1;
        do {
            for (int i = 0; i < 2000; i++) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
            }
        } while (cpu() < end);
        sink += x;
        return x;
    }

    /** {@link #burn(long)} for a virtual thread: the clock read is its carrier's (it stays mounted while it computes). */
    public static long burn(long carrierId, long cpuNanos) {
        long end = cpu(carrierId) + cpuNanos;
        long x = System.nanoTime() | 1;
        do {
            for (int i = 0; i < 2000; i++) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
            }
        } while (cpu(carrierId) < end);
        sink += x;
        return x;
    }

    /**
     * {@code nanos} × a uniform random factor in [0.5, 1.5): the same mean, but no two calls alike. Real calls
     * vary; a workload whose calls repeat with an exact CPU-time period would alias with any fixed-period
     * sampler (with 4+3+2+3 ms calls and a sample every 10 ms of CPU, only even offsets of the 12 ms cycle
     * are ever sampled), which measures the coincidence, not the sampler.
     */
    public static long vary(long nanos) {
        return (long) (nanos * java.util.concurrent.ThreadLocalRandom.current().nextDouble(0.5, 1.5));
    }

    /** Writes the truth file (atomically: the suite never reads half a file). */
    public static void finish(String file) throws IOException {
        slice();
        long window = System.nanoTime() - startWall;
        long processCpu = OS.getProcessCpuTime();
        StringBuilder sb = new StringBuilder("# truth measured by the workload itself\n");
        sb.append("window_ns ").append(window).append('\n');
        sb.append("window_process_cpu_ns ").append(processCpu - startProcessCpu).append('\n');
        sb.append("process_cpu_ns ").append(processCpu).append('\n');
        for (Map.Entry<String, String> f : new TreeMap<>(FACTS).entrySet()) {
            sb.append(f.getKey()).append(' ').append(f.getValue()).append('\n');
        }
        for (Map.Entry<String, LongAdder> e : new TreeMap<>(CPU).entrySet()) {
            sb.append("method ").append(e.getKey()).append(' ').append(e.getValue().sum()).append('\n');
        }
        synchronized (SLICES) {
            for (String line : SLICES) {
                sb.append(line).append('\n');
            }
        }
        Path target = Path.of(file);
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Seconds to run, from args[1] (default 6). */
    public static long deadline(String[] args) {
        double s = args.length > 1 ? Double.parseDouble(args[1]) : 6;
        return System.nanoTime() + (long) (s * 1e9);
    }
}

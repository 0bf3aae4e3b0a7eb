package io.energy.sampling;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The CPU time of each of this process's native threads at one moment, from Linux's
 * {@code /proc/self/task/T/schedstat} (its first field: nanoseconds on a CPU) and {@code comm} (the thread's
 * name, cut at 15 bytes). Two snapshots tell where a stretch of the process's CPU went when no stack sampler
 * ran yet: the JIT compilers, GC, the agent's own threads and the application's threads, by name.
 *
 * <p>Why it exists: async-profiler starts on a background thread ~100–200 ms after premain, while the JIT
 * compiles the application's first methods; that energy waited in the ledger for the first harvest and then
 * followed its first few samples, which put a start-up's worth of JIT energy on whatever method ran first (in a
 * process that uses 0.5 s of CPU in 6 s, +5 to +25 share points on one method: docs/accuracy.md, d-bursts).
 * Elsewhere than Linux, or where the files cannot be read, a snapshot is empty and nothing changes.
 */
public final class ThreadCpuSnapshot {
    /** Prefix of the names of the agent's own threads ({@code energy-start}, {@code energy-collector}, ...). */
    private static final String AGENT_THREAD_PREFIX = "energy-";

    private final Map<String, Long> cpuByTask;
    private final Map<String, String> nameByTask;

    private ThreadCpuSnapshot(Map<String, Long> cpuByTask, Map<String, String> nameByTask) {
        this.cpuByTask = cpuByTask;
        this.nameByTask = nameByTask;
    }

    /** This process's threads now ({@code /proc/self/task}); empty where it cannot be read. */
    public static ThreadCpuSnapshot take() {
        return take(Path.of("/proc/self/task"));
    }

    /** @param taskDir a {@code /proc/PID/task} directory (a test's fake one) */
    public static ThreadCpuSnapshot take(Path taskDir) {
        Map<String, Long> cpu = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        if (Files.isDirectory(taskDir)) {
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(taskDir)) {
                for (Path t : tasks) {
                    long ns = schedstatCpuNanos(t.resolve("schedstat"));
                    if (ns < 0) {
                        continue; // the thread ended while we looked, or the kernel keeps no schedstat
                    }
                    String id = t.getFileName().toString();
                    cpu.put(id, ns);
                    names.put(id, read(t.resolve("comm")).trim());
                }
            } catch (IOException | RuntimeException e) {
                return new ThreadCpuSnapshot(Map.of(), Map.of());
            }
        }
        return new ThreadCpuSnapshot(cpu, names);
    }

    /** Whether this snapshot read any thread. */
    public boolean isEmpty() {
        return cpuByTask.isEmpty();
    }

    /** One thread's CPU time between two snapshots: its OS thread id, its kind by name, and the nanoseconds. */
    public record Used(long tid, ThreadKind kind, long cpuNanos) {
    }

    /**
     * CPU time per thread between {@code earlier} and this snapshot: a thread in both adds what it used since; a
     * thread that began since adds all of its CPU; a thread that ended since is not seen (its CPU is not counted:
     * an empty earlier snapshot gives nothing at all, not every thread's whole life).
     */
    public java.util.List<Used> since(ThreadCpuSnapshot earlier) {
        java.util.List<Used> out = new java.util.ArrayList<>();
        if (earlier.isEmpty() || isEmpty()) {
            return out;
        }
        for (Map.Entry<String, Long> e : cpuByTask.entrySet()) {
            Long before = earlier.cpuByTask.get(e.getKey());
            long used = before == null ? e.getValue() : e.getValue() - before;
            if (used > 0) {
                out.add(new Used(tid(e.getKey()), kindOf(nameByTask.get(e.getKey())), used));
            }
        }
        return out;
    }

    /** The CPU time of thread {@code tid} in this snapshot, or -1 if it was not read. */
    public long cpuOf(long tid) {
        Long v = cpuByTask.get(Long.toString(tid));
        return v == null ? -1 : v;
    }

    /**
     * The calling thread's OS id and CPU time now ({@code /proc/thread-self}), or null where that cannot be read.
     */
    public static long[] currentThread() {
        try {
            Path self = Files.readSymbolicLink(Path.of("/proc/thread-self"));
            long tid = tid(self.getFileName().toString());
            long ns = schedstatCpuNanos(Path.of("/proc/thread-self/schedstat"));
            return tid < 0 || ns < 0 ? null : new long[]{tid, ns};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long tid(String name) {
        try {
            return Long.parseLong(name);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * The kind of a native thread by its name as the kernel keeps it (15 bytes): HotSpot's compiler threads
     * ({@code C2 CompilerThre}, {@code C1 CompilerThre}, {@code JVMCI CompilerT}), its GC threads ({@code GC Thread#0},
     * {@code G1 Conc#0}, {@code G1 Refine#0}, ZGC's and Shenandoah's), its other native threads, the agent's, and
     * every other thread (the application's, and the JVM's few Java threads such as {@code Reference Handl}).
     */
    static ThreadKind kindOf(String name) {
        if (name == null) {
            return ThreadKind.JAVA;
        }
        if (name.startsWith(AGENT_THREAD_PREFIX)) {
            return ThreadKind.AGENT;
        }
        if (name.contains("CompilerThre") || name.contains("Compiler") || name.startsWith("Sweeper")) {
            return ThreadKind.JIT;
        }
        if (name.startsWith("GC ") || name.startsWith("G1 ") || name.startsWith("ZGC") || name.startsWith("Z ")
                || name.startsWith("Shenandoah") || name.startsWith("Parallel GC") || name.startsWith("StrDedup")) {
            return ThreadKind.GC;
        }
        if (name.startsWith("VM ") || name.equals("VM Thread") || name.startsWith("Service Thread")
                || name.startsWith("Monitor Deflati") || name.startsWith("Signal Dispatch")) {
            return ThreadKind.VM;
        }
        return ThreadKind.JAVA;
    }

    /** The first field of a {@code schedstat} file (nanoseconds on a CPU), or -1. */
    static long schedstatCpuNanos(Path file) {
        String s = read(file);
        int end = s.indexOf(' ');
        if (end <= 0) {
            return -1;
        }
        try {
            return Long.parseLong(s.substring(0, end));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}

package com.acme.burn;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A thread's work outside the agent's packages: the stack sampler classifies any stack with an {@code io.energy}
 * frame as the agent's own, so a test that wants application samples burns its CPU here, on a thread of its own.
 */
public final class Burner implements Runnable {
    private static volatile long sink;
    private final long cpuNanos;
    private volatile long used;
    private volatile long nativeTid;

    private Burner(long cpuNanos) {
        this.cpuNanos = cpuNanos;
    }

    /** Burns {@code cpuNanos} of CPU on a new thread and waits for it. */
    public static Burner burnOnItsOwnThread(long cpuNanos) throws InterruptedException {
        Burner b = new Burner(cpuNanos);
        Thread t = new Thread(b, "burner");
        t.start();
        t.join();
        return b;
    }

    /** The CPU the thread used while burning, by the JVM's clock of that thread. */
    public long usedNanos() {
        return used;
    }

    /** The thread's id as the kernel knows it (async-profiler names threads by it). */
    public long nativeTid() {
        return nativeTid;
    }

    @Override
    public void run() {
        try {
            nativeTid = Long.parseLong(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
        } catch (Exception e) {
            nativeTid = -2;
        }
        used = burn(cpuNanos);
    }

    static long burn(long cpuNanos) {
        ThreadMXBean t = ManagementFactory.getThreadMXBean();
        long start = t.getCurrentThreadCpuTime();
        long x = sink;
        while (t.getCurrentThreadCpuTime() - start < cpuNanos) {
            for (int i = 0; i < 10_000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
        }
        sink = x;
        return t.getCurrentThreadCpuTime() - start;
    }
}

package io.energy.it.apps;

import io.energy.api.Energy;
import io.energy.api.EnergyReading;
import io.energy.api.EnergyWindow;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * Opens measurement windows around known work and prints, per window, its reading and the CPU time the work
 * used, read from the thread CPU clock (nanosecond-precise, independent of the agent's process clock):
 * {@code window <label> available=<b> J=<j> bound=<b> cpu=<truth ns> estimated=<b> top=<m;m>}.
 */
public final class WindowApp {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    static volatile double sink;

    private WindowApp() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("gpu")) {
            gpu();
            return;
        }
        System.out.println("available " + Energy.available() + " reason=" + Energy.unavailableReason());
        // Warm-up, windows included: the JIT's compiler threads are part of the process, so their CPU would land
        // in the first windows, and this app's truth is the work thread's CPU alone.
        spin(1_000);
        for (int i = 0; i < 8; i++) {
            measured("warm" + i, 100);
        }
        for (int i = 0; i < 4; i++) {
            measured("spin" + i, 300);
        }
        // back to back without waiting: consecutive windows share intervals, so each must get only its part
        List<java.util.concurrent.CompletableFuture<EnergyReading>> chain = new ArrayList<>();
        long[] chainCpu = new long[5];
        long[] chainProcessCpu = new long[5];
        for (int i = 0; i < chainCpu.length; i++) {
            long c0 = THREADS.getCurrentThreadCpuTime();
            long p0 = processCpu();
            EnergyWindow w = Energy.begin("chain" + i);
            spin(120);
            chain.add(w.endAsync());
            chainCpu[i] = THREADS.getCurrentThreadCpuTime() - c0;
            chainProcessCpu[i] = processCpu() - p0;
        }
        for (int i = 0; i < chainCpu.length; i++) {
            print("chain" + i, chain.get(i).get(), chainCpu[i], chainProcessCpu[i]);
        }
        // nested: an outer window around three inner ones
        long outerProcessCpu = processCpu();
        EnergyWindow outer = Energy.begin("outer");
        long outerCpu = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < 3; i++) {
            measured("inner" + i, 200);
        }
        print("outer", outer.end(), THREADS.getCurrentThreadCpuTime() - outerCpu, processCpu() - outerProcessCpu);
        // a window that only sleeps
        long sleepProcessCpu = processCpu();
        EnergyWindow sleep = Energy.begin("sleep");
        Thread.sleep(400);
        print("sleep", sleep.end(), 0, processCpu() - sleepProcessCpu);
        // two threads, overlapping windows, one window around both
        long bothProcessCpu = processCpu();
        EnergyWindow both = Energy.begin("both");
        CountDownLatch started = new CountDownLatch(1);
        long[] cpu = new long[2];
        List<Thread> ts = new ArrayList<>();
        for (int k = 0; k < 2; k++) {
            int kk = k;
            Thread t = new Thread(() -> {
                try {
                    if (kk == 1) {
                        started.await();
                        Thread.sleep(150);
                    } else {
                        started.countDown();
                    }
                } catch (InterruptedException e) {
                    return;
                }
                long c0 = THREADS.getCurrentThreadCpuTime();
                EnergyWindow w = Energy.begin("thread" + kk);
                spin(400);
                EnergyReading r = w.end();
                cpu[kk] = THREADS.getCurrentThreadCpuTime() - c0;
                print("thread" + kk, r, cpu[kk]);
            }, "worker-" + k);
            ts.add(t);
            t.start();
        }
        for (Thread t : ts) {
            t.join();
        }
        print("both", both.end(), cpu[0] + cpu[1], processCpu() - bothProcessCpu);
    }

    /** Under a replayed trace with a GPU: one window that sleeps, one that works, per-domain joules and wall time. */
    static void gpu() throws Exception {
        spin(300);
        for (String label : new String[] {"gpu-sleep", "gpu-spin"}) {
            EnergyWindow w = Energy.begin(label);
            if (label.equals("gpu-sleep")) {
                Thread.sleep(400);
            } else {
                spin(300);
            }
            EnergyReading r = w.end();
            for (EnergyReading.Domain d : r.domains()) {
                System.out.println(String.format(Locale.ROOT, "domain %s %s J=%.6f bound=%.6f wall=%d", label, d.key(),
                        d.joules(), d.bound(), r.wallNanos()));
            }
        }
    }

    static void measured(String label, long ms) {
        long c0 = THREADS.getCurrentThreadCpuTime();
        long p0 = processCpu();
        EnergyWindow w = Energy.begin(label);
        spin(ms);
        EnergyReading r = w.end();
        print(label, r, THREADS.getCurrentThreadCpuTime() - c0, processCpu() - p0);
    }

    /** The whole process's CPU time from the OS (the JIT, GC and the agent's threads included), or -1. */
    static long processCpu() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean s ? s.getProcessCpuTime() : -1;
    }

    static void print(String label, EnergyReading r, long truthCpu) {
        print(label, r, truthCpu, -1);
    }

    static synchronized void print(String label, EnergyReading r, long truthCpu, long processCpu) {
        StringBuilder top = new StringBuilder();
        for (EnergyReading.Method m : r.topMethods()) {
            top.append(top.length() == 0 ? "" : ";").append(m.name());
        }
        System.out.println(String.format(Locale.ROOT,
                "window %s available=%s J=%.9f bound=%.9f cpu=%d pcpu=%d estimated=%s top=%s reason=%s",
                label, r.available(), r.joules(), r.bound(), truthCpu, processCpu, r.estimated(), top, r.reason()));
    }

    /** Busy work for {@code ms} of this thread's CPU time (not wall time: the machine is shared). */
    static void spin(long ms) {
        long end = THREADS.getCurrentThreadCpuTime() + ms * 1_000_000L;
        double x = 0;
        while (THREADS.getCurrentThreadCpuTime() < end) {
            for (int i = 0; i < 20_000; i++) {
                x += Math.sqrt(i);
            }
        }
        sink = x;
    }
}

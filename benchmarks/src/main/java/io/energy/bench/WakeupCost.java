package io.energy.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.locks.LockSupport;

/**
 * What one timer wake-up of a thread costs on this machine, in CPU: a thread that only parks for
 * {@code period} microseconds at a time, for {@code seconds}. The agent's collector wakes once per sample
 * period, so this is the floor of its CPU use; it is high in virtual machines (tens of µs) and low on
 * bare metal (a few µs).
 *
 * <pre>java -cp benchmarks.jar io.energy.bench.WakeupCost [period=1000] [seconds=3]</pre>
 */
public final class WakeupCost {
    private WakeupCost() {
    }

    public static void main(String[] args) {
        BenchArgs a = new BenchArgs(args, "period", "seconds");
        long period = a.number("period", 1000) * 1000;
        long duration = a.number("seconds", 3) * 1_000_000_000L;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long next = start + period;
        long wakeups = 0;
        while (System.nanoTime() - start < duration) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
                wakeups++;
            } else {
                next += period;
            }
        }
        long cpu = threads.getCurrentThreadCpuTime() - cpu0;
        System.out.printf(java.util.Locale.ROOT, "wakeupCpuMicros=%.1f wakeups=%d periodMicros=%d coreShare=%.2f%%%n",
                cpu / 1e3 / wakeups, wakeups, period / 1000, cpu * 100.0 / duration);
    }
}

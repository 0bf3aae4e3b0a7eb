package io.energy.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * Heap in use after a full GC, once an instrumented method has been called {@code calls} times and
 * {@code paths} distinct instrumented call paths have been walked. Run it with and without the agent: the
 * difference is the agent's heap. The agent keeps a call tree per thread and a counter per path, nothing
 * per call, so the footprint must not grow with {@code calls}, only with {@code paths}.
 *
 * <pre>
 * java [-javaagent:energy.jar=include=io.energy.bench.Instrumented*,weave.trivial=true,overhead=off] -cp benchmarks.jar \
 *      io.energy.bench.MemoryFootprint calls=100000000 paths=8420 [settle=2500]
 * </pre>
 *
 * Prints one line {@code heapUsedBytes=N nonHeapUsedBytes=N calls=N paths=N checksum=N}. {@code settle}
 * (milliseconds) waits after the work so that the agent's collector has synchronised the call counts and
 * resolved every path into its ledger before the heap is measured.
 */
public final class MemoryFootprint {
    private MemoryFootprint() {
    }

    public static void main(String[] args) throws InterruptedException {
        BenchArgs a = new BenchArgs(args, "calls", "paths", "settle");
        long calls = a.number("calls", 1_000_000);
        int paths = (int) a.number("paths", 0);
        long checksum = 0;
        for (long i = 0; i < calls; i++) {
            checksum += InstrumentedPaths.leaf((int) i);
        }
        List<int[]> walks = distinctPaths(paths);
        for (int[] p : walks) {
            checksum += PathDispatch.next(p, 0);
        }
        walks = null;
        Thread.sleep(a.number("settle", 2500));
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long heap = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            heap = Math.min(heap, memory.getHeapMemoryUsage().getUsed());
        }
        System.out.println("heapUsedBytes=" + heap + " nonHeapUsedBytes=" + memory.getNonHeapMemoryUsage().getUsed()
                + " calls=" + calls + " paths=" + paths + " checksum=" + checksum);
    }

    /**
     * The first {@code count} call paths in breadth-first order (all one-method paths, then all two-method
     * paths, …). Walking them in this order adds exactly one new path each time, because every prefix of a
     * path was walked before it: {@code count} walks make {@code count} distinct paths.
     */
    static List<int[]> distinctPaths(int count) {
        List<int[]> out = new ArrayList<>(count);
        List<int[]> level = new ArrayList<>();
        level.add(new int[0]);
        while (out.size() < count) {
            List<int[]> next = new ArrayList<>();
            for (int[] prefix : level) {
                for (int m = 0; m < InstrumentedPaths.METHODS && out.size() < count; m++) {
                    int[] p = java.util.Arrays.copyOf(prefix, prefix.length + 1);
                    p[prefix.length] = m;
                    out.add(p);
                    next.add(p);
                }
                if (out.size() >= count) {
                    break;
                }
            }
            level = next;
        }
        return out;
    }
}

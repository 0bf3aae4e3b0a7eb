package io.energy.sampling;

import java.util.ArrayList;
import java.util.List;

/**
 * The CPU-time samples a sampler took since its previous harvest. Each sample stands for the same quantum
 * of CPU time ({@link #periodNanos}), so a stretch of a process's CPU energy is split over its samples by
 * count: threads that ended, virtual threads and threads blocked in native code come out right by
 * construction, because a thread that used no CPU has no samples.
 */
public final class StackSamples {
    /** A sample whose thread the sampler did not say. */
    public static final long NO_THREAD = -1;

    private final List<Stack> stacks = new ArrayList<>();
    private long[] counts = new long[16];
    private long[] threads = new long[16];
    private long total;
    /** CPU time of the threads the harvest named, by thread, where it was read ({@link #threadCpuNanos}). */
    private java.util.Map<Long, Long> threadCpu;
    private final long periodNanos;
    private final boolean perThreadClocks;

    /** Samples of a sampler whose ticks are not known to follow each thread's own CPU clock. */
    public StackSamples(long periodNanos) {
        this(periodNanos, false);
    }

    /**
     * @param perThreadClocks each thread is sampled on its own CPU-time clock (one sample per period of that
     *                        thread's CPU: perf_events task-clock, a per-thread CPU timer, JFR's CPU-time
     *                        sampler), so a thread's sample count follows its CPU time to within a sample and
     *                        only the split inside a thread is a matter of chance; a process-wide timer
     *                        ({@code itimer}) picks the thread by chance too
     */
    public StackSamples(long periodNanos, boolean perThreadClocks) {
        this.periodNanos = periodNanos;
        this.perThreadClocks = perThreadClocks;
    }

    public void add(Stack stack, long samples) {
        add(stack, samples, NO_THREAD);
    }

    /** @param thread the sampled thread's id (the OS's, or the JVM's), or {@link #NO_THREAD} */
    public void add(Stack stack, long samples, long thread) {
        if (samples <= 0) {
            return;
        }
        if (stacks.size() == counts.length) {
            counts = java.util.Arrays.copyOf(counts, counts.length * 2);
            threads = java.util.Arrays.copyOf(threads, threads.length * 2);
        }
        counts[stacks.size()] = samples;
        threads[stacks.size()] = thread;
        stacks.add(stack);
        total += samples;
    }

    /** The thread the samples at {@code i} were taken in, or {@link #NO_THREAD}. */
    public long thread(int i) {
        return threads[i];
    }

    /** The samples of each thread the harvest names (samples without a thread are left out). */
    public java.util.Map<Long, Long> samplesByThread() {
        java.util.Map<Long, Long> out = new java.util.HashMap<>();
        for (int i = 0; i < stacks.size(); i++) {
            if (threads[i] != NO_THREAD) {
                out.merge(threads[i], counts[i], Long::sum);
            }
        }
        return out;
    }

    /** Whether each thread was sampled on its own CPU clock (see the constructor). */
    public boolean perThreadClocks() {
        return perThreadClocks;
    }

    public int size() {
        return stacks.size();
    }

    public Stack stack(int i) {
        return stacks.get(i);
    }

    public long count(int i) {
        return counts[i];
    }

    public long total() {
        return total;
    }

    /** CPU time one sample stands for. */
    public long periodNanos() {
        return periodNanos;
    }

    /** {@link #threadCpuNanos}: the thread's CPU since its last reading is not known. */
    public static final long CPU_UNKNOWN = -1;
    /** {@link #threadCpuNanos}: the thread had ended when the harvest read its clock. */
    public static final long CPU_ENDED = -2;

    /**
     * Records the CPU time thread {@code thread} used since its clock was last read ({@link ThreadClocks}), or
     * {@link #CPU_ENDED}: the ledger then pays that thread's samples for the CPU the thread really used, not for
     * samples × period, and the CPU of threads the harvest has no sample of does not follow the samples of others.
     */
    public void setThreadCpu(long thread, long nanos) {
        if (threadCpu == null) {
            threadCpu = new java.util.HashMap<>();
        }
        threadCpu.put(thread, nanos);
    }

    /** How many threads had ended when the harvest read their clocks ({@link #CPU_ENDED}). */
    public int endedThreads() {
        return threadCpu == null ? 0 : (int) threadCpu.values().stream().filter(v -> v == CPU_ENDED).count();
    }

    /** Whether any thread's CPU was read for this harvest. */
    public boolean hasThreadCpu() {
        return threadCpu != null && !threadCpu.isEmpty();
    }

    /**
     * The CPU time {@code thread} used since its clock was read at an earlier harvest, {@link #CPU_ENDED}, or
     * {@link #CPU_UNKNOWN} (never read before, not read now, or a sample without a thread).
     */
    public long threadCpuNanos(long thread) {
        Long v = threadCpu == null ? null : threadCpu.get(thread);
        return v == null ? CPU_UNKNOWN : v;
    }

    /** Adds another harvest's samples to this one (a sampler that harvests less often than intervals close). */
    public void addAll(StackSamples other) {
        for (int i = 0; i < other.size(); i++) {
            add(other.stack(i), other.count(i), other.thread(i));
        }
        // Two harvests' clock readings do not add up to one harvest's: the merged samples are paid by count.
        threadCpu = null;
    }
}

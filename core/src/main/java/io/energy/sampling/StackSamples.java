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
    private final List<Stack> stacks = new ArrayList<>();
    private long[] counts = new long[16];
    private long total;
    private final long periodNanos;

    public StackSamples(long periodNanos) {
        this.periodNanos = periodNanos;
    }

    public void add(Stack stack, long samples) {
        if (samples <= 0) {
            return;
        }
        if (stacks.size() == counts.length) {
            counts = java.util.Arrays.copyOf(counts, counts.length * 2);
        }
        counts[stacks.size()] = samples;
        stacks.add(stack);
        total += samples;
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

    /** Adds another harvest's samples to this one (a sampler that harvests less often than intervals close). */
    public void addAll(StackSamples other) {
        for (int i = 0; i < other.size(); i++) {
            add(other.stack(i), other.count(i));
        }
    }
}

package io.energy.bridge;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The call-path nodes all threads of one generation may hold together (issue 14). {@code max.paths} caps each
 * thread's tree; without a shared cap a service with 200 pool threads could hold 200 × max.paths nodes (~337 bytes
 * each). Taken on a path's first call only (never on the fast path), given back when an ended thread's tree is
 * dropped.
 */
final class NodeBudget {
    /** All threads together may hold this many times {@code max.paths} nodes. */
    static final int THREADS_FACTOR = 4;

    private final int max;
    private final AtomicInteger used = new AtomicInteger();

    NodeBudget(int max) {
        this.max = max;
    }

    /** For a cap of {@code perThread} nodes per thread: {@link #THREADS_FACTOR} times it, saturating. */
    static NodeBudget forPerThreadCap(int perThread) {
        return new NodeBudget((int) Math.min(Integer.MAX_VALUE, (long) THREADS_FACTOR * Math.max(0, perThread)));
    }

    /** One node more, if the budget has room. */
    boolean take() {
        int u;
        do {
            u = used.get();
            if (u >= max) {
                return false;
            }
        } while (!used.compareAndSet(u, u + 1));
        return true;
    }

    void release(int nodes) {
        used.addAndGet(-nodes);
    }

    int used() {
        return used.get();
    }

    int max() {
        return max;
    }
}

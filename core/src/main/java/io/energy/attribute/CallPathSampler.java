package io.energy.attribute;

import io.energy.bridge.EnergyBridge;
import io.energy.bridge.PathNode;
import io.energy.bridge.ThreadContext;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/**
 * Reads every instrumented thread's shadow-stack pointer once per tick and counts where it was. The
 * application thread never waits for this: it only ever stores a pointer, and the sampler only loads it.
 *
 * <p>Because the pointer names the exact instrumented call path, a sample cannot be biased towards
 * safepoints the way {@code Thread.getStackTrace()} sampling is, and a method that is short but called
 * often gets its fair share of ticks.
 */
public final class CallPathSampler {
    /** Per-thread bookkeeping of the sampler, kept in {@link ThreadContext#ledgerState}. */
    static final class ThreadState {
        final List<PathNode> touched = new ArrayList<>();
        /** The thread has ended: no more samples, one last slice, then it is forgotten. */
        boolean ended;
    }

    /** What a sample found a thread doing. */
    public enum Activity { RUNNING, WAITING, ENDED }

    private final List<ThreadContext> contexts = new ArrayList<>();
    private long retiredPathsOverCap;
    private long retiredBeyondDepth;
    private int threadsSeen;
    private final Function<ThreadContext, Activity> activity;
    private final java.util.function.ToLongFunction<ThreadContext> cpuNow;

    /**
     * Samples real threads: the thread's state (a field read) says whether it is runnable, waiting or
     * ended; an ended thread costs nothing more until it is forgotten.
     */
    public CallPathSampler(java.util.function.ToLongFunction<ThreadContext> cpuNow) {
        this(ctx -> switch (ctx.thread.getState()) {
            case RUNNABLE -> Activity.RUNNING;
            case TERMINATED -> Activity.ENDED;
            default -> Activity.WAITING;
        }, cpuNow);
    }

    /**
     * @param activity what a thread is doing at this tick (simulations make it up)
     * @param cpuNow   a thread's CPU time now, read once when the sampler first sees it, so that CPU the
     *                 thread used before its first instrumented call (a pool thread that ran for hours
     *                 before an attach, a main thread's start-up) is not charged to its first interval
     */
    public CallPathSampler(Function<ThreadContext, Activity> activity,
                           java.util.function.ToLongFunction<ThreadContext> cpuNow) {
        this.activity = activity;
        this.cpuNow = cpuNow;
    }

    /** Takes in the threads that made their first instrumented call since the last look. */
    private void adoptNewThreads() {
        for (ThreadContext c; (c = EnergyBridge.pollNewContext()) != null; ) {
            c.ledgerState = new ThreadState();
            c.lastCpuNanos = cpuNow.applyAsLong(c);
            contexts.add(c);
            threadsSeen++;
        }
    }

    /** Takes one sample of every known thread. Collector thread only. */
    public void sample() {
        adoptNewThreads();
        for (int i = 0, n = contexts.size(); i < n; i++) {
            ThreadContext ctx = contexts.get(i);
            ThreadState state = (ThreadState) ctx.ledgerState;
            if (state.ended) {
                continue;
            }
            Activity now = activity.apply(ctx);
            if (now == Activity.ENDED) {
                state.ended = true;
                continue;
            }
            PathNode cur = ctx.current();
            boolean onCpu = now == Activity.RUNNING;
            ctx.intervalSamples++;
            if (cur == ctx.root) {
                ctx.intervalRootWallSamples++;
                if (onCpu) {
                    ctx.intervalRootSamples++;
                }
            } else {
                if (cur.intervalWallSamples++ == 0) {
                    ((ThreadState) ctx.ledgerState).touched.add(cur);
                }
                if (onCpu) {
                    cur.intervalSamples++;
                }
            }
        }
    }

    public List<ThreadContext> contexts() {
        return contexts;
    }

    /** True once a sample has found the context's thread ended. */
    public static boolean ended(ThreadContext ctx) {
        return ctx.ledgerState instanceof ThreadState s && s.ended;
    }

    /**
     * Closes the interval: one slice per thread that was sampled, with its CPU time since the last close.
     *
     * @param cpuNanos the current CPU time of each context's thread, index-aligned with {@link #contexts()}
     *                 (-1 if the thread has ended)
     */
    public List<IntervalInput.ThreadSlice> closeInterval(EnergyLedger ledger, long[] cpuNanos) {
        List<IntervalInput.ThreadSlice> slices = new ArrayList<>(contexts.size());
        for (int i = 0; i < contexts.size(); i++) {
            ThreadContext ctx = contexts.get(i);
            ThreadState st = (ThreadState) ctx.ledgerState;
            long now = i < cpuNanos.length ? cpuNanos[i] : -1;
            long cpu = now >= 0 && ctx.lastCpuNanos >= 0 ? Math.max(0, now - ctx.lastCpuNanos) : 0;
            if (now >= 0) {
                ctx.lastCpuNanos = now;
            }
            int count = st.touched.size();
            if (count > 0 || ctx.intervalRootWallSamples > 0) {
                LedgerNode[] nodes = new LedgerNode[count];
                int[] samples = new int[count];
                int[] wall = new int[count];
                for (int k = 0; k < count; k++) {
                    PathNode p = st.touched.get(k);
                    nodes[k] = resolve(ledger, p);
                    samples[k] = p.intervalSamples;
                    wall[k] = p.intervalWallSamples;
                    p.intervalSamples = 0;
                    p.intervalWallSamples = 0;
                }
                slices.add(new IntervalInput.ThreadSlice(cpu, ctx.intervalRootSamples, ctx.intervalRootWallSamples,
                        nodes, samples, wall, count));
            }
            st.touched.clear();
            ctx.intervalSamples = 0;
            ctx.intervalRootSamples = 0;
            ctx.intervalRootWallSamples = 0;
        }
        return slices;
    }

    /** Moves call counts from the application threads' trees to the ledger; forgets ended threads. */
    public void syncCalls(EnergyLedger ledger) {
        // A thread may have started, called and ended since the last tick (at stop, say): its calls count too.
        adoptNewThreads();
        for (Iterator<ThreadContext> it = contexts.iterator(); it.hasNext(); ) {
            ThreadContext ctx = it.next();
            sync(ledger, ctx.root);
            sync(ledger, ctx.otherPaths);
            if (((ThreadState) ctx.ledgerState).ended || !ctx.thread.isAlive()) {
                retiredPathsOverCap += ctx.pathsOverCap;
                retiredBeyondDepth += ctx.callsBeyondDepth;
                EnergyBridge.forget(ctx);
                it.remove();
            }
        }
    }

    private void sync(EnergyLedger ledger, PathNode node) {
        if (node.methodId != 0) {
            long calls = node.calls;
            long delta = calls - node.reportedCalls;
            if (delta > 0) {
                ledger.addCalls(resolve(ledger, node), delta);
                node.reportedCalls = calls;
            }
        }
        for (PathNode child : node.children()) {
            sync(ledger, child);
        }
    }

    /** Threads that have run instrumented code since the start, ended ones included. */
    public int threadsSeen() {
        return threadsSeen;
    }

    /** Total paths and calls the application threads could not keep (caps), for the health report. */
    public long[] overCap() {
        long paths = retiredPathsOverCap;
        long depth = retiredBeyondDepth;
        for (ThreadContext c : contexts) {
            paths += c.pathsOverCap;
            depth += c.callsBeyondDepth;
        }
        return new long[]{paths, depth};
    }

    static LedgerNode resolve(EnergyLedger ledger, PathNode p) {
        Object cached = p.ledgerNode;
        if (cached instanceof LedgerNode l) {
            return l;
        }
        LedgerNode made;
        if (p.methodId == EnergyBridge.OTHER_PATHS_ID) {
            made = ledger.child(ledger.root(), LedgerNode.OTHER_PATHS);
        } else {
            LedgerNode parent = p.parent == null || p.parent.methodId == 0 ? ledger.root() : resolve(ledger, p.parent);
            made = ledger.child(parent, p.methodId);
        }
        p.ledgerNode = made;
        return made;
    }
}

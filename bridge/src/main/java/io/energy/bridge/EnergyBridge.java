package io.energy.bridge;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The only agent code that instrumented methods call. It lives on the bootstrap class path so that
 * inlined advice resolves it from any class loader, and it uses nothing but the JDK.
 *
 * <p>The hot path is {@link #enter(int)} and {@link #exit(PathNode)}: one per-thread slot lookup, a
 * cached child lookup, a counter increment and a release store, all small enough to be inlined. No allocation after a path's first
 * call, no lock, no clock read: the time base is {@link #tick}, published by the collector.
 */
public final class EnergyBridge {
    /** Method id of the per-thread node that collects paths beyond the cap. */
    public static final int OTHER_PATHS_ID = -1;

    /** Coarse clock: incremented by the collector once per sample period. */
    public static volatile int tick;

    private static volatile boolean enabled;
    private static volatile int maxDepth = 256;
    private static volatile int maxNodesPerThread = 20_000;
    private static volatile int longCallTicks;
    private static volatile LongCallSink longCallSink;
    /** Slots of the per-thread table, by thread id: a power of two. */
    static final int SLOTS = 1024;
    private static final int SLOT_MASK = SLOTS - 1;
    /** Stands in every empty slot: its thread is null, so no thread takes it for its own. */
    private static final ThreadContext NO_CONTEXT = new ThreadContext();
    /** This generation's contexts by thread id (a cache in front of {@link #contexts}). */
    private static volatile ThreadContext[] byThread = emptySlots();
    private static volatile ThreadLocal<ThreadContext> contexts = newContexts(byThread);

    /**
     * Throwables the bridge swallowed on application threads (issue 14): the host never sees them, the health
     * report does. Touched only on the failure path, so the hot path pays nothing for it.
     */
    private static final AtomicLong SWALLOWED = new AtomicLong();

    /** Contexts created since the collector last looked; it moves them to its own list. */
    private static final ConcurrentLinkedQueue<ThreadContext> NEW_CONTEXTS = new ConcurrentLinkedQueue<>();

    private EnergyBridge() {
    }

    /**
     * Called first thing in every instrumented method. Never throws: the woven code has no handler for
     * it, and the host's call must run as if we were not here (a failure leaves the path where it was).
     *
     * <p>Every method on the way to a path's repeat call is at most 35 bytes of bytecode (HotSpot's
     * {@code MaxInlineSize}): C2, at hot and cold call sites alike, inlines the whole fast path (thread slot,
     * cached child, count) into the woven method; first calls, misses and caps go out of line ({@link #contextMiss},
     * {@code ThreadContext.enterMiss}). C1 calls it (see {@link #exit}). {@code BridgeFastPathSizeTest} holds the
     * sizes and the C1 rule.
     *
     * @return the path to restore on exit, or null when not recording
     */
    public static PathNode enter(int methodId) {
        try {
            if (enabled) {
                // Locals for C1's sake (see exit): C1 calls enter instead of inlining it; C2 inlines it.
                Thread t = Thread.currentThread();
                int id = methodId;
                ThreadContext c = context(t);
                return c.enter(id);
            }
            return null;
        } catch (Throwable e) {
            return swallowedNull();
        }
    }

    /**
     * Called before every return and on every throwable leaving an instrumented method. Never throws. The
     * long-call check (on by default: {@code long.call=20ms}) is a compare in {@code ThreadContext.exitTo}; only a
     * call that ran that long goes out of line ({@link #longCall}).
     */
    public static void exit(PathNode previous) {
        try {
            if (previous != null) {
                // The locals are on purpose: C1 inlines no callee whose stack plus locals beyond its parameters
                // exceed C1InlineStackLimit (5). Inlined by C1 into every woven method (and exit at every return)
                // the bridge raised C1's compile time by half on org.h2.** (0.85 s to 1.2 s of CPU) for code that C2
                // replaces within seconds; C2, which has no such rule, inlines both (docs/design.md).
                ThreadContext ctx = previous.owner;
                int threshold = longCallTicks;
                PathNode p = previous;
                ctx.exitTo(p, threshold);
            }
        } catch (Throwable ignored) {
            // Nothing can be done on the application's thread; the collector still sees a consistent tree.
            swallowed();
        }
    }

    /** A call that ran at least the threshold: reported unless it was a call past a cap (the path did not move). */
    static void longCall(PathNode cur, PathNode previous) {
        if (cur != previous) {
            reportLongCall(cur, tick - cur.enterTick);
        }
    }

    /**
     * This thread's context: its slot in {@link #byThread} (by thread id), checked to be this thread's; else
     * the thread-local, which then fills the slot. A {@code ThreadLocal.get} is 38 bytes and its map lookup 42,
     * over the inlining limit; this is one array load and one compare. The thread comes in as an argument: C1
     * inlines only callees whose stack and locals beyond their parameters fit in {@code C1InlineStackLimit} (5).
     */
    static ThreadContext context(Thread t) {
        ThreadContext c = byThread[(int) t.getId() & SLOT_MASK];
        if (c.thread == t) {
            return c;
        }
        return contextMiss(t);
    }

    private static ThreadContext contextMiss(Thread t) {
        ThreadContext c = contexts.get();
        // Into the table of the context's own generation: a context from before start() never lands in the
        // table of the session that start() began. Two live threads whose ids share a slot take turns in it.
        c.slots[(int) t.getId() & SLOT_MASK] = c;
        return c;
    }

    /**
     * The collector forgets a context whose thread ended: its slot is cleared, so that the table does not keep a
     * dead thread's call tree alive. Only the collector calls this, after the owner thread has ended.
     */
    public static void forget(ThreadContext ctx) {
        // Its tree is dropped with it: its nodes go back to its generation's budget (once: the collector
        // forgets a context once, and takes it off its list).
        ctx.budget.release(ctx.nodeCount);
        Thread t = ctx.thread;
        if (t != null) {
            int slot = (int) t.getId() & SLOT_MASK;
            if (ctx.slots[slot] == ctx) {
                ctx.slots[slot] = NO_CONTEXT;
            }
        }
    }

    private static void reportLongCall(PathNode node, int ticks) {
        LongCallSink sink = longCallSink;
        if (sink != null) {
            try {
                sink.longCall(node, ticks);
            } catch (Throwable ignored) {
                // The host's call must complete as if we were not here.
                swallowed();
            }
        }
    }

    private static PathNode swallowedNull() {
        swallowed();
        return null;
    }

    private static void swallowed() {
        try {
            SWALLOWED.incrementAndGet();
        } catch (Throwable ignored) {
            // Even counting must not reach the host (a StackOverflowError can strike here too).
        }
    }

    /** Throwables swallowed on application threads since the JVM started, for the health report. */
    public static long swallowedErrors() {
        return SWALLOWED.get();
    }

    private static ThreadContext[] emptySlots() {
        ThreadContext[] slots = new ThreadContext[SLOTS];
        java.util.Arrays.fill(slots, NO_CONTEXT);
        return slots;
    }

    private static ThreadLocal<ThreadContext> newContexts(ThreadContext[] slots) {
        NodeBudget budget = NodeBudget.forPerThreadCap(maxNodesPerThread);
        return ThreadLocal.withInitial(() -> {
            ThreadContext ctx = new ThreadContext(Thread.currentThread(), maxDepth, maxNodesPerThread, slots, budget);
            NEW_CONTEXTS.add(ctx);
            return ctx;
        });
    }

    /** Starts a fresh generation: contexts made before this call are no longer handed out. */
    public static synchronized void start(int depthCap, int nodesPerThread, int longCallThresholdTicks,
                                          LongCallSink sink) {
        enabled = false;
        maxDepth = depthCap;
        maxNodesPerThread = nodesPerThread;
        longCallTicks = longCallThresholdTicks;
        longCallSink = sink;
        NEW_CONTEXTS.clear();
        ThreadContext[] slots = emptySlots();
        contexts = newContexts(slots);
        byThread = slots;
        enabled = true;
    }

    /** Stops recording. Calls in flight still find their way out: exit only restores a pointer. */
    public static synchronized void stop() {
        enabled = false;
        longCallTicks = 0;
        longCallSink = null;
    }

    public static boolean enabled() {
        return enabled;
    }

    public static void setLongCall(int thresholdTicks, LongCallSink sink) {
        longCallSink = sink;
        longCallTicks = thresholdTicks;
    }

    /** Hands the collector the contexts created since its last call. */
    public static ThreadContext pollNewContext() {
        return NEW_CONTEXTS.poll();
    }
}

package io.energy.bridge;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The only agent code that instrumented methods call. It lives on the bootstrap class path so that
 * inlined advice resolves it from any class loader, and it uses nothing but the JDK.
 *
 * <p>The hot path is {@link #enter(int)} and {@link #exit(PathNode)}: one thread-local lookup, a
 * cached child lookup, a counter increment and a release store. No allocation after a path's first
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
    private static volatile ThreadLocal<ThreadContext> contexts = newContexts();

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
     * @return the path to restore on exit, or null when not recording
     */
    public static PathNode enter(int methodId) {
        if (!enabled) {
            return null;
        }
        try {
            ThreadContext ctx = contexts.get();
            PathNode cur = ctx.currentPlain();
            PathNode child = cur.lastChildId == methodId ? cur.lastChild : cur.childFor(methodId);
            if (child == cur) {
                // Beyond the depth cap (counted; the path stays where it is), or nested inside the
                // "(other paths)" node, whose calls the path cap already counts.
                if (cur != ctx.otherPaths) {
                    ctx.callsBeyondDepth++;
                }
                return cur;
            }
            child.calls++;
            child.enterTick = tick;
            ctx.moveTo(child);
            return cur;
        } catch (Throwable t) {
            swallowed();
            return null;
        }
    }

    /** Called before every return and on every throwable leaving an instrumented method. Never throws. */
    public static void exit(PathNode previous) {
        if (previous == null) {
            return;
        }
        try {
            ThreadContext ctx = previous.owner;
            int threshold = longCallTicks;
            if (threshold > 0) {
                PathNode cur = ctx.currentPlain();
                int ran = tick - cur.enterTick;
                if (ran >= threshold && cur != previous) {
                    reportLongCall(cur, ran);
                }
            }
            ctx.moveTo(previous);
        } catch (Throwable ignored) {
            // Nothing can be done on the application's thread; the collector still sees a consistent tree.
            swallowed();
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

    private static ThreadLocal<ThreadContext> newContexts() {
        return ThreadLocal.withInitial(() -> {
            ThreadContext ctx = new ThreadContext(Thread.currentThread(), maxDepth, maxNodesPerThread);
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
        contexts = newContexts();
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

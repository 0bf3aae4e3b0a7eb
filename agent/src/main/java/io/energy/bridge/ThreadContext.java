package io.energy.bridge;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Per-thread state of the shadow stack: a pointer into the thread's own call tree.
 *
 * <p>Entering an instrumented method moves {@code current} to a child node and leaving moves it back.
 * The collector reads {@code current} at every tick and so knows exactly which instrumented call path
 * the thread is in, without stopping it and without safepoint bias.
 */
public final class ThreadContext {
    private static final VarHandle CURRENT;

    static {
        try {
            CURRENT = MethodHandles.lookup().findVarHandle(ThreadContext.class, "current", PathNode.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    public final Thread thread;
    public final long threadId;
    public final PathNode root;
    /** Collapses every call path beyond the per-thread cap; counted, never silently dropped. */
    public final PathNode otherPaths;
    final int maxDepth;
    final int maxNodes;
    /** The per-thread table of this context's generation ({@code EnergyBridge.byThread} when it was made). */
    final ThreadContext[] slots;
    PathNode current;
    int nodeCount;

    // Written by the owner thread, read (possibly a little stale) by the collector.
    public volatile long pathsOverCap;
    public long callsBeyondDepth;

    // Written by the collector only.
    public int intervalSamples;
    public int intervalRootSamples;
    public int intervalRootWallSamples;
    public long lastCpuNanos = -1;
    public Object ledgerState;

    /** The empty slot's stand-in: no thread, no tree of its own to speak of; never handed to a thread. */
    ThreadContext() {
        this.thread = null;
        this.threadId = -1;
        this.root = new PathNode(0, null, this, 0);
        this.otherPaths = root;
        this.maxDepth = 0;
        this.maxNodes = 0;
        this.slots = new ThreadContext[0];
        this.current = root;
    }

    ThreadContext(Thread thread, int maxDepth, int maxNodes, ThreadContext[] slots) {
        this.slots = slots;
        this.thread = thread;
        this.threadId = thread.getId();
        this.root = new PathNode(0, null, this, 0);
        this.otherPaths = new PathNode(EnergyBridge.OTHER_PATHS_ID, root, this, 1);
        this.maxDepth = maxDepth;
        this.maxNodes = maxNodes;
        this.current = root;
    }

    /** Where the thread is now, as the collector sees it. */
    public PathNode current() {
        return (PathNode) CURRENT.getAcquire(this);
    }

    PathNode currentPlain() {
        return current;
    }

    /**
     * The fast path of {@code EnergyBridge.enter}: the path's cached child for this id, counted and made current.
     * At most 35 bytes of bytecode, like everything it calls, so that C2 inlines it even where the call is not hot.
     */
    PathNode enter(int id) {
        PathNode cur = current;
        PathNode child = cur.cached(id);
        if (child.methodId == id) {
            return child.entered(cur);
        }
        return enterMiss(cur, id);
    }

    /** A first call on this path, a call past a cap, or a different child than last time. */
    private PathNode enterMiss(PathNode cur, int id) {
        PathNode child = cur.childFor(id);
        if (child == cur) {
            // Beyond the depth cap (counted; the path stays where it is), or nested inside the
            // "(other paths)" node, whose calls the path cap already counts.
            if (cur != otherPaths) {
                callsBeyondDepth++;
            }
            return cur;
        }
        return child.entered(cur);
    }

    void moveTo(PathNode node) {
        // A release store keeps the JIT from folding an enter/exit pair away inside a hot loop,
        // and costs a plain move on x86.
        CURRENT.setRelease(this, node);
    }

    PathNode newChild(PathNode parent, int id) {
        if (maxNodes < 0) {
            // Only the fault-injection tests set a negative cap: they prove that a throwable raised inside
            // the advice never reaches the application.
            throw new IllegalStateException("injected fault in the bridge");
        }
        if (parent.depth >= maxDepth) {
            return parent; // counted by EnergyBridge.enter, which sees every such call
        }
        if (nodeCount >= maxNodes || parent == otherPaths) {
            pathsOverCap++;
            return otherPaths;
        }
        nodeCount++;
        return new PathNode(id, parent, this, parent.depth + 1);
    }

    public int nodeCount() {
        return nodeCount;
    }
}

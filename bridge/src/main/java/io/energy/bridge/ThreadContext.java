package io.energy.bridge;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Per-thread state of the shadow stack: a pointer into the thread's own call tree.
 *
 * <p>Entering an instrumented method moves {@code at} to a child node and leaving moves it back.
 * The collector reads it ({@link #current()}) at every tick and so knows exactly which instrumented call path
 * the thread is in, without stopping it and without safepoint bias.
 */
public final class ThreadContext {
    private static final VarHandle AT;
    private static final VarHandle NODES;

    static {
        try {
            AT = MethodHandles.lookup().findVarHandle(ThreadContext.class, "at", int.class);
            NODES = MethodHandles.lookup().findVarHandle(ThreadContext.class, "nodes", PathNode[].class);
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
    /** The nodes this generation's threads may hold together; this thread's are given back when it is forgotten. */
    final NodeBudget budget;
    /**
     * Where the thread is: the index of its current path in {@link #nodes}. An int, not the node itself: storing a
     * reference into this long-lived object runs G1's post-write barrier, whose StoreLoad fence was the largest
     * single cost of a woven call in H2 (docs/design.md, "What a woven call costs in real code").
     */
    int at;
    /** This thread's paths by {@link PathNode#index}; grown (and republished) by the owner only. */
    PathNode[] nodes;
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
        this.root = new PathNode(0, null, this, 0, 0);
        this.otherPaths = root;
        this.maxDepth = 0;
        this.maxNodes = 0;
        this.slots = new ThreadContext[0];
        this.budget = new NodeBudget(0);
        this.nodes = new PathNode[]{root};
    }

    ThreadContext(Thread thread, int maxDepth, int maxNodes, ThreadContext[] slots, NodeBudget budget) {
        this.slots = slots;
        this.budget = budget;
        this.thread = thread;
        this.threadId = thread.getId();
        this.root = new PathNode(0, null, this, 0, 0);
        this.otherPaths = new PathNode(EnergyBridge.OTHER_PATHS_ID, root, this, 1, 1);
        this.maxDepth = maxDepth;
        this.maxNodes = maxNodes;
        this.nodes = new PathNode[16];
        nodes[0] = root;
        nodes[1] = otherPaths;
    }

    /** Where the thread is now, as the collector sees it. */
    public PathNode current() {
        int i = (int) AT.getAcquire(this);
        // The owner publishes a grown table before it moves to an index in it: acquiring the index first, the
        // table read after it holds the node.
        PathNode[] n = (PathNode[]) NODES.getAcquire(this);
        return i < n.length && n[i] != null ? n[i] : root;
    }

    /** The owner's own view of where it is. */
    PathNode here() {
        return nodes[at];
    }

    /**
     * The fast path of {@code EnergyBridge.enter}: the path's cached child for this id, counted and made current.
     * At most 35 bytes of bytecode, like everything it calls, so that C2 inlines it even where the call is not hot.
     */
    PathNode enter(int id) {
        PathNode cur = here();
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
            // Nested inside "(other paths)": a call of it too (the path stays where it is), so that every call is
            // counted once, as a call of its path or of "(other paths)". Or beyond the depth cap: counted apart.
            if (cur == otherPaths) {
                cur.calls++;
            } else {
                callsBeyondDepth++;
            }
            return cur;
        }
        return child.entered(cur);
    }

    /** The fast path of {@code EnergyBridge.exit}: back to {@code previous}, a long call reported on the way. */
    void exitTo(PathNode previous, int threshold) {
        if (threshold > 0) {
            PathNode cur = here();
            if (EnergyBridge.tick - cur.enterTick >= threshold) {
                EnergyBridge.longCall(cur, previous);
            }
        }
        moveTo(previous);
    }

    void moveTo(PathNode node) {
        // A release store keeps the JIT from folding an enter/exit pair away inside a hot loop,
        // and costs a plain move on x86.
        AT.setRelease(this, node.index);
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
        if (nodeCount >= maxNodes || parent == otherPaths || !budget.take()) {
            pathsOverCap++;
            return otherPaths;
        }
        int index = nodeCount + 2;
        PathNode made = new PathNode(id, parent, this, parent.depth + 1, index);
        PathNode[] n = nodes;
        if (index >= n.length) {
            n = java.util.Arrays.copyOf(n, Math.max(16, Math.min(2 * n.length, maxNodes + 2)));
        }
        n[index] = made;
        NODES.setRelease(this, n); // before the owner moves to the new index
        nodeCount++;
        return made;
    }

    public int nodeCount() {
        return nodeCount;
    }
}

package io.energy.bridge;

/**
 * One call path of one thread: a node of that thread's call tree, keyed by method id under its parent.
 *
 * <p>The owning application thread is the only writer of {@link #calls}, {@link #enterTick} and the
 * child table. The collector is the only writer of {@link #intervalSamples}, {@link #intervalWallSamples},
 * {@link #reportedCalls} and {@link #ledgerNode}.
 * Nothing here is locked: the collector tolerates a slightly stale call count, never a torn tree,
 * because children are published with a release store after they are fully built.
 */
public final class PathNode {
    /** Method id from the agent's registry; 0 for a thread's root (no instrumented frame active). */
    public final int methodId;
    public final PathNode parent;
    public final ThreadContext owner;
    public final int depth;
    /** Its place in the owner's {@code ThreadContext.nodes}: the thread's position is stored as this int. */
    final int index;

    // Written by the owner thread only.
    public long calls;
    public int enterTick;
    /**
     * The owner thread's lookup of children by method id: {@code slots[id & mask]}, a power of two long, at least
     * twice the children up to {@link #MAX_SLOTS}. A cache only ({@link #children} is the truth): a slot holds
     * the last child looked up there, or {@link #NO_CHILD}. It replaced a one-entry cache (the last child) that
     * missed on 70% of the calls in H2, where a method calls several others in turn (docs/design.md).
     */
    PathNode[] slots = NO_SLOTS;
    int mask;
    volatile PathNode[] children = EMPTY;

    // Written by the collector only.
    /** Samples in the current interval that found the thread running on a CPU here. */
    public int intervalSamples;
    /** Samples in the current interval that found the thread here, running or not. */
    public int intervalWallSamples;
    public long reportedCalls;
    public Object ledgerNode;

    private static final PathNode[] EMPTY = new PathNode[0];
    /** Stands in every empty slot: no method has this id. */
    private static final PathNode NO_CHILD = new PathNode(Integer.MIN_VALUE, null, null, 0, 0);
    private static final PathNode[] NO_SLOTS = {NO_CHILD};
    /** The most slots a node's lookup grows to; past it, children that share a slot take turns in it. */
    static final int MAX_SLOTS = 64;

    PathNode(int methodId, PathNode parent, ThreadContext owner, int depth, int index) {
        this.index = index;
        this.methodId = methodId;
        this.parent = parent;
        this.owner = owner;
        this.depth = depth;
    }

    /** The child cached for {@code id}, or another child or {@link #NO_CHILD}: the caller checks the id. */
    PathNode cached(int id) {
        return slots[id & mask];
    }

    /** Counted as entered and made its thread's current path; returns {@code from}, the path to go back to. */
    PathNode entered(PathNode from) {
        calls++;
        enterTick = EnergyBridge.tick;
        owner.moveTo(this);
        return from;
    }

    /**
     * The child for {@code id}, created on first use, and cached in {@link #slots}; only the owner thread calls
     * this. A child that is this node itself (beyond the depth cap, or inside "(other paths)") is never cached:
     * the enter fast path counts and moves to a cached child without looking, and such calls must come here.
     */
    PathNode childFor(int id) {
        PathNode[] kids = children;
        for (PathNode k : kids) {
            if (k.methodId == id) {
                cache(id, k);
                return k;
            }
        }
        PathNode made = owner.newChild(this, id);
        // "(other paths)" is the owner's own node, never a child in any table: under the root it used to be
        // appended again on every miss past the cap (issue 14: 102 002 root children after 82 000 calls, and
        // every later lookup scanning them). The collector reaches it through ThreadContext.otherPaths.
        if (made.parent == this && made != owner.otherPaths) {
            PathNode[] grown = java.util.Arrays.copyOf(kids, kids.length + 1);
            grown[kids.length] = made;
            children = grown; // volatile store publishes the fully built node to the collector
        }
        if (made != this) {
            cache(id, made);
        }
        return made;
    }

    private void cache(int id, PathNode child) {
        PathNode[] kids = children;
        int want = slots.length;
        while (want < MAX_SLOTS && want < 2 * (kids.length + 1)) {
            want <<= 1;
        }
        if (want != slots.length) {
            PathNode[] grown = new PathNode[want];
            java.util.Arrays.fill(grown, NO_CHILD);
            for (PathNode k : kids) {
                grown[k.methodId & (want - 1)] = k;
            }
            slots = grown;
            mask = want - 1;
        }
        slots[id & mask] = child;
    }

    /** A snapshot of the children for the collector. */
    public PathNode[] children() {
        return children;
    }
}

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

    // Written by the owner thread only.
    public long calls;
    public int enterTick;
    int lastChildId = -1;
    PathNode lastChild;
    volatile PathNode[] children = EMPTY;

    // Written by the collector only.
    /** Samples in the current interval that found the thread running on a CPU here. */
    public int intervalSamples;
    /** Samples in the current interval that found the thread here, running or not. */
    public int intervalWallSamples;
    public long reportedCalls;
    public Object ledgerNode;

    private static final PathNode[] EMPTY = new PathNode[0];

    PathNode(int methodId, PathNode parent, ThreadContext owner, int depth) {
        this.methodId = methodId;
        this.parent = parent;
        this.owner = owner;
        this.depth = depth;
    }

    /** The child for {@code id}, created on first use; only the owner thread calls this. */
    PathNode childFor(int id) {
        PathNode[] kids = children;
        for (PathNode k : kids) {
            if (k.methodId == id) {
                lastChildId = id;
                lastChild = k;
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
        lastChildId = id;
        lastChild = made;
        return made;
    }

    /** A snapshot of the children for the collector. */
    public PathNode[] children() {
        return children;
    }
}

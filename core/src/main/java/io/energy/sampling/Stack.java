package io.energy.sampling;

/**
 * One distinct sampled stack, outermost frame first, as frame ids of the method registry. Made once per
 * distinct stack and reused by every harvest that sees it again, so the ledger can cache the call path it
 * resolved ({@link #ledgerLeaf}) and a repeated stack costs a map look-up, not a walk of the tree.
 */
public final class Stack {
    public final ThreadKind kind;
    /** Frame ids, outermost first; empty for stacks that are not an application's call path. */
    public final int[] frames;
    /** Cache for the ledger's node of this stack; only the collector thread touches it. */
    public Object ledgerLeaf;

    public Stack(ThreadKind kind, int[] frames) {
        this.kind = kind;
        this.frames = frames;
    }
}

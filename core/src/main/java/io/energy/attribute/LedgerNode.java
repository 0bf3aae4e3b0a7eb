package io.energy.attribute;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * One call path in the merged (all threads) call tree of the ledger, or one of the ledger's buckets.
 * Only the collector thread changes it.
 */
public final class LedgerNode {
    /** Ids below zero are buckets, not methods. */
    public static final int ROOT = 0;
    public static final int OTHER_PATHS = -1;
    public static final int UNINSTRUMENTED = -2;
    public static final int OTHER_PROCESSES = -3;
    public static final int STATIC_IDLE = -4;
    public static final int AGENT = -5;
    public static final int LOST = -6;
    /** CPU energy of the JVM's garbage collection (sampled stacks of GC work). */
    public static final int GC = -7;
    /** CPU energy of the JIT compilers. */
    public static final int JIT = -8;
    /** CPU energy of other JVM-internal and native threads. */
    public static final int VM = -9;
    /** GPU energy while no method in the GPU scope was running (or none is instrumented). */
    public static final int GPU_UNSCOPED = -10;

    public final int methodId;
    public final LedgerNode parent;
    final Map<Integer, LedgerNode> children = new HashMap<>();
    /** Energy that landed on this path itself (not its callees), per domain, in nanojoules. */
    public final long[] selfNanoJoules;
    /** Variance of {@link #selfNanoJoules}, per domain, in nJ². */
    public final double[] selfVariance;
    /**
     * Variance of this path's inclusive energy (itself and its callees), per domain, in nJ², kept by the
     * ledger with a stack sampler: there a callee's share and its caller's come from the same samples, so the
     * caller's bound is found from the samples that passed through it, not from its callees' bounds added
     * up (callees that take turns on one thread are anti-correlated, and their sum is far steadier than
     * each of them).
     */
    public final double[] inclusiveVariance;
    public long calls;
    public long samples;
    public long wallNanos;
    public long cpuNanos;
    /** Cached: is this path inside the configured GPU scope? 0 unknown, 1 yes, -1 no. */
    byte gpuScope;

    LedgerNode(int methodId, LedgerNode parent, int domains) {
        this.methodId = methodId;
        this.parent = parent;
        this.selfNanoJoules = new long[domains];
        this.selfVariance = new double[domains];
        this.inclusiveVariance = new double[domains];
    }

    public Collection<LedgerNode> children() {
        return children.values();
    }

    public boolean isBucket() {
        return methodId < 0;
    }

    public int depth() {
        int d = 0;
        for (LedgerNode n = parent; n != null; n = n.parent) {
            d++;
        }
        return d;
    }
}

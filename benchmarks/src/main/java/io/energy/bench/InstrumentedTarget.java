package io.energy.bench;

/**
 * The same code as {@link PlainTarget}, in a class that the benchmarks' include pattern
 * {@code io.energy.bench.Instrumented*} names: under the agent, every call here goes through the inlined
 * advice, so the difference to {@link PlainTarget} is the cost of one instrumented call.
 */
public final class InstrumentedTarget {
    private InstrumentedTarget() {
    }

    public static void empty() {
    }

    /** A few dependent integer operations: enough that the call does something, too little to hide a cost. */
    public static int small(int x) {
        int h = x * 0x9E3779B1;
        h ^= h >>> 15;
        return h + 7;
    }
}

package io.energy.bench;

/**
 * The methods whose calls are measured, left alone by the agent (its class name does not match the
 * benchmarks' include pattern {@code io.energy.bench.Instrumented*}). The same code as
 * {@link InstrumentedTarget}, so the difference between the two is the instrumentation.
 */
public final class PlainTarget {
    private PlainTarget() {
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

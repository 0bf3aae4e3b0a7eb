package io.energy.it.apps.truth;

import io.energy.it.apps.Truth;

/**
 * Case (f): tiny methods that the JIT inlines into their callers' loops ({@link #mix} and {@link #step},
 * a few arithmetic operations each). Each loop does nothing but call its tiny method eight times per
 * iteration on a dependency chain, so the loop's CPU time is the tiny method's; the loops run in a 2:1 CPU
 * ratio. A sampler that sees only safepoints or only un-inlined frames misplaces this time.
 */
public final class Inlined {
    private static volatile long sink;

    private Inlined() {
    }

    public static void main(String[] args) throws Exception {
        Truth.start();
        long deadline = Truth.deadline(args);
        while (System.nanoTime() < deadline) {
            mixLoop(Truth.vary(2_000_000L));
            stepLoop(Truth.vary(1_000_000L));
        }
        Truth.finish(args[0]);
    }

    static void mixLoop(long cpuNanos) {
        long c0 = Truth.cpu();
        long x = c0 | 1;
        do {
            for (int i = 0; i < 4096; i++) {
                x = mix(mix(mix(mix(mix(mix(mix(mix(x))))))));
            }
        } while (Truth.cpu() - c0 < cpuNanos);
        sink += x;
        long used = Truth.cpu() - c0;
        Truth.add("Inlined.mixLoop", used);
        Truth.add("Inlined.mix", used);
    }

    static void stepLoop(long cpuNanos) {
        long c0 = Truth.cpu();
        long x = c0 | 1;
        do {
            for (int i = 0; i < 4096; i++) {
                x = step(step(step(step(step(step(step(step(x))))))));
            }
        } while (Truth.cpu() - c0 < cpuNanos);
        sink += x;
        long used = Truth.cpu() - c0;
        Truth.add("Inlined.stepLoop", used);
        Truth.add("Inlined.step", used);
    }

    /** A 64-bit finalizer step: tiny, inlined. */
    static long mix(long x) {
        x ^= x >>> 33;
        x *= 0xff51afd7ed558ccdL;
        return x ^ (x >>> 29);
    }

    /** A xorshift step: tiny, inlined. */
    static long step(long x) {
        x ^= x << 13;
        x ^= x >>> 7;
        return x ^ (x << 17);
    }
}

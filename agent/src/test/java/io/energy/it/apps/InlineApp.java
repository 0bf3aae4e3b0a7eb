package io.energy.it.apps;

/**
 * A woven small method in a hot loop, for the JIT's own inlining log (InliningIT): does the woven method still
 * inline into its caller, and do the bridge's enter and exit inline into it? The same as the benchmarks'
 * {@code InlineCheck}, here so that a forked-JVM test can read the log.
 */
public final class InlineApp {
    private InlineApp() {
    }

    public static void main(String[] args) {
        long s = 0;
        for (int r = 0; r < 300; r++) {
            s += caller(r);
        }
        System.out.println("inline check " + s);
    }

    static long caller(int r) {
        long s = 0;
        for (int i = 0; i < 100_000; i++) {
            s += InlineTarget.small(i + r);
        }
        return s;
    }
}

/** Not trivial (it makes a call), so woven by default; small enough that C2 inlines it when plain. */
final class InlineTarget {
    private InlineTarget() {
    }

    static int small(int x) {
        return Integer.rotateLeft(x, 5) ^ x;
    }
}

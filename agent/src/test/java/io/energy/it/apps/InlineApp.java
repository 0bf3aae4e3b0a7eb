package io.energy.it.apps;

/**
 * A woven small method in a hot loop, for the JIT's own inlining log: does the woven method still inline into its
 * caller, and do the bridge's enter and exit inline into it? {@code InliningIT} reads the log; by hand:
 *
 * <pre>
 * java -XX:+UnlockDiagnosticVMOptions -XX:+PrintInlining \
 *      -javaagent:agent/target/energy.jar=include=io.energy.it.apps.InlineTarget,overhead=off \
 *      -cp agent/target/test-classes io.energy.it.apps.InlineApp | grep -E 'InlineTarget|EnergyBridge'
 * </pre>
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

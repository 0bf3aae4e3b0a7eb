package io.energy.instrument.shapes;

/** Methods trivial and not, compiled by javac like any application class, for the weaver's skip rule. */
public class Shapes {
    private int value;
    private Object current;
    private Object group;

    public int getValue() {
        return value;
    }

    public void setValue(int v) {
        value = v;
    }

    public static int answer() {
        return 42;
    }

    /** Two field reads and a compare: what H2's SelectGroups.isCurrentGroup looks like. */
    public boolean isCurrent() {
        return current == group;
    }

    public int sum(int[] xs) {
        int s = 0;
        for (int x : xs) {
            s += x;
        }
        return s;
    }

    /** A loop in a few bytes: it can run for any length of time, so it is woven. */
    public static int spin(int n) {
        while (n > 0) {
            n--;
        }
        return n;
    }

    /** Short, no loop, but a call: its callee may run long, so it is woven. */
    public int twice() {
        return 2 * getValue();
    }

    /** No call and no loop, but longer than 35 bytes of bytecode: woven. */
    public static long mix(long a, long b, long c) {
        long x = a * 31 + b;
        x ^= x >>> 17;
        x *= 0x9E3779B97F4A7C15L;
        x += c * 7 - (a ^ b);
        x ^= x << 13;
        return x + (c >>> 3) - (a & b);
    }

    /** A monitor can block for any length of time: woven. */
    public int locked() {
        synchronized (this) {
            return value;
        }
    }
}

package io.energy.bench;

/**
 * Twenty instrumented methods that call each other through {@link PathDispatch} (not instrumented) in
 * any order a path array names, so a program can create exactly as many distinct call paths as it wants:
 * the path {@code [3, 7]} is {@code m03 → m07}. Generated shape, written out so that every method is an
 * ordinary, separately compiled method the agent instruments like any other.
 */
public final class InstrumentedPaths {
    public static final int METHODS = 20;

    private InstrumentedPaths() {
    }

    /** The one-method path used to count calls: a tiny body whose result is used. */
    public static int leaf(int x) {
        return x * 31 + 1;
    }

    public static int m00(int[] path, int level) {
        return PathDispatch.next(path, level + 1) + 0;
    }

    public static int m01(int[] path, int level) {
        return PathDispatch.next(path, level + 1) + 1;
    }

    public static int m02(int[] path, int level) {
        return PathDispatch.next(path, level + 1) + 2;
    }

    public static int m03(int[] path, int level) {
        return PathDispatch.next(path, level + 1) + 3;
    }

    public static int m04(int[] path, int level) {
        return PathDispatch.next(path, level + 1) + 4;
    }

    public static int m05(int[] path, int level) {
        return PathDispatch.next(path, level + 1) + 5;
    }

    public static int m06(int[] path, int level) {
        return PathDispatch.next(path, level + 1) + 6;
    }

    public static int m07(int[] path, int level) {
        return PathDispatch.next(path, level + 1) + 7;
    }

    public static int m08(int[] path, int level) {
        return PathDispatch.next(path, level + 1) + 8;
    }

    public static int m09(int[] path, int level) {
        return PathDispatch.next(path, level + 1) + 9;
    }

    public static int m10(int[] path, int level) {
        return PathDispatch.next(path, level + 1) + 10;
    }

    public static int m11(int[] path, int level) {
        return PathDispatch.next(path, level + 1) + 11;
    }

    public static int m12(int[] path, int level) {
        return PathDispatch.next(path, level + 1) + 12;
    }

    public static int m13(int[] path, int level) {
        return PathDispatch.next(path, level + 1) + 13;
    }

    public static int m14(int[] path, int level) {
        return PathDispatch.next(path, level + 1) + 14;
    }

    public static int m15(int[] path, int level) {
        return PathDispatch.next(path, level + 1) + 15;
    }

    public static int m16(int[] path, int level) {
        return PathDispatch.next(path, level + 1) + 16;
    }

    public static int m17(int[] path, int level) {
        return PathDispatch.next(path, level + 1) + 17;
    }

    public static int m18(int[] path, int level) {
        return PathDispatch.next(path, level + 1) + 18;
    }

    public static int m19(int[] path, int level) {
        return PathDispatch.next(path, level + 1) + 19;
    }
}

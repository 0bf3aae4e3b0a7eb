package io.energy.bench;

/** Calls the method a path names at a level; its class name keeps it out of the benchmarks' include pattern. */
final class PathDispatch {
    private PathDispatch() {
    }

    static int next(int[] path, int level) {
        if (level >= path.length) {
            return 0;
        }
        return switch (path[level]) {
            case 0 -> InstrumentedPaths.m00(path, level);
            case 1 -> InstrumentedPaths.m01(path, level);
            case 2 -> InstrumentedPaths.m02(path, level);
            case 3 -> InstrumentedPaths.m03(path, level);
            case 4 -> InstrumentedPaths.m04(path, level);
            case 5 -> InstrumentedPaths.m05(path, level);
            case 6 -> InstrumentedPaths.m06(path, level);
            case 7 -> InstrumentedPaths.m07(path, level);
            case 8 -> InstrumentedPaths.m08(path, level);
            case 9 -> InstrumentedPaths.m09(path, level);
            case 10 -> InstrumentedPaths.m10(path, level);
            case 11 -> InstrumentedPaths.m11(path, level);
            case 12 -> InstrumentedPaths.m12(path, level);
            case 13 -> InstrumentedPaths.m13(path, level);
            case 14 -> InstrumentedPaths.m14(path, level);
            case 15 -> InstrumentedPaths.m15(path, level);
            case 16 -> InstrumentedPaths.m16(path, level);
            case 17 -> InstrumentedPaths.m17(path, level);
            case 18 -> InstrumentedPaths.m18(path, level);
            case 19 -> InstrumentedPaths.m19(path, level);
            default -> throw new IllegalArgumentException("no method " + path[level]);
        };
    }
}

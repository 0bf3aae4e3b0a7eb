package io.energy.it.apps.weave;

/** A class that {@link io.energy.it.apps.WeaveLoad} defines again and again, woven each time. */
public final class Target {
    private Target() {
    }

    public static long mix(long x) {
        long s = x;
        for (int i = 0; i < 4; i++) {
            s = Long.rotateLeft(s, 7) ^ (s >>> 3) + i;
        }
        return s;
    }

    public static long twice(long x) {
        return mix(mix(x));
    }

    public static String name(int n) {
        return n < 0 ? "negative" : Integer.toString(n, 16);
    }
}

package io.energy.it.apps.plugin;

/** A plugin class loaded by several class loaders in {@code PluginHost}. */
public final class Plugin {
    private Plugin() {
    }

    public static long run(int rounds) {
        long h = 7;
        for (int r = 0; r < rounds; r++) {
            h = step(h, r);
        }
        return h;
    }

    static long step(long h, int r) {
        for (int i = 0; i < 20_000; i++) {
            h = 31 * h + (i ^ r);
        }
        return h;
    }
}

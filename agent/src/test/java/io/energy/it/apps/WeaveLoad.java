package io.energy.it.apps;

import java.io.InputStream;

/**
 * Makes the agent weave one class thousands of times: each round defines {@code weave.Target} anew in a fresh
 * class loader, so the agent's transformer (ASM) runs once per round and gets as hot as it does in a large
 * application that loads thousands of included classes. {@code WeaverJitIT} reads the JIT's compiles of it.
 * Argument: rounds (default 3000).
 */
public final class WeaveLoad {
    private WeaveLoad() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        String name = "io.energy.it.apps.weave.Target";
        byte[] bytes;
        try (InputStream in = WeaveLoad.class.getResourceAsStream("/" + name.replace('.', '/') + ".class")) {
            bytes = in.readAllBytes();
        }
        long sum = 0;
        for (int r = 0; r < rounds; r++) {
            Class<?> c = new Definer(WeaveLoad.class.getClassLoader()).define(name, bytes);
            sum += (long) c.getMethod("twice", long.class).invoke(null, (long) r);
        }
        System.out.println("woven " + rounds + " times " + sum);
    }

    /** A loader of one class, defined from its bytes (so the transformer sees each definition). */
    static final class Definer extends ClassLoader {
        Definer(ClassLoader parent) {
            super(parent);
        }

        Class<?> define(String name, byte[] bytes) {
            return defineClass(name, bytes, 0, bytes.length);
        }
    }
}

package io.energy.it.apps;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Somebody else's agent, running beside ours, that really changes the application: it rewrites the
 * {@code "result "} text in {@link Workload}'s class file to {@code "RESULT "} (same length, so the constant
 * pool stays valid). The robustness suite checks that this change and our measurement both survive, in
 * either order of the two agents.
 */
public final class OtherAgent {
    private static final byte[] FROM = "result ".getBytes(StandardCharsets.UTF_8);
    private static final byte[] TO = "RESULT ".getBytes(StandardCharsets.UTF_8);
    private static final AtomicInteger CHANGED = new AtomicInteger();

    private OtherAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        inst.addTransformer(new ClassFileTransformer() {
            @Override
            public byte[] transform(ClassLoader loader, String name, Class<?> cls, ProtectionDomain pd, byte[] bytes) {
                if (!"io/energy/it/apps/Workload".equals(name)) {
                    return null;
                }
                byte[] out = bytes.clone();
                int n = 0;
                for (int i = 0; i + FROM.length <= out.length; i++) {
                    if (java.util.Arrays.equals(out, i, i + FROM.length, FROM, 0, FROM.length)) {
                        System.arraycopy(TO, 0, out, i, TO.length);
                        n++;
                    }
                }
                CHANGED.addAndGet(n);
                return n == 0 ? null : out;
            }
        }, true);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
                System.err.println("other agent rewrote constants: " + CHANGED.get())));
    }
}

package io.energy.it.apps;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.concurrent.atomic.AtomicInteger;

/** Somebody else's agent, running beside ours: it watches every class load and says how many it saw. */
public final class OtherAgent {
    private static final AtomicInteger SEEN = new AtomicInteger();

    private OtherAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        inst.addTransformer(new ClassFileTransformer() {
            @Override
            public byte[] transform(ClassLoader loader, String name, Class<?> cls, ProtectionDomain pd, byte[] bytes) {
                SEEN.incrementAndGet();
                return null;
            }
        }, true);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.err.println("other agent saw classes: " + (SEEN.get() > 0))));
    }
}

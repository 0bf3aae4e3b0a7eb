package io.energy.command;

import io.energy.session.AgentLog;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Puts the bridge classes into the bootstrap class loader, where inlined advice finds them from any
 * class loader. Defining them directly keeps class-data sharing on for the application's own classes:
 * appending a jar to the bootstrap search path makes HotSpot turn it off (and print a warning on the
 * application's stdout). Where direct definition is not possible, appending is the fallback.
 *
 * <p>The definition goes through the JDK's internal {@code Unsafe.defineClass}, reached by exporting its
 * package to this loader's module with {@link Instrumentation#redefineModule} and calling it by plain
 * reflection. Byte Buddy's class injector does the same but first generates a dispatcher class, which
 * costs a third of a second of start-up on a small machine: too much for a step every launch takes.
 */
public final class BridgeInstaller {
    /** Superinterfaces and field types first, so nothing is resolved before it is defined. */
    private static final String[] ORDER = {"io.energy.bridge.LongCallSink", "io.energy.bridge.PathNode",
            "io.energy.bridge.ThreadContext", "io.energy.bridge.EnergyBridge"};
    private static final String UNSAFE_PACKAGE = "jdk.internal.misc";

    private BridgeInstaller() {
    }

    /** @return how the bridge got there: "present", "defined" or "appended" */
    public static String install(Instrumentation inst, File agentJar) throws IOException {
        if (bootstrapHasBridge()) {
            return "present";
        }
        try (JarFile jar = new JarFile(agentJar)) {
            Map<String, byte[]> classes = new LinkedHashMap<>();
            for (String name : ORDER) {
                classes.put(name, null);
            }
            for (JarEntry e : java.util.Collections.list(jar.entries())) {
                String n = e.getName();
                if (n.startsWith("io/energy/bridge/") && n.endsWith(".class")) {
                    try (InputStream in = jar.getInputStream(e)) {
                        classes.put(n.substring(0, n.length() - 6).replace('/', '.'), in.readAllBytes());
                    }
                }
            }
            classes.values().removeIf(v -> v == null);
            try {
                defineInBootstrap(inst, classes);
                if (bootstrapHasBridge()) {
                    return "defined";
                }
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                AgentLog.debug("defining the bridge in the bootstrap loader failed (" + e + "); appending instead");
            }
        }
        inst.appendToBootstrapClassLoaderSearch(new JarFile(agentJar));
        return "appended";
    }

    private static void defineInBootstrap(Instrumentation inst, Map<String, byte[]> classes)
            throws ReflectiveOperationException {
        Module base = Object.class.getModule();
        Module self = BridgeInstaller.class.getModule();
        if (!base.isExported(UNSAFE_PACKAGE, self)) {
            inst.redefineModule(base, Set.of(), Map.of(UNSAFE_PACKAGE, Set.of(self)), Map.of(), Set.of(), Map.of());
        }
        Class<?> unsafeType = Class.forName(UNSAFE_PACKAGE + ".Unsafe");
        Object unsafe = unsafeType.getMethod("getUnsafe").invoke(null);
        Method define = unsafeType.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
                ClassLoader.class, ProtectionDomain.class);
        for (Map.Entry<String, byte[]> c : classes.entrySet()) {
            byte[] bytes = c.getValue();
            define.invoke(unsafe, c.getKey(), bytes, 0, bytes.length, null, null);
        }
    }

    private static boolean bootstrapHasBridge() {
        try {
            Class.forName("io.energy.bridge.EnergyBridge", false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}

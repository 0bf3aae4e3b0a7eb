package io.energy.control;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Puts the bridge classes into the bootstrap class loader, where inlined advice finds them from any
 * class loader. Defining them directly keeps class-data sharing on for the application's own classes:
 * appending a jar to the bootstrap search path makes HotSpot turn it off (and print a warning on the
 * application's stdout). Where direct definition is not possible, appending is the fallback.
 */
public final class BridgeInstaller {
    /** Superinterfaces and field types first, so nothing is resolved before it is defined. */
    private static final String[] ORDER = {"io.energy.bridge.LongCallSink", "io.energy.bridge.PathNode",
            "io.energy.bridge.ThreadContext", "io.energy.bridge.EnergyBridge"};

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

    /**
     * Defines the classes with the JDK's internal Unsafe, exported to us through Instrumentation (the JDK's
     * own sanctioned way for agents). sun.misc.Unsafe is avoided: JDK 23+ warns on the application's stderr
     * when it is used.
     */
    private static void defineInBootstrap(Instrumentation inst, Map<String, byte[]> classes)
            throws ReflectiveOperationException {
        Module base = Object.class.getModule();
        inst.redefineModule(base, java.util.Set.of(), Map.of("jdk.internal.misc",
                java.util.Set.of(BridgeInstaller.class.getModule())), Map.of(), java.util.Set.of(), Map.of());
        Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
        Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
        java.lang.reflect.Method define = unsafeClass.getMethod("defineClass", String.class, byte[].class, int.class,
                int.class, ClassLoader.class, java.security.ProtectionDomain.class);
        for (Map.Entry<String, byte[]> e : classes.entrySet()) {
            define.invoke(unsafe, e.getKey(), e.getValue(), 0, e.getValue().length, null, null);
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

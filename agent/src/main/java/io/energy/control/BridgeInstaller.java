package io.energy.control;

import net.bytebuddy.dynamic.loading.ClassInjector;

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
                ClassInjector.UsingUnsafe.Factory factory = ClassInjector.UsingUnsafe.Factory.resolve(inst);
                if (factory.isAvailable()) {
                    factory.make(null, null).injectRaw(classes);
                    if (bootstrapHasBridge()) {
                        return "defined";
                    }
                }
            } catch (RuntimeException | LinkageError e) {
                AgentLog.debug("defining the bridge in the bootstrap loader failed (" + e + "); appending instead");
            }
        }
        inst.appendToBootstrapClassLoaderSearch(new JarFile(agentJar));
        return "appended";
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

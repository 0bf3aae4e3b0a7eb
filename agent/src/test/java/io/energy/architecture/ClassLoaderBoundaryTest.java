package io.energy.architecture;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What lives outside the agent's private class loader may only refer to what is there too. The bridge is
 * on the bootstrap class path, where only {@code java.*} exists: anything else it names would fail in the
 * middle of an application's method. The entry runs in the application's loader next to the protocol
 * classes, before the core is opened: a core class named there would not be found. Each is a module of its
 * own whose only dependency is what it may see (none, and energy-protocol), so the compiler enforces this
 * already; the test reads the classes energy.jar is assembled from and keeps guarding what ships.
 */
class ClassLoaderBoundaryTest {
    private static final Path BRIDGE_CLASSES = Path.of("../bridge/target/classes");
    private static final Path ENTRY_CLASSES = Path.of("../entry/target/classes");

    static Set<String> foreignReferences(Path dir, String glob, List<String> allowedPrefixes) throws Exception {
        Set<String> bad = new TreeSet<>();
        try (var files = Files.newDirectoryStream(dir, glob)) {
            for (Path f : files) {
                for (String ref : ClassReferences.of(f)) {
                    if (allowedPrefixes.stream().noneMatch(ref::startsWith)) {
                        bad.add(dir.relativize(f) + " -> " + ref);
                    }
                }
            }
        }
        return bad;
    }

    @Test
    void theBridgeReferencesNothingOutsideJava() throws Exception {
        Path bridge = BRIDGE_CLASSES.resolve("io/energy/bridge");
        assertTrue(Files.isRegularFile(bridge.resolve("EnergyBridge.class")), "compiled bridge in " + bridge);
        assertEquals(Set.of(), foreignReferences(bridge, "*.class", List.of("java/", "io/energy/bridge/")));
    }

    @Test
    void theEntryReferencesOnlyJavaAndTheProtocol() throws Exception {
        Path entry = ENTRY_CLASSES.resolve("io/energy/agent");
        assertTrue(Files.isRegularFile(entry.resolve("EnergyAgent.class")), "compiled entry in " + entry);
        assertEquals(Set.of(), foreignReferences(entry, "EnergyAgent*.class",
                List.of("java/", "io/energy/agent/EnergyAgent", "io/energy/protocol/")));
    }

    @Test
    void aReferenceOutsideJavaIsSeenInTheConstantPool() throws Exception {
        // Independently known input: javac's own output for a class that names a non-java type only in a
        // method descriptor and a generic signature.
        Path dir = Files.createTempDirectory("refs");
        Path src = dir.resolve("p/Probe.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, "package p; public class Probe { java.util.List<javax.net.SocketFactory> f;"
                + " void m(javax.print.Doc d) { } }");
        int rc = javax.tools.ToolProvider.getSystemJavaCompiler()
                .run(null, null, null, "-d", dir.toString(), src.toString());
        assertEquals(0, rc);
        byte[] probe = Files.readAllBytes(dir.resolve("p/Probe.class"));
        Set<String> refs = ClassReferences.of(new ByteArrayInputStream(probe));
        assertTrue(refs.contains("javax/net/SocketFactory") && refs.contains("javax/print/Doc")
                && refs.contains("java/util/List") && !refs.contains("p/Probe"), refs.toString());
    }
}

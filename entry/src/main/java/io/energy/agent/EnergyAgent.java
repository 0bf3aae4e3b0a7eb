package io.energy.agent;

import io.energy.protocol.AttachProtocol;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.jar.JarFile;

/**
 * The agent's entry point, and the only class of the agent that the application's class loader sees
 * besides the bridge. It puts the bridge on the bootstrap class path, opens the core in a private class
 * loader, and hands over. Whatever goes wrong here is reported and swallowed: the host always starts.
 */
public final class EnergyAgent {
    private static final String CORE = "META-INF/energy/energy-core.jar";
    private static final String FRONT_DOOR = "io.energy.command.AgentCore";
    /** The tooling that reads finished runs (diff, compare), with its own (relocated) Jackson. */
    private static final String TOOLS = "META-INF/energy/energy-tools.jar";
    private static final java.util.Set<String> TOOL_COMMANDS = java.util.Set.of("diff", "compare");
    private static Method handle;
    private static ClassLoader coreLoader;

    private EnergyAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        run(args, inst, true);
    }

    public static void agentmain(String args, Instrumentation inst) {
        run(args, inst, false);
    }

    /** {@code java -jar energy.jar doctor|help|version|diff|compare}. */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && TOOL_COMMANDS.contains(args[0])) {
            tools(args);
            return;
        }
        ClassLoader loader = core(null);
        Class<?> cli = Class.forName("io.energy.command.AgentCommandLine", true, loader);
        cli.getMethod("main", String[].class).invoke(null, (Object) args);
    }

    /**
     * {@code diff} and {@code compare} run from the nested tools jar in a loader of their own: it is opened
     * only here, never when the agent starts in an application, so its Jackson costs nothing at start-up and
     * is never visible to anyone else. The tools exit with their own status.
     */
    private static void tools(String[] args) throws Exception {
        Path tools;
        try (JarFile outer = new JarFile(agentJar())) {
            java.util.zip.ZipEntry entry = outer.getEntry(TOOLS);
            if (entry == null) {
                System.err.println("[energy] this energy.jar has no " + TOOLS + ": it was built without the tools module");
                System.exit(2);
                return;
            }
            try (InputStream in = outer.getInputStream(entry)) {
                tools = extract(in, "energy-tools-");
            }
        }
        ClassLoader loader = new URLClassLoader("energy-tools", new URL[]{tools.toUri().toURL()},
                ClassLoader.getPlatformClassLoader());
        Class.forName("io.energy.tools.ToolsMain", true, loader).getMethod("main", String[].class)
                .invoke(null, (Object) args);
    }

    private static synchronized void run(String args, Instrumentation inst, boolean launch) {
        try {
            if (handle == null) {
                ClassLoader loader = core(inst);
                handle = Class.forName(FRONT_DOOR, true, loader)
                        .getMethod("handle", String.class, Instrumentation.class, boolean.class);
            }
            handle.invoke(null, args, inst, launch);
        } catch (Throwable t) {
            System.err.println("[energy] could not start (" + t + "); the application runs on without energy measurement");
            replyFailure(args, t);
        }
    }

    /** The core never ran, so the attach CLI waiting for {@code reply=FILE} hears it from here. */
    private static void replyFailure(String args, Throwable t) {
        try {
            String reply = AttachProtocol.Request.parse(args).replyFile();
            if (reply != null) {
                Files.writeString(Path.of(reply), AttachProtocol.reply(AttachProtocol.FAILED,
                        "the energy agent could not load its core: " + t + "\n"), java.nio.charset.StandardCharsets.UTF_8);
            }
        } catch (Throwable ignored) {
            // Said on stderr above; nothing more to be done without risking the host.
        }
    }

    private static ClassLoader core(Instrumentation inst) throws Exception {
        if (coreLoader != null) {
            return coreLoader;
        }
        File jar = agentJar();
        Path core;
        try (JarFile outer = new JarFile(jar); InputStream in = outer.getInputStream(outer.getEntry(CORE))) {
            core = extract(in, "energy-core-");
        }
        // Parent: the platform loader. The application's classes and libraries stay invisible to us, and
        // ours to them, so neither side's Jackson, JNA or Byte Buddy can clash with the other's.
        ClassLoader loader = new URLClassLoader("energy", new URL[]{core.toUri().toURL()},
                ClassLoader.getPlatformClassLoader());
        if (inst != null) {
            // The bridge must be visible from every class loader, because advice is inlined everywhere.
            Class.forName("io.energy.command.BridgeInstaller", true, loader)
                    .getMethod("install", Instrumentation.class, File.class).invoke(null, inst, jar);
        }
        coreLoader = loader;
        return coreLoader;
    }

    /**
     * Copies the core jar to a new private file in the temporary directory. The core is stored, not
     * deflated, in energy.jar, so this is a plain copy of a few megabytes. The name comes from the clock
     * rather than {@link Files#createTempFile}, whose first use initialises {@code SecureRandom} and the
     * security providers: tens of milliseconds on every JVM start. Creating with CREATE_NEW (O_EXCL) never
     * follows a link someone else put there, and a clash just tries another name. Only the owner may read
     * the file, as with createTempFile, and the permissions are set before anything is written.
     */
    private static Path extract(InputStream in, String prefix) throws IOException {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        long stamp = System.nanoTime();
        for (int attempt = 0; ; attempt++) {
            Path target = dir.resolve(prefix + Long.toHexString(stamp + attempt) + ".jar");
            OutputStream out;
            try {
                out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                if (attempt < 100) {
                    continue;
                }
                throw e;
            }
            target.toFile().deleteOnExit();
            try (out) {
                target.toFile().setReadable(false, false);
                target.toFile().setReadable(true, true);
                in.transferTo(out);
            }
            return target;
        }
    }

    private static File agentJar() throws Exception {
        URL location = EnergyAgent.class.getProtectionDomain().getCodeSource().getLocation();
        return new File(location.toURI());
    }
}

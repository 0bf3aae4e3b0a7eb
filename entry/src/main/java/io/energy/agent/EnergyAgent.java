package io.energy.agent;

import io.energy.protocol.AttachProtocol;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
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
                tools = io.energy.protocol.PrivateFiles.tempCopy(in, "energy-tools-", ".jar");
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
        try (JarFile outer = new JarFile(jar)) {
            java.util.zip.ZipEntry entry = outer.getEntry(CORE);
            core = cachedCopy(outer, entry, Path.of(System.getProperty("java.io.tmpdir")));
            if (core == null) {
                try (InputStream in = outer.getInputStream(entry)) {
                    core = io.energy.protocol.PrivateFiles.tempCopy(in, "energy-core-", ".jar");
                }
            }
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
     * The core jar from a cache of the user's own: {@code <tmp>/energy-<uid>/energy-core-<crc32>-<size>.jar}, named by
     * the entry's CRC-32 and size (from energy.jar's directory, no reading), written once per agent build and then
     * opened in place. Copying 3.6 MB out took ~20-25 ms of every launch here, and every JVM killed before its
     * exit left its copy behind. The directory is made owner-only ({@code rwx------}) and is used only if it still
     * is, is no link, and belongs to this process's user (Linux: the owner of {@code /proc/self}); only that user
     * can put a file there, and a file is put there under a new name and renamed, so a name never shows half a
     * file. Returns null where no such directory can be had (another OS, a directory of someone else's): the
     * caller then copies to a new private file as before.
     */
    static Path cachedCopy(JarFile outer, java.util.zip.ZipEntry entry, Path tmp) {
        try {
            Path self = Path.of("/proc/self");
            if (entry.getSize() < 0 || entry.getCrc() < 0 || !Files.exists(self)) {
                return null;
            }
            Object uid = Files.getAttribute(self, "unix:uid");
            Path dir = tmp.resolve("energy-" + uid);
            try {
                Files.createDirectory(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException e) {
                // made by an earlier launch (or someone else: checked below)
            }
            if (!ownedPrivately(dir, uid, true)) {
                return null;
            }
            Path target = dir.resolve("energy-core-" + Long.toHexString(entry.getCrc()) + "-" + entry.getSize() + ".jar");
            if (ownedPrivately(target, uid, false) && Files.size(target) == entry.getSize()) {
                return target;
            }
            Path fresh;
            try (InputStream in = outer.getInputStream(entry)) {
                fresh = io.energy.protocol.PrivateFiles.newFile(in, dir, "energy-core-", ".tmp", true);
            }
            try {
                Files.move(fresh, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(fresh);
            }
            forgetOldBuilds(dir, target);
            return target;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * When a build is unpacked for the first time: other builds' copies not written for a day go (a JVM that has
     * one open keeps reading it; one that starts later unpacks it again). Without this, every rebuild of the agent
     * would leave 3.6 MB behind for good.
     */
    private static void forgetOldBuilds(Path dir, Path keep) {
        long dayAgo = System.currentTimeMillis() - 24L * 3600 * 1000;
        try (var files = Files.newDirectoryStream(dir, "energy-core-*")) {
            for (Path f : files) {
                if (!f.equals(keep) && Files.getLastModifiedTime(f, java.nio.file.LinkOption.NOFOLLOW_LINKS).toMillis() < dayAgo) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException | RuntimeException e) {
            // a cache that is not tidied is still a cache
        }
    }

    /** A directory (or regular file) that is no link, belongs to {@code uid}, and grants nothing to others. */
    private static boolean ownedPrivately(Path p, Object uid, boolean directory) throws IOException {
        java.nio.file.LinkOption noFollow = java.nio.file.LinkOption.NOFOLLOW_LINKS;
        if (!Files.exists(p, noFollow)) {
            return false;
        }
        java.nio.file.attribute.PosixFileAttributes a = Files.readAttributes(p,
                java.nio.file.attribute.PosixFileAttributes.class, noFollow);
        if (a.isSymbolicLink() || (directory ? !a.isDirectory() : !a.isRegularFile())
                || !uid.equals(Files.getAttribute(p, "unix:uid", noFollow))) {
            return false;
        }
        for (java.nio.file.attribute.PosixFilePermission perm : a.permissions()) {
            if (perm.name().startsWith("GROUP") || perm.name().startsWith("OTHERS")) {
                return false;
            }
        }
        return true;
    }

    private static File agentJar() throws Exception {
        URL location = EnergyAgent.class.getProtectionDomain().getCodeSource().getLocation();
        return new File(location.toURI());
    }
}

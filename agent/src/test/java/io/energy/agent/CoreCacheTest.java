package io.energy.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The core jar is unpacked once per build into an owner-only cache, and used only while that stays private. */
class CoreCacheTest {
    private static final String CORE = "META-INF/energy/energy-core.jar";
    private static final byte[] BYTES = "pretend this is the core jar".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private Path agentJar(byte[] core) throws Exception {
        Path jar = dir.resolve("energy-" + core.length + ".jar");
        try (OutputStream f = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(f)) {
            JarEntry e = new JarEntry(CORE);
            e.setMethod(ZipEntry.STORED); // as the build stores it
            CRC32 crc = new CRC32();
            crc.update(core);
            e.setCrc(crc.getValue());
            e.setSize(core.length);
            out.putNextEntry(e);
            out.write(core);
            out.closeEntry();
        }
        return jar;
    }

    private static Path cached(Path jar, Path tmp) throws Exception {
        try (JarFile f = new JarFile(jar.toFile())) {
            return EnergyAgent.cachedCopy(f, f.getEntry(CORE), tmp);
        }
    }

    private static Object uid() throws Exception {
        return Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }

    @Test
    void unpackedOnceIntoAnOwnerOnlyDirectoryThenUsedInPlace() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/self")), "Linux");
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        Path jar = agentJar(BYTES);
        Path first = cached(jar, tmp);
        assertNotNull(first);
        assertEquals(tmp.resolve("energy-" + uid()), first.getParent());
        assertArrayEquals(BYTES, Files.readAllBytes(first));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first.getParent())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first)));
        Object inode = Files.getAttribute(first, "unix:ino");
        Path second = cached(jar, tmp);
        assertEquals(first, second);
        assertEquals(inode, Files.getAttribute(second, "unix:ino"), "the second launch uses the file, not a new copy");
        try (var files = Files.list(first.getParent())) {
            assertEquals(1, files.count(), "no temporary file left");
        }
        byte[] other = "another build of the core".getBytes(StandardCharsets.UTF_8);
        Path next = cached(agentJar(other), tmp);
        assertArrayEquals(other, Files.readAllBytes(next), "another build, another name");
        assertArrayEquals(BYTES, Files.readAllBytes(first), "written today: kept");
        Files.setLastModifiedTime(next, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 2 * 86_400_000L));
        byte[] third = "a third build".getBytes(StandardCharsets.UTF_8);
        cached(agentJar(third), tmp);
        assertFalse(Files.exists(next), "a build not written for two days goes when a new one is unpacked");
        assertTrue(Files.exists(first));
    }

    @Test
    void aFileOfTheWrongSizeUnderTheNameIsReplaced() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/self")), "Linux");
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        Path jar = agentJar(BYTES);
        Path first = cached(jar, tmp);
        Files.write(first, new byte[3]);
        Path again = cached(jar, tmp);
        assertEquals(first, again);
        assertArrayEquals(BYTES, Files.readAllBytes(again));
    }

    @Test
    void aDirectoryOthersMayReadOrALinkIsNotUsed() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/self")), "Linux");
        Path jar = agentJar(BYTES);
        Path open = Files.createDirectory(dir.resolve("open"));
        Files.createDirectory(open.resolve("energy-" + uid()), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-x---")));
        assertNull(cached(jar, open), "group may read: not private");
        Path linked = Files.createDirectory(dir.resolve("linked"));
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Files.createSymbolicLink(linked.resolve("energy-" + uid()), elsewhere);
        assertNull(cached(jar, linked), "a link someone could point anywhere: not used");
    }
}

package io.energy.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * How the agent puts its own code on disk: the entry unpacks the core jar, the core unpacks async-profiler's
 * native library. Both must be files nobody else can have planted or can read, made without
 * {@link Files#createTempFile}, whose first use initialises {@code SecureRandom} and the security providers
 * (tens of milliseconds on every JVM start). One place for those rules, loaded by both class loaders.
 */
public final class PrivateFiles {
    private PrivateFiles() {
    }

    /**
     * {@code in} copied to a new private file in the temporary directory, deleted when the JVM exits. The name
     * comes from the clock; creating with CREATE_NEW (O_EXCL) never follows a link someone else put there, and a
     * clash just tries another name. Only the owner may read the file, as with createTempFile, and the
     * permissions are set before anything is written.
     */
    public static Path tempCopy(InputStream in, String prefix, String suffix) throws IOException {
        Path target = newFile(in, Path.of(System.getProperty("java.io.tmpdir")), prefix, suffix, false);
        target.toFile().deleteOnExit();
        return target;
    }

    /**
     * {@code in} written to a new owner-only file {@code dir/<prefix><clock><suffix>} (see {@link #tempCopy}); made
     * {@code rw-------} at creation where {@code posix}, else made owner-readable before anything is written. A
     * file half written when the copy fails is deleted.
     */
    public static Path newFile(InputStream in, Path dir, String prefix, String suffix, boolean posix)
            throws IOException {
        long stamp = System.nanoTime();
        for (int attempt = 0; ; attempt++) {
            Path target = dir.resolve(prefix + Long.toHexString(stamp + attempt) + suffix);
            OutputStream out;
            try {
                out = posix
                        ? java.nio.channels.Channels.newOutputStream(Files.newByteChannel(target,
                                java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"))))
                        : Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                if (attempt < 100) {
                    continue;
                }
                throw e;
            }
            try (out) {
                if (!posix) {
                    target.toFile().setReadable(false, false);
                    target.toFile().setReadable(true, true);
                }
                in.transferTo(out);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(target);
                throw e;
            }
            return target;
        }
    }
}

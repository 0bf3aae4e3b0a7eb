package io.energy.power.rapl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads one small sysfs attribute as text. A seam so that tests can make a file fail the way the kernel
 * makes it fail for a non-root user ({@link java.nio.file.AccessDeniedException}) even though the tests
 * themselves run as root, where no file permission can refuse them.
 */
@FunctionalInterface
public interface SysfsReader {
    String read(Path file) throws IOException;

    /**
     * The real reader: opens the file for each read. Keeping it open and re-reading at offset 0 would save
     * a syscall, but an open handle would keep reading a zone that the kernel has taken away (or a file a
     * test has replaced), and at one read per zone per interval the open costs a few microseconds.
     */
    SysfsReader FILES = file -> new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
}

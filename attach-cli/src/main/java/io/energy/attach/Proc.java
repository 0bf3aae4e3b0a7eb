package io.energy.attach;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What Linux's /proc says about a process; every answer is "unknown" (-1, null) elsewhere. */
final class Proc {
    private Proc() {
    }

    static int uid(String pidOrSelf) {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc", pidOrSelf), "unix:uid");
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static String user(String pidOrSelf) {
        try {
            UserPrincipal owner = Files.getOwner(Path.of("/proc", pidOrSelf));
            String name = owner.getName();
            return name.chars().allMatch(Character::isDigit) ? null : name;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * True if the process catches SIGQUIT, null if /proc cannot tell. Bit 3 of SigCgt is SIGQUIT; a JVM
     * catches it (thread dumps, the attach handshake) unless it runs with -Xrs.
     */
    static Boolean catchesQuit(long pid) {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
            Boolean caught = null;
            boolean ignored = false;
            for (String line : lines) {
                if (line.startsWith("SigCgt:")) {
                    caught = (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 0b100) != 0;
                } else if (line.startsWith("SigIgn:")) {
                    ignored = (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 0b100) != 0;
                }
            }
            return caught == null ? null : caught && !ignored;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** True if the JVM's attach listener already runs (its socket exists), so no signal is needed. */
    static boolean hasAttachSocket(long pid) {
        String name = ".java_pid" + pid;
        return Files.exists(Path.of(System.getProperty("java.io.tmpdir", "/tmp"), name))
                || Files.exists(Path.of("/tmp", name))
                || Files.exists(Path.of("/proc", Long.toString(pid), "root", "tmp", name));
    }

    /** The process's arguments (argv), or an empty list if /proc cannot tell. */
    static List<String> commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            List<String> args = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] == 0) {
                    args.add(new String(raw, start, i - start, java.nio.charset.StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            if (start < raw.length) {
                args.add(new String(raw, start, raw.length - start, java.nio.charset.StandardCharsets.UTF_8));
            }
            return args;
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /**
     * Everything the JVM was told as options, in the order it reads them: JAVA_TOOL_OPTIONS, then
     * JDK_JAVA_OPTIONS (the launcher puts it before the command line), then the command line.
     */
    static String jvmOptions(long pid) {
        StringBuilder sb = new StringBuilder();
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
            String tool = null;
            String jdk = null;
            for (String var : new String(raw, java.nio.charset.StandardCharsets.UTF_8).split("\0")) {
                if (var.startsWith("JAVA_TOOL_OPTIONS=")) {
                    tool = var.substring("JAVA_TOOL_OPTIONS=".length());
                } else if (var.startsWith("JDK_JAVA_OPTIONS=")) {
                    jdk = var.substring("JDK_JAVA_OPTIONS=".length());
                }
            }
            if (tool != null) {
                sb.append(tool).append(' ');
            }
            if (jdk != null) {
                sb.append(jdk).append(' ');
            }
        } catch (IOException | RuntimeException e) {
            // environment not readable: the command line alone
        }
        for (String a : commandLine(pid)) {
            sb.append(a).append(' ');
        }
        return sb.toString();
    }

    /** Pids with a perf-data file of this user: the JVMs that run with -XX:+UsePerfData (the default). */
    static List<Long> perfDataPids() {
        List<Long> pids = new ArrayList<>();
        String user = System.getProperty("user.name");
        for (String tmp : new String[]{System.getProperty("java.io.tmpdir", "/tmp"), "/tmp"}) {
            Path dir = Path.of(tmp, "hsperfdata_" + user);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                files.forEach(f -> {
                    try {
                        long pid = Long.parseLong(f.getFileName().toString());
                        if (!pids.contains(pid)) {
                            pids.add(pid);
                        }
                    } catch (NumberFormatException ignored) {
                        // not a JVM's file
                    }
                });
            } catch (IOException | RuntimeException ignored) {
                // unreadable: nothing to add
            }
        }
        return pids;
    }
}

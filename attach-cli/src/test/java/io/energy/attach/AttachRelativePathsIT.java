package io.energy.attach;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Relative paths given to energy-attach mean what they mean in the shell that ran it: the CLI and the target
 * JVM run in different working directories, and every file-naming option ({@code record}, {@code rapl.root},
 * {@code out}) lands in, or is read from, the CLI's.
 */
class AttachRelativePathsIT {
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @TempDir
    Path dir;

    @Test
    void relativeRecordRaplRootAndOutResolveInTheCliWorkingDirectoryNotTheTargets() throws Exception {
        Path cliCwd = Files.createDirectories(dir.resolve("cli"));
        Path targetCwd = dir.resolve("target");
        // A RAPL tree only the CLI's directory has: if rapl.root reached the target as "powercap", the target
        // would look in its own directory, find nothing, and source=rapl could not start.
        Path zone = Files.createDirectories(cliCwd.resolve("powercap/intel-rapl:0"));
        Files.writeString(zone.resolve("name"), "package-0\n");
        Files.writeString(zone.resolve("max_energy_range_uj"), "262143328850\n");
        Files.writeString(zone.resolve("energy_uj"), "1000000\n");
        Files.writeString(zone.resolve("enabled"), "1\n");
        try (AttachIT.Service service = AttachIT.Service.start(targetCwd, JAVA)) {
            String pid = Long.toString(service.pid);
            Cli start = cli(cliCwd, pid, "start", "include=io.energy.samples.**", "source=rapl", "rapl.root=powercap",
                    "record=rel.csv", "out=rel-out");
            assertEquals(0, start.code, start.toString());
            assertTrue(start.out.contains("rapl"), start.toString());
            service.get("/hash?n=32");
            Cli stop = cli(cliCwd, pid, "stop");
            assertEquals(0, stop.code, stop.toString());
        }
        Path recorded = cliCwd.resolve("rel.csv");
        assertTrue(Files.isRegularFile(recorded), "record=rel.csv is written where energy-attach ran");
        String trace = Files.readString(recorded, StandardCharsets.UTF_8);
        assertTrue(trace.lines().anyMatch(l -> l.startsWith("time_s,package:0")), trace);
        assertTrue(Files.isRegularFile(cliCwd.resolve("rel-out/energy-summary.json")), "out=rel-out likewise");
        assertFalse(Files.exists(targetCwd.resolve("rel.csv")), "nothing is written in the target's directory");
        assertFalse(Files.exists(targetCwd.resolve("rel-out")), "nothing is written in the target's directory");
    }

    record Cli(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Cli cli(Path cwd, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(JAVA, "-jar", jar("energy.attach.jar").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
        pb.environment().put(AgentJar.ENV, jar("energy.agent.jar").toString());
        Path o = Files.createTempFile(dir, "cli-", ".out");
        Path e = Files.createTempFile(dir, "cli-", ".err");
        Process p = pb.redirectOutput(o.toFile()).redirectError(e.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out: " + pb.command());
        }
        return new Cli(p.exitValue(), Files.readString(o), Files.readString(e));
    }

    private static Path jar(String property) {
        String p = System.getProperty(property);
        if (p == null) {
            throw new IllegalStateException("system property " + property + " is not set (failsafe sets it)");
        }
        return Path.of(p).toAbsolutePath().normalize();
    }
}

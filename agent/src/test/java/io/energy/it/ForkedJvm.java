package io.energy.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts a real JVM (optionally with the agent) and collects what it printed and how it ended. */
public final class ForkedJvm {
    public record Result(int exitCode, String stdout, String stderr) {
    }

    public static final Path AGENT_JAR = Path.of(System.getProperty("energy.agent.jar", "target/energy.jar"));
    public static final Path SAMPLES_JAR = Path.of(System.getProperty("energy.samples.jar",
            "../sample-apps/target/sample-apps.jar"));
    public static final Path TEST_CLASSES = Path.of("target/test-classes").toAbsolutePath();
    public static final String JDK25 = "/usr/lib/jvm/temurin-25-jdk-amd64";

    private ForkedJvm() {
    }

    public static String java(String javaHome) {
        return Path.of(javaHome == null ? System.getProperty("java.home") : javaHome, "bin", "java").toString();
    }

    public static String agentArg(String options) {
        return "-javaagent:" + AGENT_JAR.toAbsolutePath() + (options == null || options.isEmpty() ? "" : "=" + options);
    }

    public static Process start(Path workDir, List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        pb.redirectOutput(workDir.resolve("stdout.txt").toFile());
        pb.redirectError(workDir.resolve("stderr.txt").toFile());
        return pb.start();
    }

    public static Result run(Path workDir, long timeoutSeconds, String... command) throws Exception {
        return run(workDir, timeoutSeconds, Arrays.asList(command));
    }

    public static Result run(Path workDir, long timeoutSeconds, List<String> command) throws Exception {
        Files.createDirectories(workDir);
        Process p = start(workDir, new ArrayList<>(command));
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("timed out after " + timeoutSeconds + " s: " + command + "\nstderr:\n"
                    + read(workDir.resolve("stderr.txt")));
        }
        return new Result(p.exitValue(), read(workDir.resolve("stdout.txt")), read(workDir.resolve("stderr.txt")));
    }

    public static String read(Path p) throws IOException {
        return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    }
}

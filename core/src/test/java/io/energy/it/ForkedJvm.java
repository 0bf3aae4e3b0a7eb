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
            kill(p);
            throw new AssertionError("timed out after " + timeoutSeconds + " s: " + command + "\nstderr:\n"
                    + read(workDir.resolve("stderr.txt")));
        }
        return new Result(p.exitValue(), read(workDir.resolve("stdout.txt")), read(workDir.resolve("stderr.txt")));
    }

    /** Kills a child and waits for it a bounded time: a test never hangs on a child that will not die. */
    public static void kill(Process p) throws InterruptedException {
        p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    /**
     * The child's whole stdout (stderr too, where the builder merges them), read on a separate thread while
     * this one waits a bounded time (issue 14): reading to the end first and then calling
     * {@code waitFor(timeout)} hangs forever on a child that never closes its output. On a timeout the
     * child is killed and the test fails with what it printed so far.
     */
    public static String output(Process p, long timeoutSeconds, Object what) throws Exception {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (var in = p.getInputStream()) {
                in.transferTo(buf);
            } catch (IOException ignored) {
                // the child was killed: what was read is kept
            }
        }, "forked-output");
        reader.setDaemon(true);
        reader.start();
        boolean ended = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!ended) {
            kill(p);
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
        String text;
        synchronized (buf) {
            text = buf.toString(StandardCharsets.UTF_8);
        }
        if (!ended) {
            throw new AssertionError("timed out after " + timeoutSeconds + " s: " + what + "\noutput:\n" + text);
        }
        return text;
    }

    /**
     * Waits, a bounded time, until the child's stdout file (see {@link #start}) has a line equal to
     * {@code line}; the child keeps writing to the file, so it can never block on a full pipe.
     */
    public static void awaitLine(Process p, Path workDir, String line, long timeoutSeconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        Path out = workDir.resolve("stdout.txt");
        while (System.nanoTime() < deadline) {
            if (read(out).lines().anyMatch(line::equals)) {
                return;
            }
            if (!p.isAlive()) {
                throw new AssertionError("the child ended (exit " + p.exitValue() + ") before printing '" + line
                        + "'; stderr:\n" + read(workDir.resolve("stderr.txt")));
            }
            Thread.sleep(20);
        }
        kill(p);
        throw new AssertionError("no '" + line + "' within " + timeoutSeconds + " s; stderr:\n"
                + read(workDir.resolve("stderr.txt")));
    }

    public static String read(Path p) throws IOException {
        return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    }
}

package io.energy.samples;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SamplesTest {
    @Test
    void helpListsEverySampleAndExitsZero() throws Exception {
        TestIo out = new TestIo();
        TestIo err = new TestIo();
        assertEquals(0, Samples.run(new String[] {"help"}, out.stream, err.stream));
        for (String name : List.of("cpu", "threads", "service", "tradeoff", "gpu", "help")) {
            assertTrue(out.text().contains("\n  " + name + " "), "usage lists " + name + ":\n" + out.text());
        }
        assertEquals("", err.text());
    }

    @Test
    void noArgumentsPrintsUsageAndExitsZero() throws Exception {
        TestIo out = new TestIo();
        assertEquals(0, Samples.run(new String[0], out.stream, new TestIo().stream));
        assertTrue(out.text().startsWith("usage: java -jar sample-apps.jar <name> [args]"));
    }

    @Test
    void unknownSampleExitsTwoWithUsageOnStderr() throws Exception {
        TestIo out = new TestIo();
        TestIo err = new TestIo();
        assertEquals(2, Samples.run(new String[] {"nope"}, out.stream, err.stream));
        assertEquals("", out.text());
        assertTrue(err.text().startsWith("unknown sample: nope"), err.text());
        assertTrue(err.text().contains("usage:"));
    }

    @Test
    void misspelledOptionExitsTwoInsteadOfSilentlyIgnoringIt() throws Exception {
        TestIo err = new TestIo();
        assertEquals(2, Samples.run(new String[] {"cpu", "0", "round=5"}, new TestIo().stream, err.stream));
        assertTrue(err.text().startsWith("cpu: unknown option 'round='"), err.text());
    }

    @Test
    void malformedNumbersExitTwo() throws Exception {
        for (String[] args : List.of(new String[] {"cpu", "soon"}, new String[] {"threads", "-1"},
                new String[] {"tradeoff", "n=0"}, new String[] {"service", "port=70000"},
                new String[] {"gpu", "sync=sometimes"}, new String[] {"cpu", "1", "2"})) {
            TestIo err = new TestIo();
            assertEquals(2, Samples.run(args, new TestIo().stream, err.stream), String.join(" ", args));
            assertTrue(err.text().contains("usage:"), err.text());
        }
    }

    @Test
    void mainExitsWithTheSamplesCodeInAForkedJvm() throws Exception {
        Forked unknown = fork("nope");
        assertEquals(2, unknown.exitCode(), unknown.output());
        Forked gpu = fork("gpu", "launches=1", "kernel-ms=5");
        assertEquals(0, gpu.exitCode(), gpu.output());
        assertTrue(gpu.output().startsWith("gpu sample: "), gpu.output());
    }

    private record Forked(int exitCode, String output) {
    }

    /** Runs {@code Samples.main} in a new JVM with this test's class path; stdout and stderr together. */
    private static Forked fork(String... args) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                Samples.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        // Read on a separate thread while this one waits a bounded time: reading to the end first would hang
        // forever on a child that never closes its output (issue 14).
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (var in = process.getInputStream()) {
                in.transferTo(buf);
            } catch (java.io.IOException ignored) {
                // killed: what was read is kept
            }
        });
        reader.setDaemon(true);
        reader.start();
        boolean ended = process.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        reader.join(10_000);
        String output = buf.toString(StandardCharsets.UTF_8);
        assertTrue(ended, "forked sample did not finish: " + output);
        return new Forked(process.exitValue(), output);
    }
}

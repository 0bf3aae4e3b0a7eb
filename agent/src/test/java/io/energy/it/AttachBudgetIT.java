package io.energy.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.tools.attach.VirtualMachine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The overhead budget under attach: attached to a JVM that calls a method as fast as it can, the agent
 * unweaves it while the program runs (status says so), and stop still restores every class byte for byte.
 */
class AttachBudgetIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String command(String pid, Path dir, String name, String args) throws Exception {
        Path reply = dir.resolve(name + ".reply");
        VirtualMachine vm = VirtualMachine.attach(pid);
        try {
            vm.loadAgent(ForkedJvm.AGENT_JAR.toAbsolutePath().toString(), "cmd=" + name + ",reply=" + reply
                    + (args.isEmpty() ? "" : "," + args));
        } finally {
            vm.detach();
        }
        return Files.readString(reply, StandardCharsets.UTF_8);
    }

    @Test
    void attachedTheBudgetUnweavesTheHotMethodAndStopRestoresEveryClassByteForByte(@TempDir Path dir) throws Exception {
        Path app = dir.resolve("app");
        Files.createDirectories(app);
        Process p = ForkedJvm.start(app, List.of(ForkedJvm.java(null), "-cp", ForkedJvm.TEST_CLASSES.toString(),
                "io.energy.it.apps.Workload", "hot-serve"));
        try {
            String pid = Long.toString(p.pid());
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!ForkedJvm.read(app.resolve("stdout.txt")).contains("ready")) {
                assertTrue(p.isAlive() && System.nanoTime() < deadline, "the app did not start");
                Thread.sleep(100);
            }
            Path out = dir.resolve("out");
            String start = command(pid, dir, "start", "include=io.energy.it.apps.Workload,out=" + out);
            assertTrue(start.startsWith("0\n"), start);

            String status = "";
            while (System.nanoTime() < deadline) {
                status = command(pid, dir, "status", "");
                if (!status.contains("counting stopped in 0 methods")) {
                    break;
                }
                Thread.sleep(500);
            }
            assertTrue(status.contains("overhead budget: 1%, counting stopped in ")
                    && !status.contains("counting stopped in 0 methods")
                    && status.contains("(hottest first: io.energy.it.apps.Workload.hot)"), status);
            assertTrue(status.contains("trivial methods not instrumented: "), status);

            String stop = command(pid, dir, "stop", "");
            assertTrue(stop.startsWith("0\n"), stop);
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("restored in (\\d+) class(?:es)?: (\\d+) byte-identical to before start, 0 still calling")
                    .matcher(stop);
            assertTrue(m.find(), stop);
            assertEquals(m.group(1), m.group(2), "every class byte-identical: " + stop);
            assertTrue(Integer.parseInt(m.group(1)) >= 1, stop);

            JsonNode s = JSON.readTree(out.resolve("energy-summary.json").toFile());
            JsonNode hot = null;
            for (JsonNode method : s.get("methods")) {
                if (method.get("name").asText().equals("io.energy.it.apps.Workload.hot")) {
                    hot = method;
                }
            }
            assertNotNull(hot, s.get("methods").toString());
            assertNotNull(hot.get("countingStopped"), hot.toString());
            assertTrue(hot.get("calls").asLong() > 0, hot.toString());
            assertTrue(p.isAlive(), "the application runs on");
        } finally {
            p.destroyForcibly().waitFor();
        }
    }
}

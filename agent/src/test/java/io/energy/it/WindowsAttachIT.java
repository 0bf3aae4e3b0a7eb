package io.energy.it;

import com.sun.tools.attach.VirtualMachine;
import io.energy.api.Energy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Windows in a JVM the agent is attached to later and then stopped in: the hook comes and goes with measuring. */
class WindowsAttachIT {
    @Test
    void windowsGetJoulesOnlyWhileAnAttachedAgentMeasuresAndSaySoOtherwise(@TempDir Path dir) throws Exception {
        String apiJar = Path.of(Energy.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        Process p = ForkedJvm.start(dir, List.of(ForkedJvm.java(null), "-cp",
                ForkedJvm.TEST_CLASSES + java.io.File.pathSeparator + apiJar, "io.energy.it.apps.WindowAttachApp"));
        try (OutputStream stdin = p.getOutputStream()) {
            await(dir, p, "waiting attach");
            VirtualMachine vm = VirtualMachine.attach(Long.toString(p.pid()));
            try {
                vm.loadAgent(ForkedJvm.AGENT_JAR.toAbsolutePath().toString(), "cmd=start,source=estimate,out="
                        + dir.resolve("out") + ",include=io.energy.it.apps.WindowApp");
                stdin.write("go\n".getBytes(StandardCharsets.UTF_8));
                stdin.flush();
                await(dir, p, "waiting stop");
                vm.loadAgent(ForkedJvm.AGENT_JAR.toAbsolutePath().toString(), "cmd=stop");
            } finally {
                vm.detach();
            }
            stdin.write("go\n".getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "the app did not finish");
        } finally {
            p.destroyForcibly();
        }
        String out = ForkedJvm.read(dir.resolve("stdout.txt"));
        String err = ForkedJvm.read(dir.resolve("stderr.txt"));
        assertTrue(out.contains("window before-attach available=false J=NaN reason=no energy agent is loaded"), out);
        assertTrue(out.contains("available true source=estimate"), out + err);
        assertTrue(out.matches("(?s).*window after-attach available=true J=[0-9.]+ reason=null.*"), out + err);
        assertTrue(out.contains("window across-stop available=false J=NaN reason=the energy agent stopped measuring "
                + "before the window ended"), out + err);
        assertTrue(out.contains("available false reason=the energy agent is loaded but not measuring"), out);
    }

    private static void await(Path dir, Process p, String line) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!ForkedJvm.read(dir.resolve("stdout.txt")).contains(line)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("no '" + line + "' from the app:\n" + ForkedJvm.read(dir.resolve("stdout.txt"))
                        + ForkedJvm.read(dir.resolve("stderr.txt")));
            }
            Thread.sleep(50);
        }
    }
}

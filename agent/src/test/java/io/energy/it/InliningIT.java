package io.energy.it;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13: woven code the JIT still inlines, checked with the JIT's own inlining log ({@code -XX:+PrintInlining})
 * in a forked JVM: a woven small method in a hot loop is inlined into its caller by C2, and the bridge's
 * {@code enter} and {@code exit} into it, on JDK 17 (the build's) and JDK 25. docs/design.md, "What a woven call
 * costs in real code".
 */
class InliningIT {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"build JDK", ForkedJvm.JDK25})
    void c2InlinesAWovenSmallMethodIntoItsCallerAndTheBridgeIntoIt(String jdk, @TempDir Path dir) throws Exception {
        String home = jdk.equals("build JDK") ? null : jdk;
        assertTrue(home == null || Files.isExecutable(Path.of(ForkedJvm.java(home))), "JDK expected at " + home);
        ForkedJvm.Result r = ForkedJvm.run(dir, 120, ForkedJvm.java(home), "-XX:+UnlockDiagnosticVMOptions",
                "-XX:+PrintInlining", ForkedJvm.agentArg("include=io.energy.it.apps.InlineTarget,overhead=off,top=0,out="
                        + dir.resolve("out")),
                "-cp", ForkedJvm.TEST_CLASSES.toString(), "io.energy.it.apps.InlineApp");
        assertEquals(0, r.exitCode(), r.stderr());
        List<String> log = r.stdout().lines().toList();
        // The method was woven: the bridge appears in the log under it at all.
        assertTrue(log.stream().anyMatch(l -> l.contains("io.energy.bridge.EnergyBridge::enter")),
                "no call to the bridge in the inlining log: the method was not woven\n" + excerpt(log));
        // C2 says "inline (hot)" where it inlined a callee (C1 says nothing of heat), and a callee's own inlining is
        // listed under it, indented further: enter and exit must be inlined into small where small itself was
        // inlined into its caller, in the same compile (not in a compile of small on its own).
        boolean smallInlined = false;
        boolean bridgeInside = false;
        for (int i = 0; i < log.size() && !bridgeInside; i++) {
            String line = log.get(i);
            if (!line.contains("io.energy.it.apps.InlineTarget::small") || !line.contains("inline (hot)")) {
                continue;
            }
            smallInlined = true;
            int depth = line.indexOf('@');
            boolean enter = false;
            boolean exit = false;
            for (int j = i + 1; j < log.size() && log.get(j).indexOf('@') > depth; j++) {
                String under = log.get(j);
                enter |= under.contains("io.energy.bridge.EnergyBridge::enter") && under.contains("inline (hot)");
                exit |= under.contains("io.energy.bridge.EnergyBridge::exit") && under.contains("inline (hot)");
            }
            bridgeInside = enter && exit;
        }
        assertTrue(smallInlined, "the woven method was not inlined into its caller\n" + excerpt(log));
        assertTrue(bridgeInside, "the bridge's enter and exit were not both inlined into the woven method where it was "
                + "inlined into its caller\n" + excerpt(log));
    }

    private static String excerpt(List<String> log) {
        StringBuilder sb = new StringBuilder();
        for (String l : log) {
            if (l.contains("InlineTarget") || l.contains("EnergyBridge") || l.contains("ThreadContext")) {
                sb.append(l).append('\n');
            }
        }
        return sb.length() > 0 ? sb.toString() : String.join("\n", log.subList(0, Math.min(40, log.size())));
    }
}

package io.energy.it;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13: the agent's own weaving code (ASM, the weaver) is kept out of the application's C2 compiler
 * ({@code WeaverJitDirective}). A forked JVM weaves one class 3,000 times ({@code WeaveLoad}), with the JIT's
 * thresholds lowered so that the weaving code gets as hot as it does in a large application, and records every
 * compile in JFR ({@code jdk.Compilation}): no method of {@code io.energy.shaded} or {@code io.energy.instrument}
 * may be compiled by C2 (level 4), and ASM's {@code ClassReader.readCode}, the weaving's hottest method, must be
 * compiled by C1 at full optimisation (level 1), which the tiered policy does only for a method C2 may not
 * compile: so the code was hot enough for C2, and the directive sent it elsewhere. (Without the directive, the
 * same run on JDK 17 compiled readCode and eight other ASM methods at level 4.)
 */
class WeaverJitIT {
    private static final String SETTINGS = """
            <?xml version="1.0" encoding="UTF-8"?>
            <configuration version="2.0">
              <event name="jdk.Compilation"><setting name="enabled">true</setting>\
            <setting name="threshold">0 ms</setting></event>
            </configuration>
            """;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"build JDK", ForkedJvm.JDK25})
    void theWeavingCodeIsCompiledByC1AndNeverByC2(String jdk, @TempDir Path dir) throws Exception {
        String home = jdk.equals("build JDK") ? null : jdk;
        assertTrue(home == null || Files.isExecutable(Path.of(ForkedJvm.java(home))), "JDK expected at " + home);
        Path settings = dir.resolve("compiles.jfc");
        Files.writeString(settings, SETTINGS);
        Path jfr = dir.resolve("compiles.jfr");
        ForkedJvm.Result r = ForkedJvm.run(dir, 180, ForkedJvm.java(home), "-XX:CompileThresholdScaling=0.05",
                "-XX:StartFlightRecording=settings=" + settings + ",filename=" + jfr,
                "-Xlog:jfr+startup=warning",
                ForkedJvm.agentArg("include=io.energy.it.apps.weave.**,top=0,log=debug,out=" + dir.resolve("out")),
                "-cp", ForkedJvm.TEST_CLASSES.toString(), "io.energy.it.apps.WeaveLoad", "3000");
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stdout().contains("woven 3000 times"), r.stdout());
        List<String> c2 = new ArrayList<>();
        List<String> readCode = new ArrayList<>();
        int compiles = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            if (!e.getEventType().getName().equals("jdk.Compilation")) {
                continue;
            }
            compiles++;
            RecordedMethod m = e.getValue("method");
            String name = m.getType().getName() + "." + m.getName();
            int level = ((Number) e.getValue("compileLevel")).intValue();
            if (level == 4 && (name.startsWith("io.energy.shaded.") || name.startsWith("io.energy.instrument."))) {
                c2.add(name);
            }
            if (name.equals("io.energy.shaded.bytebuddy.jar.asm.ClassReader.readCode")) {
                readCode.add("level " + level);
            }
        }
        assertTrue(compiles > 100, "JFR recorded " + compiles + " compiles");
        String said = (r.stdout() + r.stderr()).lines().filter(l -> l.contains("kept out of C2")).findFirst()
                .orElse("(the agent said nothing of it)");
        assertTrue(said.contains("1 compiler directives added"), said);
        assertTrue(c2.isEmpty(), "C2 compiled the agent's weaving code: " + c2 + "; the agent said: " + said);
        assertTrue(readCode.contains("level 1"), "ClassReader.readCode was not compiled at C1's full optimisation "
                + "(level 1), so the weaving code was not hot enough for the test to mean anything: " + readCode);
    }
}

package io.energy.attach;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI's words, its agent-jar search and its parsing of the agent's answer, without a target JVM. */
class CommandLineTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return EnergyAttach.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void helpPrintsTheUsageAndNoArgumentsIsAUsageError() {
        assertEquals(0, run("help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("energy-attach <pid> start"));
        assertEquals(2, run());
    }

    @Test
    void aWordThatIsNeitherCommandNorPidIsAUsageError() {
        assertEquals(2, run("lsit"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("'lsit' is neither a command"), err.toString());
    }

    @Test
    void unknownCommandsAndStrayOptionsAreUsageErrorsBeforeAnyAttach() {
        assertEquals(2, run("12345", "pause"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown command 'pause'"));
        assertEquals(2, run("12345", "stop", "include=x.**"));
        assertEquals(2, run("12345", "dump", "include=x.**"));
        assertEquals(2, run("12345"));
        assertEquals(2, run("12345", "status", "--agent"));
    }

    @Test
    void ownPidIsRefused(@TempDir Path dir) throws Exception {
        Path agent = Files.createFile(dir.resolve("energy.jar"));
        String self = Long.toString(ProcessHandle.current().pid());
        assertEquals(2, run(self, "status", "--agent", agent.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("is energy-attach itself"), err.toString());
    }

    @Test
    void theAgentJarIsLookedForInTheOrderDocumented(@TempDir Path tree) throws Exception {
        Path cliJar = tree.resolve("attach-cli/target/energy-attach.jar");
        Files.createDirectories(cliJar.getParent());
        Files.createDirectories(tree.resolve("agent/target"));
        assertEquals(List.of(Path.of("/opt/e.jar")), AgentJar.candidates("/opt/e.jar", "/env/e.jar", cliJar));
        assertEquals(List.of(Path.of("/env/e.jar")), AgentJar.candidates(null, "/env/e.jar", cliJar));
        assertEquals(List.of(tree.resolve("attach-cli/target/energy.jar"), tree.resolve("agent/target/energy.jar")),
                AgentJar.candidates(null, null, cliJar));
    }

    @Test
    void theAgentsAnswerCarriesItsExitCodeAndMessage() throws Exception {
        Target.Reply r = Target.parseReply("2\noption interval='abc' is not a duration\n", 9);
        assertEquals(2, r.code());
        assertEquals("option interval='abc' is not a duration\n", r.message());
        AttachException silent = assertThrows(AttachException.class, () -> Target.parseReply("", 9));
        assertTrue(silent.getMessage().contains("did not answer"));
        assertThrows(AttachException.class, () -> Target.parseReply("what\n", 9));
    }

    @Test
    void theMainClassOrJarIsFoundInAJavaCommandLine() {
        assertEquals("app.jar", JvmList.mainFromArgs(List.of("java", "-Xmx1g", "-jar", "app.jar", "serve")));
        assertEquals("com.acme.Main", JvmList.mainFromArgs(List.of("java", "-cp", "a.jar:b.jar", "com.acme.Main")));
        assertEquals("com.acme/com.acme.Main", JvmList.mainFromArgs(List.of("java", "-m", "com.acme/com.acme.Main")));
        assertEquals("?", JvmList.mainFromArgs(List.of("java")));
        assertEquals("sample-apps.jar", JvmList.main("sample-apps.jar service port=0"));
    }

    @Test
    void theListLinesUpItsColumnsAndSaysWhyAJvmCouldNotBeAsked() {
        String text = JvmList.render(List.of(
                new JvmList.Row(101, "17.0.15", "no", "app.jar", null),
                new JvmList.Row(20202, "?", "?", "svc.jar", "attach disabled: -XX:+DisableAttachMechanism"),
                new JvmList.Row(303, "25.0.3", "running 0.1.0", "com.acme.Main", null)));
        String[] lines = text.split("\n");
        assertEquals(4, lines.length);
        assertTrue(lines[0].startsWith("PID      JAVA    ENERGY        MAIN"), lines[0]);
        assertTrue(lines[2].endsWith("svc.jar  (attach disabled: -XX:+DisableAttachMechanism)"), lines[2]);
        assertEquals(lines[0].indexOf("MAIN"), lines[3].indexOf("com.acme.Main"));
    }
}

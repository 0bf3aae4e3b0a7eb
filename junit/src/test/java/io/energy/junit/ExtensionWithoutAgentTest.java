package io.energy.junit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.energy.junit.fixtures.Subjects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * The extension in this JVM, which has no agent, through a real JUnit launcher: tests run as usual, the records
 * say why there are no joules, budgets are not enforced unless energy.require=true.
 */
class ExtensionWithoutAgentTest {
    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        System.clearProperty("energy.tests.dir");
        System.clearProperty("energy.require");
        System.clearProperty("energy.baseline");
    }

    private TestExecutionSummary run(Class<?> c, ByteArrayOutputStream out) {
        System.setProperty("energy.tests.dir", dir.toString());
        LauncherDiscoveryRequest req = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(c)).build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        PrintStream old = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            launcher.execute(req, listener);
        } finally {
            System.setOut(old);
        }
        return listener.getSummary();
    }

    @Test
    void withoutAnAgentTestsPassAndTheirRecordsSayWhy() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TestExecutionSummary s = run(Subjects.Measured.class, out);
        assertEquals(4, s.getTestsSucceededCount(), () -> s.getFailures().toString());
        JsonNode rec = new ObjectMapper().readTree(dir.resolve(
                "io.energy.junit.fixtures.Subjects$Measured#repeated.json").toFile());
        assertFalse(rec.get("available").asBoolean());
        assertTrue(rec.get("reason").asText().contains("no energy agent is loaded"), rec.toString());
        assertEquals(3, rec.get("repetitions").size());
        assertEquals(3, rec.at("/repetitions/2/repetition").asInt());
        assertTrue(rec.at("/repetitions/0/wallMs").asDouble() > 0, rec.toString());
        JsonNode budgeted = new ObjectMapper().readTree(dir.resolve(
                "io.energy.junit.fixtures.Subjects$Measured#budgeted.json").toFile());
        assertEquals(0.000001, budgeted.get("budgetJ").asDouble(), 1e-12);
        String table = out.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("[energy] tests measured: 2"), table);
        assertTrue(table.contains("[energy] no joules: no energy agent is loaded"), table);
    }

    @Test
    void energyRequireFailsABudgetedTestThatCouldNotBeChecked() {
        System.setProperty("energy.require", "true");
        TestExecutionSummary s = run(Subjects.Measured.class, new ByteArrayOutputStream());
        assertEquals(1, s.getTestsFailedCount());
        String msg = s.getFailures().get(0).getException().getMessage();
        assertTrue(msg.startsWith("energy budget of io.energy.junit.fixtures.Subjects$Measured#budgeted not checked: "
                + "no energy agent is loaded"), msg);
    }

    @Test
    void aMethodAnnotationMeasuresOnlyThatMethod() throws Exception {
        TestExecutionSummary s = run(Subjects.OnlyOneMethod.class, new ByteArrayOutputStream());
        assertEquals(2, s.getTestsSucceededCount());
        try (var files = Files.list(dir)) {
            assertEquals("[io.energy.junit.fixtures.Subjects$OnlyOneMethod#measured.json]",
                    files.map(p -> p.getFileName().toString()).sorted().toList().toString());
        }
    }

    @Test
    void aBaselineDirectoryThatIsNotThereIsOneClearError() {
        System.setProperty("energy.baseline", dir.resolve("nope").toString());
        TestExecutionSummary s = run(Subjects.OnlyOneMethod.class, new ByteArrayOutputStream());
        assertEquals(1, s.getTestsFailedCount());
        String msg = s.getFailures().get(0).getException().getMessage();
        assertTrue(msg.contains("energy.baseline=") && msg.contains("is not a directory"), msg);
    }
}

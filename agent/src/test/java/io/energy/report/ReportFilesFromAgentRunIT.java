package io.energy.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cpu sample under the real agent: its speedscope file and HTML report agree with energy-summary.json,
 * and the report draws in Chromium without errors. A screenshot is left in target/ for people to look at.
 */
class ReportFilesFromAgentRunIT {
    @TempDir
    Path out;

    @Test
    void theSpeedscopeFileAndTheReportOfARealRunAgreeWithTheSummary() throws Exception {
        Path agent = Path.of(System.getProperty("energy.agent.jar", "target/energy.jar"));
        Path samples = Path.of(System.getProperty("energy.samples.jar", "../sample-apps/target/sample-apps.jar"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(),
                "-javaagent:" + agent.toAbsolutePath() + "=include=io.energy.samples.**,out=" + out,
                "-jar", samples.toAbsolutePath().toString(), "cpu", "1")
                .redirectErrorStream(true).redirectOutput(out.resolveSibling(out.getFileName() + ".log").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the sample finished");
        assertEquals(0, p.exitValue(), Files.readString(out.resolveSibling(out.getFileName() + ".log")));

        ObjectMapper json = new ObjectMapper();
        JsonNode summary = json.readTree(out.resolve("energy-summary.json").toFile());
        long ledger = summary.at("/totals/ledgerNanoJoules").asLong();
        assertTrue(ledger > 0);

        JsonNode speedscope = json.readTree(out.resolve("energy.speedscope.json").toFile());
        assertEquals(1 + summary.get("domains").size(), speedscope.get("profiles").size());
        double sum = 0;
        for (JsonNode w : speedscope.at("/profiles/0/weights")) {
            sum += w.asDouble();
        }
        assertEquals(ledger / 1e9, sum, 1e-9);

        try (HeadlessChromium browser = HeadlessChromium.launch(1400, 1000)) {
            browser.open(out.resolve("energy-report.html"));
            assertEquals(Long.toString(ledger),
                    browser.eval("document.querySelector('#flame .fr[data-kind=root]').getAttribute('data-nj')").asText());
            assertEquals(summary.get("estimated").asBoolean() ? "ESTIMATED" : "MEASURED",
                    browser.eval("document.getElementById('mode').textContent").asText());
            assertEquals(summary.get("domains").size(), browser.eval("document.querySelectorAll('#timeline .chart').length").asInt());
            assertEquals(1, browser.eval("document.querySelectorAll('#methods tr[data-name=\"io.energy.samples.CpuSample.hashBlocks\"]').length")
                    .asInt());
            assertEquals(1, browser.eval("document.querySelectorAll('#flame .fr[data-name=\"io.energy.samples.CpuSample.hashBlocks\"]').length")
                    .asInt());
            Files.write(Path.of("target", "energy-report-cpu-sample.png"), browser.screenshotPng());
            assertEquals(List.of(), browser.pageErrors());
        }
    }
}

package io.energy.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.energy.it.ForkedJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code java -jar energy.jar compare} on the tradeoff sample's two ways, each run under the real agent into its
 * own folder: the parallel way finishes sooner, the one-thread way spends fewer joules (the parallel stream's
 * splitting, stealing and merging are CPU the loop never spends), so both are on the Pareto front, one the
 * fastest and the other the leanest, and the chart in Chromium has both points and the front.
 */
class RunCompareIT {
    @TempDir
    Path tmp;

    private Path run(String way) throws Exception {
        Path out = tmp.resolve(way);
        ForkedJvm.Result r = ForkedJvm.run(tmp.resolve("work-" + way), 180, ForkedJvm.java(null),
                ForkedJvm.agentArg("include=io.energy.samples.TradeoffSample,log=quiet,out=" + out),
                "-jar", ForkedJvm.SAMPLES_JAR.toAbsolutePath().toString(), "tradeoff", "rounds=2", "way=" + way);
        assertEquals(0, r.exitCode(), r.stderr());
        return out;
    }

    @Test
    void theTradeoffSamplesTwoWaysAreOneFasterAndOneLeanerOnTheChart() throws Exception {
        Path fast = run("fast");
        Path lean = run("lean");
        Path out = tmp.resolve("compare");
        ForkedJvm.Result r = ForkedJvm.run(tmp.resolve("work-compare"), 120, ForkedJvm.java(null), "-jar",
                ForkedJvm.AGENT_JAR.toAbsolutePath().toString(), "compare", fast.toString(), lean.toString(),
                "--work", fast + "=2", "--work", lean + "=2", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());

        ObjectMapper json = new ObjectMapper();
        JsonNode data = json.readTree(out.resolve("energy-compare.json").toFile());
        JsonNode[] summaries = {json.readTree(fast.resolve("energy-summary.json").toFile()),
                json.readTree(lean.resolve("energy-summary.json").toFile())};
        for (int i = 0; i < 2; i++) {
            JsonNode run = data.get("runs").get(i);
            // The chart's coordinates are the runs' own summaries: duration and this process's joules.
            assertEquals(summaries[i].get("durationSeconds").asDouble(), run.get("wallS").asDouble(), 1e-9);
            double processJ = 0;
            for (JsonNode d : summaries[i].get("domains")) {
                processJ += d.get("inTotal").asBoolean() ? d.get("processJ").asDouble() : 0;
            }
            assertEquals(processJ, run.get("joules").asDouble(), 1e-9);
            assertEquals(processJ / 2, run.get("joulesPerWork").asDouble(), 1e-9);
        }
        String table = r.stdout();
        assertEquals(0, data.get("fastest").asInt(), "the parallel way is the faster: " + table);
        assertEquals(1, data.get("leanest").asInt(), "the one-thread way is the leaner: " + table);
        assertTrue(data.at("/runs/0/pareto").asBoolean() && data.at("/runs/1/pareto").asBoolean(), table);

        try (HeadlessChromium browser = HeadlessChromium.launch(1000, 800)) {
            browser.open(out.resolve("energy-compare.html"));
            assertEquals(2, browser.eval("document.querySelectorAll('#chart circle.pt').length").asInt());
            assertEquals(2, browser.eval("document.querySelectorAll('#chart circle.pt.front').length").asInt());
            assertEquals(1, browser.eval("document.querySelectorAll('#chart path#front').length").asInt());
            // The front joins the two points: its path starts at the faster run's circle and ends at the leaner's.
            String fastCircle = "document.querySelector('#chart circle[data-label=\"fast\"]')";
            String leanCircle = "document.querySelector('#chart circle[data-label=\"lean\"]')";
            String path = browser.eval("document.getElementById('front').getAttribute('d')").asText();
            assertTrue(path.startsWith("M" + browser.eval(fastCircle + ".getAttribute('cx')").asText() + " "
                    + browser.eval(fastCircle + ".getAttribute('cy')").asText()), path);
            assertTrue(path.endsWith(browser.eval(leanCircle + ".getAttribute('cx')").asText() + " "
                    + browser.eval(leanCircle + ".getAttribute('cy')").asText()), path);
            // Faster is further left, leaner is lower (SVG y grows downwards).
            assertTrue(browser.eval(fastCircle + ".cx.baseVal.value < " + leanCircle + ".cx.baseVal.value").asBoolean());
            assertTrue(browser.eval(leanCircle + ".cy.baseVal.value > " + fastCircle + ".cy.baseVal.value").asBoolean());
            String labels = browser.eval("Array.from(document.querySelectorAll('#chart text.lbl')).map(t => t.textContent).join('|')").asText();
            assertTrue(labels.contains("fast (fastest)") && labels.contains("lean (leanest)"), labels);
            assertNotEquals("", browser.eval("document.querySelector('#runs tr[data-label=\"lean\"]').textContent").asText());
            Files.write(Path.of("target", "energy-compare-tradeoff.png"), browser.screenshotPng());
            assertEquals(List.of(), browser.pageErrors());
        }
    }
}

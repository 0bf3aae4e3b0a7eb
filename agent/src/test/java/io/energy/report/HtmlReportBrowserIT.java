package io.energy.report;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.energy.report.ProfileFixtures.HANDLE;
import static io.energy.report.ProfileFixtures.MAIN;
import static io.energy.report.ProfileFixtures.PARSE;
import static io.energy.report.ProfileFixtures.QUERY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTML report in a real headless Chromium: it draws, it adds up, and it answers clicks, hovers and typing. */
class HtmlReportBrowserIT {
    private static HeadlessChromium browser;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        browser = HeadlessChromium.launch(1400, 1000);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
    }

    @AfterEach
    void pageRanWithoutErrors() {
        assertEquals(List.of(), browser.pageErrors(), "uncaught exceptions or console errors in the report");
    }

    private Path write(EnergyProfile p) throws Exception {
        Path file = dir.resolve("energy-report.html");
        AtomicFiles.write(file, out -> new HtmlReportWriter().write(p, out));
        return file;
    }

    private void open(EnergyProfile p) throws Exception {
        browser.open(write(p));
    }

    private double width(String selector) throws Exception {
        return browser.box(selector)[2];
    }

    private int countOf(String selector) throws Exception {
        return browser.eval("document.querySelectorAll(" + quote(selector) + ").length").asInt();
    }

    private static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static String frame(String name) {
        return "#flame .fr[data-name=\"" + name + "\"]";
    }

    @Test
    void theFlameGraphRootCarriesTheLedgersTotal() throws Exception {
        EnergyProfile p = ProfileFixtures.measured();
        open(p);
        String root = "#flame .fr[data-kind=root]";
        assertEquals(1, countOf(root));
        assertEquals(Long.toString(p.totalAllDomains()), browser.eval("document.querySelector('" + root
                + "').getAttribute('data-nj')").asText(), "the root's width is the sum of the tree the page drew");
        assertEquals(Long.toString(p.totalAllDomains()),
                browser.eval("document.getElementById('flame').getAttribute('data-total-nj')").asText());
        assertTrue(browser.eval("document.querySelector('" + root + "').textContent").asText().contains("12.91 J"));
        double flame = width("#flame");
        assertTrue(flame > 1000, "the flame graph has the page's width: " + flame);
        assertEquals(flame, width(root), 2);
        // Every method and bucket with energy gets a frame; Json.parse is drawn once per call path.
        for (String name : List.of(MAIN, HANDLE, QUERY, "(static/idle)", "(other processes)", "(uninstrumented)")) {
            assertEquals(1, countOf(frame(name)), name);
        }
        assertEquals(2, countOf(frame(PARSE)));
        assertEquals(flame * 4_850_000_004L / p.totalAllDomains(), width(frame(HANDLE)), 2,
                "a frame's width is its share of the total");
    }

    @Test
    void thisProcessOnlyLeavesTheMachinesBucketsOutOfTheFlameGraph() throws Exception {
        EnergyProfile p = ProfileFixtures.measured();
        open(p);
        browser.click("#process-only");
        long idleAndOthers = 6_000_000_000L + 1_000_000_000L + 500_000_000L;
        assertEquals(Long.toString(p.totalAllDomains() - idleAndOthers),
                browser.eval("document.querySelector('#flame .fr[data-kind=root]').getAttribute('data-nj')").asText());
        assertEquals(0, countOf(frame("(static/idle)")));
        assertEquals(0, countOf(frame("(other processes)")));
        assertEquals(1, countOf(frame("(uninstrumented)")), "this process's own buckets stay");
        assertTrue(browser.eval("document.querySelector('#flame .fr[data-kind=root]').textContent").asText()
                .startsWith("this process"));
    }

    @Test
    void aLinkFragmentOpensTheReportInTheViewItNames() throws Exception {
        EnergyProfile p = ProfileFixtures.measured();
        browser.open(write(p), "#processOnly&search=Db%5C.query");
        assertTrue(browser.eval("document.getElementById('process-only').checked").asBoolean());
        assertEquals(Long.toString(p.totalAllDomains() - 7_500_000_000L),
                browser.eval("document.querySelector('#flame .fr[data-kind=root]').getAttribute('data-nj')").asText());
        assertEquals("Db\\.query", browser.eval("document.getElementById('search').value").asText());
        assertEquals(1, countOf("#flame .fr.hit[data-name=\"" + QUERY + "\"]"));
        assertEquals(0.0, browser.eval("window.scrollY").asDouble(), "the page stays at its top");
    }

    @Test
    void theHeaderSaysMeasuredOrEstimatedAndWhy() throws Exception {
        open(ProfileFixtures.measured());
        assertEquals("MEASURED", browser.eval("document.getElementById('mode').textContent").asText());
        open(ProfileFixtures.estimated());
        assertEquals("ESTIMATED", browser.eval("document.getElementById('mode').textContent").asText());
        assertTrue(browser.eval("document.getElementById('notes').textContent").asText()
                .contains("no energy counter was readable"));
        String card = browser.eval("document.querySelector('#totals .card[data-domain=\"package:0\"]').textContent").asText();
        assertTrue(card.contains("ESTIMATED") && card.contains("this process") && card.contains("idle")
                && card.contains("other processes"), card);
    }

    @Test
    void clickingAFrameZoomsIntoItAndResetZoomsOut() throws Exception {
        EnergyProfile p = ProfileFixtures.measured();
        open(p);
        double flame = width("#flame");
        double before = width(frame(HANDLE));
        assertTrue(before < flame / 2, "handle starts at its share of the whole: " + before);

        browser.click(frame(HANDLE));

        assertEquals(HANDLE, browser.eval("document.getElementById('flame').getAttribute('data-zoom')").asText());
        assertEquals(flame, width(frame(HANDLE)), 2, "the clicked frame fills the width");
        assertEquals(flame * 250_000_003.0 / 4_850_000_004L, width(frame(QUERY)), 2,
                "its callees are scaled to it");
        assertEquals(0, countOf(frame("(static/idle)")), "frames outside the zoomed one leave the view");
        assertEquals(1, countOf(frame(MAIN)), "its callers stay above it");

        browser.click("#reset");
        assertEquals(before, width(frame(HANDLE)), 1);
        assertEquals(1, countOf(frame("(static/idle)")));

        browser.click(frame(HANDLE));
        browser.click("#flame .fr[data-kind=root]");
        assertEquals(before, width(frame(HANDLE)), 1, "clicking a caller zooms back out to it");
    }

    @Test
    void hoveringAFrameShowsJoulesBoundShareAndCalls() throws Exception {
        open(ProfileFixtures.measured());
        browser.hover(frame(HANDLE));
        assertEquals("block", browser.eval("getComputedStyle(document.getElementById('tip')).display").asText());
        String tip = browser.eval("document.getElementById('tip').textContent").asText();
        // 4.850000004 J inclusive; bounds in quadrature: sqrt(0.06² + 0.3² + 0.02² + 0.0125²) = 0.30685 J.
        for (String s : List.of(HANDLE, "inclusive 4.850 J ± 306.8 mJ", "37.6 % of the total", "10 calls", "self 4.200 J")) {
            assertTrue(tip.contains(s), "tooltip has `" + s + "`: " + tip);
        }
    }

    @Test
    void searchingHighlightsTheMatchingFramesAndSumsTheirEnergy() throws Exception {
        open(ProfileFixtures.measured());
        browser.eval("document.getElementById('search').focus()");
        browser.type("json.PARSE");
        assertEquals(2, countOf("#flame .fr.hit"));
        assertEquals(2, countOf("#flame .fr.hit[data-name=\"" + PARSE + "\"]"));
        String status = browser.eval("document.getElementById('match').textContent").asText();
        assertTrue(status.startsWith("2 frames match: 550.0 mJ"), status);
        assertTrue(browser.eval("document.getElementById('flame').classList.contains('searching')").asBoolean());
    }

    @Test
    void choosingADomainRedrawsTheFlameGraphWithThatDomainOnly() throws Exception {
        EnergyProfile p = ProfileFixtures.measured();
        open(p);
        browser.eval("(() => { const s = document.getElementById('domain'); s.value = '1';"
                + " s.dispatchEvent(new Event('change')); })()");
        assertEquals(Long.toString(p.total(1)),
                browser.eval("document.querySelector('#flame .fr[data-kind=root]').getAttribute('data-nj')").asText());
        assertEquals(0, countOf(frame(QUERY)), "no GPU energy, no frame");
    }

    @Test
    void thePowerChartHasOneChartPerDomainWithTheTopMethodStripBeneath() throws Exception {
        open(ProfileFixtures.measured());
        assertEquals(2, countOf("#timeline .chart svg"));
        for (String key : List.of("package:0", "gpu:0")) {
            String chart = "#timeline .chart[data-domain=\"" + key + "\"] ";
            assertTrue(browser.eval("document.querySelector('" + chart + "path.measured').getAttribute('d').length > 20")
                    .asBoolean());
            assertTrue(browser.eval("document.querySelector('" + chart + "path.process').getAttribute('d').length > 20")
                    .asBoolean());
            assertEquals(8, countOf(chart + ".strip rect"), "one mark per interval with a top method (8 of 10)");
            assertTrue(browser.eval("document.querySelector('" + chart + "h3').textContent").asText().contains("(W)"));
        }
        String legend = browser.eval("document.getElementById('method-legend').textContent").asText();
        assertTrue(legend.contains("App.handle") && legend.contains("Json.parse"), legend);
        assertEquals("App.handle", browser.eval("document.querySelector('#method-legend [data-method]')"
                + ".getAttribute('data-method').split('.').slice(-2).join('.')").asText(), "most frequent first");
    }

    @Test
    void theMethodsTableSortsByTheClickedColumn() throws Exception {
        EnergyProfile p = ProfileFixtures.measured();
        open(p);
        Map<String, Long> calls = new java.util.HashMap<>();
        for (MethodStats m : p.methods()) {
            calls.put(m.name(), m.calls());
        }
        assertEquals(p.methods().size(), countOf("#methods tbody tr"));
        List<String> bySelf = rowNames();
        assertEquals("(static/idle)", bySelf.get(0), "sorted by self energy first");

        browser.click("#methods th[data-key=calls]");
        List<String> desc = rowNames();
        assertEquals(QUERY, desc.get(0));
        for (int i = 1; i < desc.size(); i++) {
            assertTrue(calls.get(desc.get(i - 1)) >= calls.get(desc.get(i)), "descending calls: " + desc);
        }
        assertEquals("descending", browser.eval("document.querySelector('#methods th[data-key=calls]')"
                + ".getAttribute('aria-sort')").asText());

        browser.click("#methods th[data-key=calls]");
        List<String> asc = rowNames();
        for (int i = 1; i < asc.size(); i++) {
            assertTrue(calls.get(asc.get(i - 1)) <= calls.get(asc.get(i)), "ascending calls: " + asc);
        }
        String header = browser.eval("document.querySelector('#methods thead').textContent").asText();
        for (String unit : List.of("Time (ms)", "Self (J)", "Inclusive (J)", "Per call (J)", "Avg power (W)", "± self (J)", "Share (%)",
                "Measured / estimated")) {
            assertTrue(header.contains(unit), header);
        }
    }

    @Test
    void aHostileMethodNameIsShownAsTextAndRunsNothing() throws Exception {
        open(ProfileFixtures.withMethodNamed(HtmlReportWriterTest.EVIL));
        assertTrue(browser.eval("typeof window.__pwned === 'undefined'").asBoolean());
        assertEquals(1, browser.eval("Array.from(document.querySelectorAll('#methods tbody tr'))"
                + ".filter(r => r.cells[0].textContent === " + quote(HtmlReportWriterTest.EVIL) + ").length").asInt());
        assertEquals(2, countOf("script"));
    }

    private List<String> rowNames() throws Exception {
        List<String> names = new ArrayList<>();
        for (JsonNode n : browser.eval("Array.from(document.querySelectorAll('#methods tbody tr'))"
                + ".map(r => r.getAttribute('data-name'))")) {
            names.add(n.asText());
        }
        return names;
    }
}

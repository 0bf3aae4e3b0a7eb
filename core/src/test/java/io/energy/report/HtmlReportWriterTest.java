package io.energy.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HtmlReportWriterTest {
    static final String DATA_OPEN = "<script type=\"application/json\" id=\"energy-data\">";
    static final String EVIL = "com.acme.Evil.</script><script>window.__pwned=1</script><!--&amp;";

    static String html(EnergyProfile p) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new HtmlReportWriter().write(p, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    static String dataOf(String html) {
        int start = html.indexOf(DATA_OPEN) + DATA_OPEN.length();
        return html.substring(start, html.indexOf("</script>", start));
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static long sumSelf(JsonNode n) {
        long s = 0;
        for (JsonNode v : n.get("selfNanoJoules")) {
            s += v.asLong();
        }
        if (n.has("children")) {
            for (JsonNode c : n.get("children")) {
                s += sumSelf(c);
            }
        }
        return s;
    }

    @Test
    void embedsTheProfileAsJsonWhoseTreeAddsUpToTheLedgerTotal() throws IOException {
        EnergyProfile p = ProfileFixtures.measured();
        String html = html(p);
        assertFalse(html.contains(HtmlReportWriter.PLACEHOLDER));
        JsonNode data = new ObjectMapper().readTree(dataOf(html));
        assertEquals(p.totalAllDomains(), data.get("totalNanoJoules").asLong());
        assertEquals(p.totalAllDomains(), sumSelf(data.get("tree")));
        assertEquals(2, data.get("domains").size());
        assertEquals(p.total(1), data.at("/domains/1/measuredNanoJoules").asLong());
        assertEquals(10, data.at("/timeline/startSeconds").size());
        assertTrue(data.at("/timeline/topMethod/4").isNull(), "an interval with no method is null");
        assertEquals(p.methods().size(), data.get("methods").size());
    }

    @Test
    void theEmbeddedDataCarriesEveryFigureThePageShowsForDomainsNodesMethodsAndTheTimeline() throws IOException {
        EnergyProfile p = ProfileFixtures.measured();
        JsonNode data = new ObjectMapper().readTree(dataOf(html(p)));
        for (int d = 0; d < p.domains().size(); d++) {
            EnergyProfile.DomainTotal t = p.domains().get(d);
            JsonNode j = data.at("/domains/" + d);
            assertEquals(t.measured(), j.get("measuredNanoJoules").asLong());
            assertEquals(t.process(), j.get("processNanoJoules").asLong());
            assertEquals(t.staticIdle(), j.get("staticIdleNanoJoules").asLong());
            assertEquals(t.otherProcesses(), j.get("otherProcessesNanoJoules").asLong());
        }
        int k = 0;
        while (p.root().children().get(k).calls() == 0) {
            k++; // the first node with calls (buckets have none)
        }
        EnergyProfile.Node first = p.root().children().get(k);
        JsonNode tree = data.at("/tree/children/" + k);
        assertEquals(first.name(), tree.get("name").asText());
        assertEquals(first.kind().name().toLowerCase(java.util.Locale.ROOT), tree.get("kind").asText());
        assertEquals(first.calls(), tree.get("calls").asLong());
        assertEquals(first.wallNanos(), tree.get("selfWallNanos").asLong());
        assertTrue(first.calls() > 0 && first.wallNanos() > 0, "the fixture's figures are not zero");
        for (int i = 0; i < p.methods().size(); i++) {
            MethodStats m = p.methods().get(i);
            JsonNode j = data.at("/methods/" + i);
            assertEquals(m.name(), j.get("name").asText());
            assertEquals(m.kind().name().toLowerCase(java.util.Locale.ROOT), j.get("kind").asText());
            assertEquals(m.calls(), j.get("calls").asLong(), m.name());
            assertEquals(m.wallNanos(), j.get("wallNanos").asLong(), m.name());
            assertEquals(m.selfWallNanos(), j.get("selfWallNanos").asLong(), m.name());
            assertEquals(m.cpuNanos(), j.get("cpuNanos").asLong(), m.name());
        }
        for (int i = 0; i < p.timeline().size(); i++) {
            EnergyProfile.TimelinePoint t = p.timeline().get(i);
            assertEquals(t.startSeconds(), data.at("/timeline/startSeconds/" + i).asDouble(), 1e-9);
            assertEquals(t.endSeconds(), data.at("/timeline/endSeconds/" + i).asDouble(), 1e-9);
            for (int d = 0; d < p.domains().size(); d++) {
                assertEquals(t.watts()[d], data.at("/timeline/watts/" + d + "/" + i).asDouble(), 1e-9);
                assertEquals(t.processWatts()[d], data.at("/timeline/processWatts/" + d + "/" + i).asDouble(), 1e-9);
            }
        }
        assertEquals(p.health().processCpuNanos() / 1e6, data.at("/health/processCpuMs").asDouble(), 1e-9,
                "the page's health panel");
    }

    @Test
    void aMethodNameCannotCloseTheDataScriptOrOpenAComment() throws IOException {
        String html = html(ProfileFixtures.withMethodNamed(EVIL));
        String data = dataOf(html);
        assertFalse(data.contains("<"), "no markup inside the data");
        assertFalse(data.contains(">"));
        assertEquals(2, count(html, "<script"), "the data script and the report's own script, nothing injected");
        assertEquals(2, count(html, "</script>"));
        JsonNode parsed = new ObjectMapper().readTree(data);
        boolean found = false;
        for (JsonNode m : parsed.get("methods")) {
            found |= m.get("name").asText().equals(EVIL);
        }
        assertTrue(found, "the name comes back unchanged from the JSON");
    }

    @Test
    void needsNothingFromTheNetwork() throws IOException {
        String html = html(ProfileFixtures.measured());
        for (String banned : new String[]{" src=", " href=", "<link", "url(", "@import", "fetch(", "XMLHttpRequest",
                "<iframe", "<img"}) {
            assertFalse(html.contains(banned), "self-contained, found " + banned);
        }
        Matcher m = Pattern.compile("https?://[^'\"\\s)]*").matcher(html);
        while (m.find()) {
            assertEquals("http://www.w3.org/2000/svg", m.group(), "the only URL is the SVG namespace name");
        }
    }

    @Test
    void estimatedProfilesGetTheirNotesIntoThePage() throws IOException {
        JsonNode data = new ObjectMapper().readTree(dataOf(html(ProfileFixtures.estimated())));
        assertTrue(data.get("estimated").asBoolean());
        assertTrue(data.at("/domains/0/estimated").asBoolean());
        assertTrue(data.at("/notes/0").asText().contains("ESTIMATED"));
    }
}

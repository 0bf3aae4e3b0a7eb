package io.energy.report;


import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * {@code energy-report.html}: one self-contained page (inline CSS and JavaScript, no network) with the joules
 * flame graph, power over time per domain and the top-methods table. The page is a fixed template
 * ({@code energy-report.html} next to this class); this writer only embeds the profile as JSON in a
 * {@code <script type="application/json">} element that the template's script draws from.
 */
public final class HtmlReportWriter implements ProfileWriter {
    static final String TEMPLATE = "energy-report.html";
    static final String PLACEHOLDER = "__ENERGY_DATA__";

    @Override
    public String fileName() {
        return "energy-report.html";
    }

    @Override
    public void write(EnergyProfile p, OutputStream out) throws IOException {
        String template = template();
        int at = template.indexOf(PLACEHOLDER);
        // Streamed, not built as one string: the data of a large profile is megabytes, copied four times before.
        out.write(template.substring(0, at).getBytes(StandardCharsets.UTF_8));
        writeEmbeddable(json(p), out);
        out.write(template.substring(at + PLACEHOLDER.length()).getBytes(StandardCharsets.UTF_8));
    }

    private static String template() throws IOException {
        try (InputStream in = HtmlReportWriter.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IOException("report template " + TEMPLATE + " missing from the agent jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Writes JSON (UTF-8) safe inside a script element: a method name may contain {@code </script>} or
     * {@code <!--}. In JSON, {@code <}, {@code >} and {@code &} can only occur inside strings, where their
     * {@code \u003c}-style escapes mean the same, so the data is unchanged and the HTML parser never sees markup.
     * In UTF-8 the three are single bytes that never occur inside another character's bytes.
     */
    static void writeEmbeddable(byte[] json, OutputStream out) throws IOException {
        int from = 0;
        for (int i = 0; i < json.length; i++) {
            byte c = json[i];
            String escape = c == '<' ? "\\u003c" : c == '>' ? "\\u003e" : c == '&' ? "\\u0026" : null;
            if (escape != null) {
                out.write(json, from, i - from);
                out.write(escape.getBytes(StandardCharsets.US_ASCII));
                from = i + 1;
            }
        }
        out.write(json, from, json.length - from);
    }

    static byte[] json(EnergyProfile p) throws IOException {
        java.io.ByteArrayOutputStream s = new java.io.ByteArrayOutputStream(1 << 16);
        try (JsonOut g = new JsonOut(s)) {
            g.writeStartObject();
            ProfileJson.writeRun(g, p);
            g.writeNumberField("totalNanoJoules", p.totalAllDomains());
            g.writeArrayFieldStart("notes");
            for (String n : p.notes()) {
                g.writeString(n);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("domains");
            for (EnergyProfile.DomainTotal d : p.domains()) {
                g.writeStartObject();
                ProfileJson.writeDomainIdentity(g, d);
                g.writeNumberField("measuredNanoJoules", d.measured());
                g.writeNumberField("processNanoJoules", d.process());
                g.writeNumberField("staticIdleNanoJoules", d.staticIdle());
                g.writeNumberField("otherProcessesNanoJoules", d.otherProcesses());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeFieldName("tree");
            writeNode(g, p.root());
            writeTimeline(g, p);
            g.writeArrayFieldStart("methods");
            for (MethodStats m : p.methods()) {
                g.writeStartObject();
                g.writeStringField("name", m.name());
                g.writeStringField("kind", m.kind().name().toLowerCase(Locale.ROOT));
                g.writeNumberField("calls", m.calls());
                g.writeNumberField("wallNanos", m.wallNanos());
                g.writeNumberField("selfWallNanos", m.selfWallNanos());
                g.writeNumberField("cpuNanos", m.cpuNanos());
                g.writeFieldName("selfNanoJoules");
                g.writeArray(m.selfNanoJoules(), 0, m.selfNanoJoules().length);
                g.writeFieldName("inclusiveNanoJoules");
                g.writeArray(m.inclusiveNanoJoules(), 0, m.inclusiveNanoJoules().length);
                g.writeFieldName("selfBoundJoules");
                g.writeArray(m.selfBoundJoules(), 0, m.selfBoundJoules().length);
                g.writeEndObject();
            }
            g.writeEndArray();
            ProfileJson.writeHealth(g, p.health());
            g.writeEndObject();
        }
        return s.toByteArray();
    }

    private static void writeNode(JsonOut g, EnergyProfile.Node n) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", n.name());
        g.writeStringField("kind", n.kind().name().toLowerCase(Locale.ROOT));
        g.writeNumberField("calls", n.calls());
        g.writeNumberField("selfWallNanos", n.wallNanos());
        g.writeFieldName("selfNanoJoules");
        g.writeArray(n.selfNanoJoules(), 0, n.selfNanoJoules().length);
        g.writeFieldName("selfBoundJoules");
        g.writeArray(n.selfBoundJoules(), 0, n.selfBoundJoules().length);
        if (!n.children().isEmpty()) {
            g.writeArrayFieldStart("children");
            for (EnergyProfile.Node c : n.children()) {
                writeNode(g, c);
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    /** Column-wise (one array per field) so a long run's thousands of points stay compact. */
    private static void writeTimeline(JsonOut g, EnergyProfile p) throws IOException {
        int nd = p.domains().size();
        g.writeObjectFieldStart("timeline");
        g.writeArrayFieldStart("startSeconds");
        for (EnergyProfile.TimelinePoint t : p.timeline()) {
            g.writeNumber(t.startSeconds());
        }
        g.writeEndArray();
        g.writeArrayFieldStart("endSeconds");
        for (EnergyProfile.TimelinePoint t : p.timeline()) {
            g.writeNumber(t.endSeconds());
        }
        g.writeEndArray();
        g.writeArrayFieldStart("watts");
        for (int d = 0; d < nd; d++) {
            g.writeStartArray();
            for (EnergyProfile.TimelinePoint t : p.timeline()) {
                g.writeNumber(t.watts()[d]);
            }
            g.writeEndArray();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("processWatts");
        for (int d = 0; d < nd; d++) {
            g.writeStartArray();
            for (EnergyProfile.TimelinePoint t : p.timeline()) {
                g.writeNumber(t.processWatts()[d]);
            }
            g.writeEndArray();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("topMethod");
        for (EnergyProfile.TimelinePoint t : p.timeline()) {
            g.writeString(t.topMethod());
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}

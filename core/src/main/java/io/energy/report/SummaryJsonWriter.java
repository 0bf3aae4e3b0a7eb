package io.energy.report;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * {@code energy-summary.json}: the stable, versioned summary (schema in docs/formats.md). Joules are
 * doubles in J; every domain says whether it is estimated; the buckets and the methods' self energy add
 * up to the measured total.
 */
public final class SummaryJsonWriter implements ProfileWriter {
    @Override
    public String fileName() {
        return "energy-summary.json";
    }

    @Override
    public void write(EnergyProfile p, OutputStream out) throws IOException {
        try (JsonOut g = new JsonOut(out)) {
            g.writeStartObject();
            ProfileJson.writeRun(g, p);
            g.writeStringField("unit", "J");
            long total = 0;
            g.writeArrayFieldStart("domains");
            for (EnergyProfile.DomainTotal d : p.domains()) {
                if (d.inTotal()) {
                    total += d.measured();
                }
                g.writeStartObject();
                ProfileJson.writeDomainIdentity(g, d);
                g.writeNumberField("measuredJ", d.measured() / 1e9);
                g.writeNumberField("staticIdleJ", d.staticIdle() / 1e9);
                g.writeNumberField("otherProcessesJ", d.otherProcesses() / 1e9);
                g.writeNumberField("processJ", d.process() / 1e9);
                double unseen = p.health().unsampledBoundJoules(d.process() / 1e9);
                if (!Double.isNaN(unseen) && !d.kind().equals(io.energy.power.Domain.GPU)) {
                    // GPU energy follows the wall time of scoped methods, not CPU samples.
                    g.writeNumberField("unsampledMethodBoundJ", unseen);
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("totals");
            g.writeNumberField("measuredJ", total / 1e9);
            g.writeNumberField("measuredNanoJoules", total);
            g.writeNumberField("ledgerNanoJoules", p.totalAllDomains());
            g.writeEndObject();
            g.writeArrayFieldStart("methods");
            List<MethodStats> methods = p.methods(); // a walk of the whole call tree: once, not once per list
            for (MethodStats m : methods) {
                if (m.kind() != EnergyProfile.Kind.METHOD) {
                    continue;
                }
                writeStats(g, p, m, total);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("buckets");
            for (MethodStats m : methods) {
                if (m.kind() == EnergyProfile.Kind.BUCKET) {
                    writeStats(g, p, m, total);
                }
            }
            g.writeEndArray();
            g.writeFieldName("callTree");
            writeNode(g, p, p.root());
            ProfileJson.writeHealth(g, p.health());
            writeWindows(g, p);
            g.writeArrayFieldStart("notes");
            for (String n : p.notes()) {
                g.writeString(n);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    /** Measurement windows (io.energy.api): what each cost this process, per domain, with its bound. */
    private static void writeWindows(JsonOut g, EnergyProfile p) throws IOException {
        g.writeArrayFieldStart("windows");
        boolean[] inTotal = p.inTotal();
        for (EnergyProfile.Window w : p.windows()) {
            long total = 0;
            long machine = 0;
            double bound = 0;
            for (int d = 0; d < inTotal.length && d < w.processNanoJoules().length; d++) {
                if (inTotal[d]) {
                    total += w.processNanoJoules()[d];
                    machine += w.machineNanoJoules()[d];
                    bound += w.boundJoules()[d];
                }
            }
            g.writeStartObject();
            g.writeStringField("label", w.label());
            g.writeStringField("thread", w.thread());
            g.writeNumberField("startMs", w.startOffsetNanos() / 1e6);
            g.writeNumberField("wallMs", w.wallNanos() / 1e6);
            g.writeNumberField("cpuMs", w.cpuNanos() < 0 ? -1 : w.cpuNanos() / 1e6);
            g.writeBooleanField("estimated", w.estimated());
            g.writeNumberField("processJ", total / 1e9);
            g.writeNumberField("boundJ", bound);
            g.writeNumberField("machineJ", machine / 1e9);
            g.writeObjectFieldStart("domains");
            for (int d = 0; d < p.domains().size() && d < w.processNanoJoules().length; d++) {
                g.writeObjectFieldStart(p.domains().get(d).key());
                g.writeNumberField("processJ", w.processNanoJoules()[d] / 1e9);
                g.writeNumberField("boundJ", w.boundJoules()[d]);
                g.writeNumberField("machineJ", w.machineNanoJoules()[d] / 1e9);
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeStats(JsonOut g, EnergyProfile p, MethodStats m, long total) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", m.name());
        g.writeNumberField("calls", m.calls());
        g.writeNumberField("wallMs", m.wallNanos() / 1e6);
        g.writeNumberField("cpuMs", m.cpuNanos() / 1e6);
        g.writeNumberField("selfJ", m.selfTotal() / 1e9);
        g.writeNumberField("selfBoundJ", m.selfBoundTotal());
        g.writeNumberField("inclusiveJ", m.inclusiveTotal() / 1e9);
        g.writeNumberField("inclusiveBoundJ", m.inclusiveBoundTotal());
        g.writeNumberField("selfCpuMs", m.selfCpuNanos() / 1e6);
        g.writeNumberField("share", total > 0 ? (double) m.selfTotal() / total : 0);
        EnergyProfile.CountingStopped stopped = p.health().countingStopped(m.name());
        if (stopped != null) {
            // Its calls are those counted until then; its energy keeps coming from the samples.
            g.writeObjectFieldStart("countingStopped");
            ProfileJson.writeCountingStopped(g, stopped);
            g.writeEndObject();
        }
        g.writeObjectFieldStart("domains");
        for (int d = 0; d < p.domains().size(); d++) {
            g.writeObjectFieldStart(p.domains().get(d).key());
            g.writeNumberField("selfJ", m.selfNanoJoules()[d] / 1e9);
            g.writeNumberField("selfBoundJ", m.selfBoundJoules()[d]);
            g.writeNumberField("inclusiveJ", m.inclusiveNanoJoules()[d] / 1e9);
            g.writeNumberField("inclusiveBoundJ", m.inclusiveBoundJoules()[d]);
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void writeNode(JsonOut g, EnergyProfile p, EnergyProfile.Node n) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", n.name());
        g.writeStringField("kind", n.kind().name().toLowerCase(java.util.Locale.ROOT));
        g.writeNumberField("calls", n.calls());
        g.writeNumberField("selfWallMs", n.wallNanos() / 1e6);
        g.writeNumberField("selfJ", n.selfTotal() / 1e9);
        g.writeNumberField("inclusiveJ", n.inclusiveTotal() / 1e9);
        g.writeArrayFieldStart("selfNanoJoules");
        for (long v : n.selfNanoJoules()) {
            g.writeNumber(v);
        }
        g.writeEndArray();
        if (!n.children().isEmpty()) {
            g.writeArrayFieldStart("children");
            for (EnergyProfile.Node c : n.children()) {
                writeNode(g, p, c);
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }
}

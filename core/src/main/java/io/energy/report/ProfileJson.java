package io.energy.report;

import java.io.IOException;

/** JSON pieces that more than one file carries, written the same way everywhere. */
final class ProfileJson {
    private ProfileJson() {
    }

    /** Which run this is: schema, agent, when, how long, from which source, estimated or not. */
    static void writeRun(JsonOut g, EnergyProfile p) throws IOException {
        g.writeNumberField("schemaVersion", p.schemaVersion());
        g.writeStringField("agentVersion", p.agentVersion());
        g.writeStringField("start", JsonOut.isoInstant(p.startEpochMillis()));
        g.writeNumberField("durationSeconds", p.durationNanos() / 1e9);
        g.writeStringField("source", p.source());
        g.writeStringField("sampler", p.sampler());
        g.writeBooleanField("estimated", p.estimated());
    }

    /** What a domain is and where its figures come from; the energies follow in each file's own unit. */
    static void writeDomainIdentity(JsonOut g, EnergyProfile.DomainTotal d) throws IOException {
        g.writeStringField("key", d.key());
        g.writeStringField("kind", d.kind());
        g.writeNumberField("device", d.device());
        g.writeBooleanField("estimated", d.estimated());
        g.writeBooleanField("inTotal", d.inTotal());
        g.writeNumberField("grainMs", d.grainNanos() / 1e6);
        g.writeStringField("origin", d.origin());
    }

    /** When and why the overhead budget stopped counting a method: the fields, inside an open object. */
    static void writeCountingStopped(JsonOut g, EnergyProfile.CountingStopped c) throws IOException {
        g.writeStringField("method", c.method());
        g.writeNumberField("atSeconds", c.atSeconds());
        g.writeNumberField("callsPerSecond", c.callsPerSecond());
        g.writeNumberField("costShare", c.costShare());
        g.writeStringField("reason", c.reason());
    }

    /** The run's health: what was capped, anomalous, and what observing cost. */
    static void writeHealth(JsonOut g, EnergyProfile.Health h) throws IOException {
        g.writeObjectFieldStart("health");
        g.writeNumberField("pathsOverCap", h.pathsOverCap());
        g.writeNumberField("callsBeyondDepth", h.callsBeyondDepth());
        g.writeNumberField("sourceAnomalies", h.anomalies());
        g.writeNumberField("agentCpuMs", h.agentCpuNanos() / 1e6);
        g.writeNumberField("sourceReadCpuMs", h.sourceReadNanos() / 1e6);
        g.writeNumberField("processCpuMs", h.processCpuNanos() / 1e6);
        g.writeNumberField("instrumentedMethods", h.instrumentedMethods());
        g.writeNumberField("threads", h.threads());
        g.writeNumberField("callPaths", h.pathNodes());
        g.writeNumberField("internalErrors", h.internalErrors());
        g.writeNumberField("bridgeErrors", h.bridgeErrors());
        g.writeNumberField("methodsTooLarge", h.methodsTooLarge());
        g.writeNumberField("trivialMethodsSkipped", h.trivialSkipped());
        g.writeNumberField("stackSamples", h.stackSamples());
        EnergyProfile.Overhead o = h.overhead();
        g.writeObjectFieldStart("overhead");
        g.writeStringField("budget", o.budgetText());
        g.writeNumberField("callCostNs", o.callCostNanos());
        g.writeNumberField("estimatedCountingCpuMs", o.estimatedCostNanos() / 1e6);
        g.writeNumberField("weaveMs", o.weaveNanos() / 1e6);
        g.writeArrayFieldStart("countingStopped");
        for (EnergyProfile.CountingStopped c : o.stopped()) {
            g.writeStartObject();
            writeCountingStopped(g, c);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
    }
}

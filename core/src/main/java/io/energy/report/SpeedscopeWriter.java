package io.energy.report;


import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code energy.speedscope.json}: speedscope's file format with "sampled" profiles whose weights are
 * joules (unit "none": speedscope has no energy unit, so the unit is in each profile's name).
 *
 * <p>One file, several profiles (speedscope shows a selector): {@code profiles[0]} is all domains together
 * and opens first; {@code profiles[1 + d]} is domain {@code d} in the order of energy-summary.json's
 * {@code domains}, always written, even when there is only one domain, so scripts can index them. Each call
 * path with self energy is one sample (its frames from the outermost to itself); the ledger's buckets are
 * top-level frames, so each profile's weights add up to the measured energy of what it covers.
 */
public final class SpeedscopeWriter implements ProfileWriter {
    static final String SCHEMA = "https://www.speedscope.app/file-format-schema.json";

    @Override
    public String fileName() {
        return "energy.speedscope.json";
    }

    @Override
    public void write(EnergyProfile p, OutputStream out) throws IOException {
        Map<String, Integer> frames = new LinkedHashMap<>();
        List<int[]> stacks = new ArrayList<>();
        List<long[]> selfNanoJoules = new ArrayList<>();
        collect(p.root(), new int[0], frames, stacks, selfNanoJoules);

        try (JsonOut g = new JsonOut(out)) {
            g.writeStartObject();
            g.writeStringField("$schema", SCHEMA);
            g.writeObjectFieldStart("shared");
            g.writeArrayFieldStart("frames");
            for (String name : frames.keySet()) {
                g.writeStartObject();
                g.writeStringField("name", name);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeArrayFieldStart("profiles");
            String all = "Energy (J) — all domains" + (p.estimated() ? " — ESTIMATED" : "");
            writeProfile(g, all, stacks, selfNanoJoules, -1);
            for (int d = 0; d < p.domains().size(); d++) {
                EnergyProfile.DomainTotal dom = p.domains().get(d);
                String name = "Energy (J) — " + dom.key() + (dom.estimated() ? " — ESTIMATED" : "");
                writeProfile(g, name, stacks, selfNanoJoules, d);
            }
            g.writeEndArray();
            g.writeStringField("name", "energy " + p.source() + " " + JsonOut.isoInstant(p.startEpochMillis()));
            g.writeNumberField("activeProfileIndex", 0);
            g.writeStringField("exporter", "energy " + p.agentVersion());
            g.writeEndObject();
        }
    }

    /** Writes one profile: domain {@code d}, or every domain added together when {@code d < 0}. */
    private static void writeProfile(JsonOut g, String name, List<int[]> stacks, List<long[]> self, int d)
            throws IOException {
        List<Integer> kept = new ArrayList<>();
        long totalNanoJoules = 0;
        for (int i = 0; i < stacks.size(); i++) {
            long v = energy(self.get(i), d);
            // speedscope draws a zero-weight sample as nothing; leaving it out keeps the file small.
            if (v != 0) {
                kept.add(i);
                totalNanoJoules += v;
            }
        }
        g.writeStartObject();
        g.writeStringField("type", "sampled");
        g.writeStringField("name", name);
        g.writeStringField("unit", "none");
        g.writeNumberField("startValue", 0);
        g.writeNumberField("endValue", totalNanoJoules / 1e9);
        g.writeArrayFieldStart("samples");
        for (int i : kept) {
            g.writeArray(stacks.get(i), 0, stacks.get(i).length);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("weights");
        for (int i : kept) {
            g.writeNumber(energy(self.get(i), d) / 1e9);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static long energy(long[] perDomain, int d) {
        if (d >= 0) {
            return perDomain[d];
        }
        long s = 0;
        for (long v : perDomain) {
            s += v;
        }
        return s;
    }

    /** Frames are shared by name, so speedscope's left-heavy and sandwich views merge a method's paths. */
    private static void collect(EnergyProfile.Node n, int[] prefix, Map<String, Integer> frames, List<int[]> stacks,
                                List<long[]> self) {
        int[] path = prefix;
        if (n.kind() != EnergyProfile.Kind.ROOT) {
            int frame = frames.computeIfAbsent(n.name(), k -> frames.size());
            path = java.util.Arrays.copyOf(prefix, prefix.length + 1);
            path[prefix.length] = frame;
        }
        // The root holds no energy of its own in a ledger; if it ever did, an empty stack keeps the sum whole.
        if (n.kind() != EnergyProfile.Kind.ROOT || n.selfTotal() != 0) {
            stacks.add(path);
            self.add(n.selfNanoJoules());
        }
        for (EnergyProfile.Node c : n.children()) {
            collect(c, path, frames, stacks, self);
        }
    }
}

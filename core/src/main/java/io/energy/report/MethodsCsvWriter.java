package io.energy.report;

import io.energy.text.Decimals;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * {@code energy-methods.csv}: one row per method (all its call paths merged), units in every column name,
 * then one row per bucket. Columns per domain: self and inclusive joules and the self bound.
 */
public final class MethodsCsvWriter implements ProfileWriter {
    @Override
    public String fileName() {
        return "energy-methods.csv";
    }

    @Override
    public void write(EnergyProfile p, OutputStream out) throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        StringBuilder h = new StringBuilder("method,kind,calls,wall_ms,cpu_ms,self_J,self_bound_J,inclusive_J,inclusive_bound_J");
        for (EnergyProfile.DomainTotal d : p.domains()) {
            String k = d.key().replace(':', '_');
            h.append(',').append(k).append("_self_J,").append(k).append("_self_bound_J,").append(k)
                    .append("_inclusive_J,").append(k).append("_inclusive_bound_J");
        }
        h.append(",estimated,counting_stopped_s\n");
        w.write(h.toString());
        for (MethodStats m : p.methods()) {
            StringBuilder r = new StringBuilder();
            double selfJ = m.selfTotal() / 1e9;
            double selfB = m.selfBoundTotal();
            double inclJ = m.inclusiveTotal() / 1e9;
            double inclB = m.inclusiveBoundTotal();
            String[] totals = {fmt(selfJ), fmt(selfB), fmt(inclJ), fmt(inclB)};
            r.append(csv(m.name())).append(',').append(m.kind().name().toLowerCase(Locale.ROOT)).append(',')
                    .append(m.calls()).append(',').append(fmt(m.wallNanos() / 1e6)).append(',')
                    .append(fmt(m.cpuNanos() / 1e6)).append(',').append(totals[0]).append(',')
                    .append(totals[1]).append(',').append(totals[2]).append(',').append(totals[3]);
            for (int d = 0; d < p.domains().size(); d++) {
                // With one domain its columns repeat the totals: the same double is the same text.
                r.append(',').append(same(m.selfNanoJoules()[d] / 1e9, selfJ, totals[0])).append(',')
                        .append(same(m.selfBoundJoules()[d], selfB, totals[1])).append(',')
                        .append(same(m.inclusiveNanoJoules()[d] / 1e9, inclJ, totals[2])).append(',')
                        .append(same(m.inclusiveBoundJoules()[d], inclB, totals[3]));
            }
            r.append(',').append(p.estimated());
            // When the overhead budget stopped counting the method (seconds after the start); empty if never.
            EnergyProfile.CountingStopped stopped = p.health().countingStopped(m.name());
            r.append(',').append(stopped == null ? "" : Decimals.fixed(stopped.atSeconds(), 3))
                    .append('\n');
            w.write(r.toString());
        }
        w.flush();
    }

    private static String same(double v, double known, String knownText) {
        return Double.compare(v, known) == 0 ? knownText : fmt(v);
    }

    static String fmt(double v) {
        return Decimals.fixed(v, 9);
    }

    static String csv(String s) {
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}

package io.energy.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
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
            r.append(csv(m.name())).append(',').append(m.kind().name().toLowerCase(Locale.ROOT)).append(',')
                    .append(m.calls()).append(',').append(fmt(m.wallNanos() / 1e6)).append(',')
                    .append(fmt(m.cpuNanos() / 1e6)).append(',').append(fmt(m.selfTotal() / 1e9)).append(',')
                    .append(fmt(m.selfBoundTotal())).append(',').append(fmt(m.inclusiveTotal() / 1e9)).append(',')
                    .append(fmt(m.inclusiveBoundTotal()));
            for (int d = 0; d < p.domains().size(); d++) {
                r.append(',').append(fmt(m.selfNanoJoules()[d] / 1e9)).append(',')
                        .append(fmt(m.selfBoundJoules()[d])).append(',')
                        .append(fmt(m.inclusiveNanoJoules()[d] / 1e9)).append(',')
                        .append(fmt(m.inclusiveBoundJoules()[d]));
            }
            r.append(',').append(p.estimated());
            // When the overhead budget stopped counting the method (seconds after the start); empty if never.
            EnergyProfile.CountingStopped stopped = p.health().countingStopped(m.name());
            r.append(',').append(stopped == null ? "" : fixed(stopped.atSeconds(), 3))
                    .append('\n');
            w.write(r.toString());
        }
        w.flush();
    }

    static String fmt(double v) {
        return fixed(v, 9);
    }

    /**
     * {@code String.format(Locale.ROOT, "%.<decimals>f", v)}, the same characters at a fraction of the cost: a
     * table of a few hundred methods is thousands of numbers, formatted once at exit by code the JIT has not
     * compiled, and the Formatter made this file the slowest of the outputs (~65 ms of an H2 run's exit). Like
     * the Formatter, it rounds the shortest decimal form of the double ({@link Double#toString}) half up, and
     * keeps the sign of a negative number that rounds to zero (and of -0.0).
     */
    static String fixed(double v, int decimals) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return String.format(Locale.ROOT, "%." + decimals + "f", v);
        }
        String abs = new BigDecimal(Double.toString(Math.abs(v))).setScale(decimals, RoundingMode.HALF_UP)
                .toPlainString();
        return Double.compare(v, 0.0) < 0 ? "-" + abs : abs;
    }

    static String csv(String s) {
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}

package io.energy.report;

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
            r.append(',').append(stopped == null ? "" : fixed(stopped.atSeconds(), 3))
                    .append('\n');
            w.write(r.toString());
        }
        w.flush();
    }

    private static String same(double v, double known, String knownText) {
        return Double.compare(v, known) == 0 ? knownText : fmt(v);
    }

    static String fmt(double v) {
        return fixed(v, 9);
    }

    /**
     * {@code String.format(Locale.ROOT, "%.<decimals>f", v)}, the same characters at a fraction of the cost: a
     * table of a few hundred methods is thousands of numbers, formatted once at exit by code the JIT has not
     * compiled, and the Formatter made this file the slowest of the outputs (~65 ms of an H2 run's exit). Like
     * the Formatter, it rounds the shortest decimal form of the double ({@link Double#toString}) half up, and
     * keeps the sign of a negative number that rounds to zero (and of -0.0). A third of the numbers are zero.
     */
    static String fixed(double v, int decimals) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return String.format(Locale.ROOT, "%." + decimals + "f", v);
        }
        boolean negative = Double.compare(v, 0.0) < 0;
        double a = Math.abs(v);
        StringBuilder out = new StringBuilder(24);
        if (negative) {
            out.append('-');
        }
        if (a == 0) {
            return out.append('0').append('.').append("0".repeat(decimals)).toString();
        }
        // a = 0.DIGITS x 10^point, DIGITS from the shortest form: "123.45", "1.0E-5", "1.2345E10".
        String s = Double.toString(a);
        int e = s.indexOf('E');
        String mantissa = e < 0 ? s : s.substring(0, e);
        int dot = mantissa.indexOf('.');
        String digits = mantissa.substring(0, dot) + mantissa.substring(dot + 1);
        int point = dot + (e < 0 ? 0 : Integer.parseInt(s.substring(e + 1)));
        // The first `keep` digits make round(a x 10^decimals); the next one rounds them half up.
        int keep = point + decimals;
        char[] n = new char[Math.max(keep, 0) + 1];
        n[0] = '0'; // room for a carry
        for (int i = 0; i < keep; i++) {
            n[i + 1] = i < digits.length() ? digits.charAt(i) : '0';
        }
        if (keep >= 0 && keep < digits.length() && digits.charAt(keep) >= '5') {
            int i = n.length - 1;
            while (n[i] == '9') {
                n[i--] = '0';
            }
            n[i]++;
        }
        int first = n[0] == '0' ? 1 : 0; // no leading zero unless a carry made one
        int len = n.length - first;
        if (len <= decimals) {
            out.append('0').append('.');
            for (int i = len; i < decimals; i++) {
                out.append('0');
            }
            out.append(n, first, len);
        } else {
            out.append(n, first, len - decimals).append('.').append(n, first + len - decimals, decimals);
        }
        return out.toString();
    }

    static String csv(String s) {
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}

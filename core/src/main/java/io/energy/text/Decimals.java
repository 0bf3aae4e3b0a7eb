package io.energy.text;

import java.util.Locale;

/** Decimal numbers as text, for the outputs and the lines the agent prints. */
public final class Decimals {
    private Decimals() {
    }

    /**
     * {@code String.format(Locale.ROOT, "%.<decimals>f", v)}, the same characters at a fraction of the cost: the
     * methods CSV is thousands of numbers, formatted once at exit by code the JIT has not compiled, and the
     * Formatter made it the slowest of the outputs (~65 ms of an H2 run's exit); the estimate's description is
     * built before {@code main}, where the Formatter's first use costs ~10 ms. Like the Formatter, it rounds the
     * shortest decimal form of the double ({@link Double#toString}) half up, and keeps the sign of a negative
     * number that rounds to zero (and of -0.0). A third of the CSV's numbers are zero.
     */
    public static String fixed(double v, int decimals) {
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

}

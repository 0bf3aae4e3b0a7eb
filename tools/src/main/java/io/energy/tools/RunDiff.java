package io.energy.tools;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The joules of two runs of the same program, method by method, with a verdict on each change.
 *
 * <p>Each method's inclusive energy (a bucket's own) carries a bound b: the half-width of a ~95 % interval from the sampling grain
 * and the power source's grain (docs/formats.md). The difference of two independent such figures has the
 * half-width sqrt(b1² + b2²), so a change is <em>significant</em> only when |Δ| exceeds it — two runs of
 * the same work differ by less than that about 95 % of the time per method. A change must also be at least
 * {@code minChangePct} of the base figure: a bound that is tiny because a method ran long is no reason to
 * report a 0.3 % drift that nobody would act on. Buckets ({@code (static/idle)}, {@code (other processes)},
 * ...) are shown but get no verdict: they carry no bound, and idle and other processes' energy say nothing
 * about this program's code. The run's total (this process's joules, every domain that counts in totals)
 * is tested against the quadrature sum of all its methods' bounds, which overstates its uncertainty (the
 * shares of one interval's energy are not independent: what one method did not get, another did), so the
 * total errs towards "within noise".
 */
public final class RunDiff {
    public enum Verdict {
        GREW("grew"), SHRANK("shrank"), NOISE("within noise"), NONE("");

        final String label;

        Verdict(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** One method (or bucket) in both runs; a method absent from a run counts 0 J there. */
    public record Row(String name, boolean bucket, double baseJ, double newJ, double baseBoundJ, double newBoundJ,
                      double boundJ, double baseWallMs, double newWallMs, double baseCpuMs, double newCpuMs,
                      long baseCalls, long newCalls, Verdict verdict) {
        /** boundJ: half-width of the ~95 % interval of the difference ({@link #halfWidth}). */
        public double deltaJ() {
            return newJ - baseJ;
        }

        /** Relative change in % of the base; +∞ for a method that had no energy in the base run. */
        public double changePct() {
            return percent(baseJ, newJ);
        }

        public double deltaWallMs() {
            return newWallMs - baseWallMs;
        }

        public double deltaCpuMs() {
            return newCpuMs - baseCpuMs;
        }
    }

    /** The whole process: its joules with the bound described above, and wall and CPU time of the runs. */
    public record Total(double baseJ, double newJ, double boundJ, double baseWallS, double newWallS, double baseCpuMs,
                        double newCpuMs, Verdict verdict) {
        public double deltaJ() {
            return newJ - baseJ;
        }

        public double changePct() {
            return percent(baseJ, newJ);
        }
    }

    private final RunData base;
    private final RunData next;
    private final double minChangePct;
    private final List<Row> rows;
    private final Total total;

    private RunDiff(RunData base, RunData next, double minChangePct, List<Row> rows, Total total) {
        this.base = base;
        this.next = next;
        this.minChangePct = minChangePct;
        this.rows = rows;
        this.total = total;
    }

    public static RunDiff of(RunData base, RunData next, double minChangePct) {
        Set<String> names = new LinkedHashSet<>(base.figures().keySet());
        names.addAll(next.figures().keySet());
        List<Row> rows = new ArrayList<>();
        for (String name : names) {
            RunData.Figures a = base.figures().get(name);
            RunData.Figures b = next.figures().get(name);
            double aJ = a == null ? 0 : a.energyJ(), bJ = b == null ? 0 : b.energyJ();
            if (aJ == 0 && bJ == 0) {
                continue; // ran in neither, or too briefly to be charged: nothing to compare
            }
            boolean bucket = (a != null ? a : b).bucket();
            double aB = a == null ? 0 : a.boundJ(), bB = b == null ? 0 : b.boundJ();
            double half = halfWidth(aB, bB, base.energyJStdDev().getOrDefault(name, 0.0), base.runs(),
                    next.energyJStdDev().getOrDefault(name, 0.0), next.runs());
            Verdict v = bucket ? Verdict.NONE : verdictWithin(aJ, bJ, half, minChangePct);
            rows.add(new Row(name, bucket, aJ, bJ, aB, bB, half, a == null ? 0 : a.wallMs(), b == null ? 0 : b.wallMs(),
                    a == null ? 0 : a.cpuMs(), b == null ? 0 : b.cpuMs(), a == null ? 0 : a.calls(),
                    b == null ? 0 : b.calls(), v));
        }
        // Biggest changes first; ties (e.g. unchanged zero-bound buckets) keep the base run's order.
        rows.sort(Comparator.comparingDouble((Row r) -> -Math.abs(r.deltaJ())));
        double totalBound = halfWidth(Math.sqrt(sumOfSquaredBounds(base)), Math.sqrt(sumOfSquaredBounds(next)),
                base.processJStdDev(), base.runs(), next.processJStdDev(), next.runs());
        Total total = new Total(base.processJ(), next.processJ(), totalBound, base.durationSeconds(),
                next.durationSeconds(), base.processCpuMs(), next.processCpuMs(),
                verdictWithin(base.processJ(), next.processJ(), totalBound, minChangePct));
        return new RunDiff(base, next, minChangePct, List.copyOf(rows), total);
    }

    /**
     * Significant when the change exceeds the combined bound sqrt(b1² + b2²) and is at least
     * {@code minChangePct} of the base (any size counts for a method the base run did not charge at all).
     */
    public static Verdict verdict(double baseJ, double newJ, double baseBoundJ, double newBoundJ, double minChangePct) {
        return verdictWithin(baseJ, newJ, Math.hypot(baseBoundJ, newBoundJ), minChangePct);
    }

    /** Significant when |Δ| exceeds the half-width of the difference's interval and the minimum relative size. */
    public static Verdict verdictWithin(double baseJ, double newJ, double halfWidth, double minChangePct) {
        double delta = newJ - baseJ;
        if (!(Math.abs(delta) > halfWidth)) {
            return Verdict.NOISE;
        }
        if (baseJ > 0 && Math.abs(delta) / baseJ * 100 < minChangePct) {
            return Verdict.NOISE;
        }
        return delta > 0 ? Verdict.GREW : Verdict.SHRANK;
    }

    /**
     * Packages of the JDK itself: shown with their verdicts, never gated. Not every {@code javax.} or {@code com.sun.}
     * package is the JDK's ({@code javax.servlet}, {@code com.sun.jna} are libraries), nor every {@code jdk.} class
     * ({@code jdk.proxyN} holds the application's dynamic proxies): only the JDK's own are listed.
     */
    private static final String[] PLATFORM = {"java.", "jdk.internal.", "sun.", "com.sun.crypto.provider.",
            "com.sun.security.", "com.sun.net.", "com.sun.management.", "com.sun.jndi.", "com.sun.org.apache.",
            "javax.crypto.", "javax.net.", "javax.security.", "javax.management.", "javax.naming.", "javax.xml.parsers.",
            "javax.xml.transform."};

    /** True for a method of the Java platform (see {@link #failures}). */
    public static boolean platformMethod(String name) {
        for (String p : PLATFORM) {
            if (name.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /**
     * What fails {@code --fail-above PCT}: the total and every method (never a bucket) that grew
     * significantly by more than PCT % of its base figure. A method new in the second run grew by an
     * unbounded percentage, so it fails whenever its growth is significant.
     *
     * <p>Methods of the JDK ({@link #platformMethod}) are not gated: they move with the JIT's choices from run to run
     * of the same code (which frame of an intrinsic, an inlined or a compiled copy the samples land in:
     * {@code DigestBase.implCompressMultiBlock0} +24.7% in five runs against five of unchanged work, RunDiffIT), and
     * each of the dozens of them tested at ~95 % is another chance of a false alarm. The price: a JDK method's
     * growth fails the gate only where it moves the total, or a program frame that called it, by more than PCT %
     * of that figure: a JDK method that doubles inside a caller ten times its size (+10 %), or on a thread with
     * no program frame at all (a common-pool worker's sort), can pass. Its row still says "grew".
     */
    public List<String> failures(double failAbovePct) {
        List<String> out = new ArrayList<>();
        if (total.verdict() == Verdict.GREW && total.changePct() > failAbovePct) {
            out.add(String.format(java.util.Locale.ROOT, "total (this process) grew %s: %.3f J -> %.3f J (%+.3f J, ±%.3f J)",
                    pct(total.changePct()), total.baseJ(), total.newJ(), total.deltaJ(), total.boundJ()));
        }
        for (Row r : rows) {
            if (!r.bucket() && !platformMethod(r.name()) && r.verdict() == Verdict.GREW && r.changePct() > failAbovePct) {
                out.add(String.format(java.util.Locale.ROOT, "%s grew %s: %.3f J -> %.3f J (%+.3f J, ±%.3f J)", r.name(),
                        pct(r.changePct()), r.baseJ(), r.newJ(), r.deltaJ(), r.boundJ()));
            }
        }
        return out;
    }

    /**
     * Half-width of the ~95 % interval of a difference of two (mean) figures. From the bounds alone:
     * sqrt(b1² + b2²). With repeated runs the spread between runs is evidence too (JIT timing, caches, a
     * busy machine: run-to-run variation that no single run's bound contains): Welch's t interval
     * t(0.975, df) · sqrt(s1²/n1 + s2²/n2). A side with a single run borrows the other side's spread (same
     * program, same machine), with the other side's degrees of freedom. The wider of the two intervals wins.
     */
    public static double halfWidth(double baseBound, double newBound, double baseSd, int baseRuns, double newSd, int newRuns) {
        double bounds = Math.hypot(baseBound, newBound);
        if (baseRuns < 2 && newRuns < 2) {
            return bounds;
        }
        double s1 = baseRuns < 2 ? newSd : baseSd, s2 = newRuns < 2 ? baseSd : newSd;
        double v1 = s1 * s1 / baseRuns, v2 = s2 * s2 / newRuns;
        double df;
        if (baseRuns < 2 || newRuns < 2) {
            df = Math.max(baseRuns, newRuns) - 1;
        } else {
            double den = v1 * v1 / (baseRuns - 1) + v2 * v2 / (newRuns - 1);
            df = den == 0 ? baseRuns + newRuns - 2 : (v1 + v2) * (v1 + v2) / den;
        }
        return Math.max(bounds, tCritical95(df) * Math.sqrt(v1 + v2));
    }

    private static final double[] T95 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201,
            2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
            2.052, 2.048, 2.045, 2.042};

    /** Two-sided 95 % quantile of Student's t; a fractional df rounds down (the wider interval). */
    static double tCritical95(double df) {
        int d = (int) Math.floor(df);
        if (d < 1) {
            return T95[0];
        }
        return d <= 30 ? T95[d - 1] : d <= 60 ? 2.000 : d <= 120 ? 1.980 : 1.960;
    }

    static String pct(double p) {
        return Double.isInfinite(p) ? "(new)" : String.format(java.util.Locale.ROOT, "%+.1f%%", p);
    }

    private static double sumOfSquaredBounds(RunData run) {
        double s = 0;
        for (RunData.Figures f : run.figures().values()) {
            s += f.boundJ() * f.boundJ();
        }
        return s;
    }

    static double percent(double base, double next) {
        if (base == 0) {
            return next == 0 ? 0 : next > 0 ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        }
        return (next - base) / base * 100;
    }

    public RunData base() {
        return base;
    }

    public RunData next() {
        return next;
    }

    public double minChangePct() {
        return minChangePct;
    }

    public List<Row> rows() {
        return rows;
    }

    public Total total() {
        return total;
    }
}

package io.energy.junit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A stored run to compare with: the per-test JSON files of earlier runs ({@code target/energy-tests/} copied
 * somewhere), read from a directory and all its subdirectories, so several runs can be pooled.
 *
 * <p>A test regressed when all hold: its repetitions' joules are significantly larger than the baseline's
 * (Mann–Whitney, one-sided, p &lt; alpha); the median grew by more than the threshold; and, when the baseline
 * holds at least {@link #MIN_RUNS} runs, the new run's median lies beyond what the baseline's runs vary among
 * themselves (a one-sided prediction test on the logarithms of the run medians, Student's t with runs − 1
 * degrees of freedom, p &lt; alpha). Significance alone would flag tiny real shifts in long runs; a threshold
 * alone would flag noise in short ones; and repetitions within one build share that build's conditions (other
 * load on the machine, memory bandwidth, the heap), so only several stored runs show how much a whole build
 * moves.
 */
public final class Baseline {
    /** What a comparison found. */
    public record Verdict(String test, int baseN, int newN, double baseMedian, double newMedian, double change,
                          double p, double alpha, double threshold, boolean estimated, String outcome, int baseRuns,
                          double pRuns) {
        public boolean regression() {
            return "regression".equals(outcome);
        }

        public String describe() {
            if ("too few repetitions".equals(outcome)) {
                return String.format(Locale.ROOT, "%s: not compared (%d repetitions here, %d in the baseline; "
                        + "at least %d each are needed: use @RepeatedTest)", test, newN, baseN, MIN_REPETITIONS);
            }
            String runs = Double.isNaN(pRuns)
                    ? String.format(Locale.ROOT, "; run-to-run variation not tested (%d baseline run%s: store %d or "
                    + "more)", baseRuns, baseRuns == 1 ? "" : "s", MIN_RUNS)
                    : String.format(Locale.ROOT, "; against the spread of %d baseline runs p = %.2g", baseRuns, pRuns);
            return String.format(Locale.ROOT, "%s: median %.4f J -> %.4f J (%+.1f%%, threshold %.0f%%), Mann-Whitney "
                            + "one-sided p = %.2g (alpha %.2g), %d repetitions vs %d in the baseline%s%s: %s", test,
                    baseMedian, newMedian, 100 * change, 100 * threshold, p, alpha, newN, baseN, runs,
                    estimated ? " (estimated: CPU-time model)" : "", outcome);
        }
    }

    static final int MIN_REPETITIONS = 3;
    /** Runs needed to estimate how much a whole run moves (two give one degree of freedom: no test at all). */
    static final int MIN_RUNS = 3;

    /** Per test, per stored run (one file), the repetitions' joules. */
    private final Map<String, List<double[]>> runs;
    private final Path dir;

    private Baseline(Path dir, Map<String, List<double[]>> runs) {
        this.dir = dir;
        this.runs = runs;
    }

    /** Reads every energy-tests JSON file under {@code dir}; files that are not ones are skipped. */
    public static Baseline load(Path dir) throws IOException {
        Map<String, List<double[]>> by = new HashMap<>();
        if (!Files.isDirectory(dir)) {
            throw new IOException("energy.baseline=" + dir + " is not a directory (expected a copy of an earlier "
                    + "run's target/energy-tests/)");
        }
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (!f.toString().endsWith(".json") || !Files.isRegularFile(f)) {
                    continue;
                }
                JsonNode n;
                try {
                    n = json.readTree(f.toFile());
                } catch (IOException e) {
                    continue;
                }
                if (n == null || !n.has("test") || !n.has("repetitions") || !n.path("available").asBoolean()) {
                    continue;
                }
                List<Double> list = new ArrayList<>();
                for (JsonNode r : n.get("repetitions")) {
                    if (r.has("joules") && r.get("joules").isNumber()) {
                        list.add(r.get("joules").asDouble());
                    }
                }
                if (!list.isEmpty()) {
                    by.computeIfAbsent(n.get("test").asText(), k -> new ArrayList<>())
                            .add(list.stream().mapToDouble(Double::doubleValue).toArray());
                }
            }
        }
        return new Baseline(dir, by);
    }

    /** A baseline of one run per test, from values in memory. */
    public static Baseline of(Map<String, double[]> joules) {
        Map<String, List<double[]>> by = new HashMap<>();
        joules.forEach((k, v) -> by.put(k, List.of(v)));
        return new Baseline(null, by);
    }

    /** A baseline of several runs per test, from values in memory. */
    public static Baseline ofRuns(Map<String, List<double[]>> runs) {
        return new Baseline(null, new HashMap<>(runs));
    }

    public Path dir() {
        return dir;
    }

    /** The baseline's joules for a test, all runs pooled, or an empty list. */
    public List<Double> of(String test) {
        List<Double> all = new ArrayList<>();
        for (double[] r : runs.getOrDefault(test, List.of())) {
            for (double v : r) {
                all.add(v);
            }
        }
        return all;
    }

    /**
     * One-sided p of "a run with this median is larger than the baseline's runs": the new run's log-median against
     * a prediction interval from the baseline runs' log-medians, Student's t with k − 1 degrees of freedom; NaN with
     * fewer than {@link #MIN_RUNS} runs. The new median's own sampling error (from its repetitions' spread) is added,
     * so that baseline runs that happen to agree exactly (quantised joules) do not make every small move significant.
     */
    double pRuns(String test, double[] now, boolean larger) {
        double newMedian = MannWhitney.median(now);
        List<double[]> rs = runs.getOrDefault(test, List.of());
        int k = rs.size();
        if (k < MIN_RUNS || !(newMedian > 0)) {
            return Double.NaN;
        }
        double[] logs = new double[k];
        double mean = 0;
        for (int i = 0; i < k; i++) {
            double m = MannWhitney.median(rs.get(i));
            if (!(m > 0)) {
                return Double.NaN;
            }
            logs[i] = Math.log(m);
            mean += logs[i] / k;
        }
        double ss = 0;
        for (double l : logs) {
            ss += (l - mean) * (l - mean);
        }
        double sd = Math.sqrt(ss / (k - 1));
        double nm = 0;
        int n = 0;
        for (double v : now) {
            if (v > 0) {
                nm += Math.log(v);
                n++;
            }
        }
        double nss = 0;
        for (double v : now) {
            if (v > 0) {
                nss += (Math.log(v) - nm / n) * (Math.log(v) - nm / n);
            }
        }
        // standard error of a median: about 1.2533 σ / √n
        double seNew = n > 1 ? 1.2533 * Math.sqrt(nss / (n - 1)) / Math.sqrt(n) : 0;
        double diff = Math.log(newMedian) - mean;
        double scale = Math.sqrt(sd * sd * (1 + 1.0 / k) + seNew * seNew);
        if (scale == 0) {
            return diff == 0 ? 1.0 : (diff > 0) == larger ? 0.0 : 1.0;
        }
        double t = diff / scale;
        return larger ? 1 - StudentT.cdf(t, k - 1) : StudentT.cdf(t, k - 1);
    }

    /** Compares a test's repetitions with the baseline's. */
    public Verdict compare(String test, double[] now, double alpha, double threshold, boolean estimated) {
        double[] base = of(test).stream().mapToDouble(Double::doubleValue).toArray();
        int k = runs.getOrDefault(test, List.of()).size();
        if (base.length < MIN_REPETITIONS || now.length < MIN_REPETITIONS) {
            return new Verdict(test, base.length, now.length, MannWhitney.median(base), MannWhitney.median(now),
                    Double.NaN, Double.NaN, alpha, threshold, estimated, "too few repetitions", k, Double.NaN);
        }
        double mb = MannWhitney.median(base);
        double mn = MannWhitney.median(now);
        double change = mb > 0 ? mn / mb - 1 : (mn > 0 ? Double.POSITIVE_INFINITY : 0);
        double pUp = MannWhitney.pGreater(base, now);
        double pDown = MannWhitney.pGreater(now, base);
        double pRuns = pRuns(test, now, change >= 0);
        boolean beyondRuns = Double.isNaN(pRuns) || pRuns < alpha;
        String outcome;
        if (pUp < alpha && change > threshold && beyondRuns) {
            outcome = "regression";
        } else if (pDown < alpha && change < -threshold && beyondRuns) {
            outcome = "improvement";
        } else {
            outcome = "no significant change";
        }
        return new Verdict(test, base.length, now.length, mb, mn, change, change >= 0 ? pUp : pDown, alpha, threshold,
                estimated, outcome, k, pRuns);
    }

    /** {@code 10%} or {@code 0.1}: a fraction. */
    static double parseFraction(String s) {
        String t = s.trim();
        try {
            if (t.endsWith("%")) {
                return Double.parseDouble(t.substring(0, t.length() - 1).trim()) / 100;
            }
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not a fraction (expected e.g. 10% or 0.1)");
        }
    }
}

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
 * <p>A test regressed when both hold: its repetitions' joules are significantly larger than the baseline's
 * (Mann–Whitney, one-sided, p &lt; alpha) and the median grew by more than the threshold. Significance alone
 * would flag tiny real shifts in long runs; a threshold alone would flag noise in short ones.
 */
public final class Baseline {
    /** What a comparison found. */
    public record Verdict(String test, int baseN, int newN, double baseMedian, double newMedian, double change,
                          double p, double alpha, double threshold, boolean estimated, String outcome) {
        public boolean regression() {
            return "regression".equals(outcome);
        }

        public String describe() {
            if ("too few repetitions".equals(outcome)) {
                return String.format(Locale.ROOT, "%s: not compared (%d repetitions here, %d in the baseline; "
                        + "at least %d each are needed: use @RepeatedTest)", test, newN, baseN, MIN_REPETITIONS);
            }
            return String.format(Locale.ROOT, "%s: median %.4f J -> %.4f J (%+.1f%%, threshold %.0f%%), Mann-Whitney "
                            + "one-sided p = %.2g (alpha %.2g), %d repetitions vs %d in the baseline%s: %s", test,
                    baseMedian, newMedian, 100 * change, 100 * threshold, p, alpha, newN, baseN,
                    estimated ? " (estimated: CPU-time model)" : "", outcome);
        }
    }

    static final int MIN_REPETITIONS = 3;

    private final Map<String, List<Double>> joules;
    private final Path dir;

    private Baseline(Path dir, Map<String, List<Double>> joules) {
        this.dir = dir;
        this.joules = joules;
    }

    /** Reads every energy-tests JSON file under {@code dir}; files that are not ones are skipped. */
    public static Baseline load(Path dir) throws IOException {
        Map<String, List<Double>> by = new HashMap<>();
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
                List<Double> list = by.computeIfAbsent(n.get("test").asText(), k -> new ArrayList<>());
                for (JsonNode r : n.get("repetitions")) {
                    if (r.has("joules") && r.get("joules").isNumber()) {
                        list.add(r.get("joules").asDouble());
                    }
                }
            }
        }
        return new Baseline(dir, by);
    }

    /** A baseline from values in memory (tests, or tools that keep their own store). */
    public static Baseline of(Map<String, double[]> joules) {
        Map<String, List<Double>> by = new HashMap<>();
        joules.forEach((k, v) -> by.put(k, java.util.Arrays.stream(v).boxed().toList()));
        return new Baseline(null, by);
    }

    public Path dir() {
        return dir;
    }

    /** The baseline's joules for a test, or an empty list. */
    public List<Double> of(String test) {
        return joules.getOrDefault(test, List.of());
    }

    /** Compares a test's repetitions with the baseline's. */
    public Verdict compare(String test, double[] now, double alpha, double threshold, boolean estimated) {
        double[] base = of(test).stream().mapToDouble(Double::doubleValue).toArray();
        if (base.length < MIN_REPETITIONS || now.length < MIN_REPETITIONS) {
            return new Verdict(test, base.length, now.length, MannWhitney.median(base), MannWhitney.median(now),
                    Double.NaN, Double.NaN, alpha, threshold, estimated, "too few repetitions");
        }
        double mb = MannWhitney.median(base);
        double mn = MannWhitney.median(now);
        double change = mb > 0 ? mn / mb - 1 : (mn > 0 ? Double.POSITIVE_INFINITY : 0);
        double pUp = MannWhitney.pGreater(base, now);
        double pDown = MannWhitney.pGreater(now, base);
        String outcome;
        if (pUp < alpha && change > threshold) {
            outcome = "regression";
        } else if (pDown < alpha && change < -threshold) {
            outcome = "improvement";
        } else {
            outcome = "no significant change";
        }
        return new Verdict(test, base.length, now.length, mb, mn, change, change >= 0 ? pUp : pDown, alpha, threshold,
                estimated, outcome);
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

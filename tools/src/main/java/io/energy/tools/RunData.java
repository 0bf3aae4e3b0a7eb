package io.energy.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One finished run, read back from its output folder: {@code energy-summary.json} (with Jackson) for the
 * per-method figures and the run's totals, {@code energy.collapsed} for the call paths. Anything missing or
 * malformed is a {@link BadInput} that names the file and what is wrong with it.
 *
 * <p>A folder without a summary whose subfolders are output folders is a set of <em>repeated runs</em> of the
 * same work: it reads as their mean (figures, bounds of the mean, call paths), with the spread of each method's
 * joules over the runs ({@link #energyJStdDev}), which {@link RunDiff} uses to test changes against run-to-run
 * variation and not only against each run's measurement bound.
 */
public record RunData(Path dir, String source, boolean estimated, double durationSeconds, double processCpuMs,
                      double measuredJ, double processJ, long ledgerNanoJoules, Double work,
                      Map<String, Figures> figures, Map<String, Long> collapsed,
                      int runs, Map<String, Double> energyJStdDev, double processJStdDev) {

    /**
     * One method or bucket of a run, all its call paths merged, as energy-summary.json gives it. {@code energyJ}
     * and {@code boundJ} are what a diff compares: a method's inclusive joules (what it cost with everything it
     * called: with CPU energy on real stacks, a method's self energy is only the samples where it was the
     * innermost frame, so a regression in a method that calls the JDK shows in its inclusive energy), a
     * bucket's own joules.
     */
    public record Figures(String name, boolean bucket, long calls, double wallMs, double cpuMs, double energyJ,
                          double boundJ, double inclusiveJ) {
    }

    static final String SUMMARY = "energy-summary.json";
    static final String COLLAPSED = "energy.collapsed";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Reads a run's output folder, or a folder of repeated runs' output folders as their mean;
     * {@code collapsedNeeded} is false for compare, which uses only the summary.
     */
    public static RunData read(Path dir, boolean collapsedNeeded) throws BadInput {
        if (!Files.isDirectory(dir)) {
            throw new BadInput(dir + " is not a directory (expected an energy output folder, e.g. energy-out)");
        }
        if (!Files.isRegularFile(dir.resolve(SUMMARY))) {
            List<Path> repeats = new java.util.ArrayList<>();
            try (java.util.stream.Stream<Path> children = Files.list(dir)) {
                children.filter(c -> Files.isRegularFile(c.resolve(SUMMARY))).sorted().forEach(repeats::add);
            } catch (IOException e) {
                throw new BadInput("cannot list " + dir + ": " + e.getMessage());
            }
            if (repeats.isEmpty()) {
                throw new BadInput(dir + " has no " + SUMMARY + " (nor subfolders of repeated runs that have one): "
                        + "not an energy output folder, or the run has not finished");
            }
            List<RunData> runs = new java.util.ArrayList<>();
            for (Path r : repeats) {
                runs.add(readOne(r, collapsedNeeded));
            }
            return mean(dir, runs);
        }
        return readOne(dir, collapsedNeeded);
    }

    /**
     * Repeated runs as one: means of every figure (a method missing from a run counts 0 J there), the bound
     * of a mean (independent bounds: sqrt(Σ b²) / n), the standard deviation of each method's joules and of
     * the process total over the runs, and each call path's mean µJ rounded.
     */
    static RunData mean(Path dir, List<RunData> runs) {
        int n = runs.size();
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        java.util.Set<String> stacks = new java.util.LinkedHashSet<>();
        for (RunData r : runs) {
            names.addAll(r.figures().keySet());
            stacks.addAll(r.collapsed().keySet());
        }
        Map<String, Figures> figures = new LinkedHashMap<>();
        Map<String, Double> sd = new LinkedHashMap<>();
        for (String name : names) {
            double[] j = new double[n];
            double calls = 0, wall = 0, cpu = 0, b2 = 0, incl = 0;
            boolean bucket = false;
            for (int i = 0; i < n; i++) {
                Figures f = runs.get(i).figures().get(name);
                if (f == null) {
                    continue;
                }
                bucket = f.bucket();
                j[i] = f.energyJ();
                calls += f.calls();
                wall += f.wallMs();
                cpu += f.cpuMs();
                b2 += f.boundJ() * f.boundJ();
                incl += f.inclusiveJ();
            }
            figures.put(name, new Figures(name, bucket, Math.round(calls / n), wall / n, cpu / n, avg(j),
                    Math.sqrt(b2) / n, incl / n));
            sd.put(name, stdDev(j));
        }
        Map<String, Long> collapsed = new LinkedHashMap<>();
        for (String stack : stacks) {
            long sum = 0;
            for (RunData r : runs) {
                sum += r.collapsed().getOrDefault(stack, 0L);
            }
            collapsed.put(stack, Math.round((double) sum / n));
        }
        double[] process = runs.stream().mapToDouble(RunData::processJ).toArray();
        RunData first = runs.get(0);
        boolean estimated = runs.stream().anyMatch(RunData::estimated);
        Double work = runs.stream().allMatch(r -> r.work() != null)
                ? runs.stream().mapToDouble(RunData::work).average().orElse(0) : null;
        return new RunData(dir, first.source(), estimated,
                runs.stream().mapToDouble(RunData::durationSeconds).average().orElse(0),
                runs.stream().mapToDouble(RunData::processCpuMs).average().orElse(Double.NaN),
                runs.stream().mapToDouble(RunData::measuredJ).average().orElse(0), avg(process),
                Math.round(runs.stream().mapToLong(RunData::ledgerNanoJoules).average().orElse(0)), work, figures,
                collapsed, n, sd, stdDev(process));
    }

    static double avg(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** Sample standard deviation (n - 1); 0 for a single value. */
    static double stdDev(double[] v) {
        if (v.length < 2) {
            return 0;
        }
        double m = avg(v), s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }

    private static RunData readOne(Path dir, boolean collapsedNeeded) throws BadInput {
        Path summaryFile = dir.resolve(SUMMARY);
        JsonNode s;
        try {
            s = JSON.readTree(summaryFile.toFile());
        } catch (JsonProcessingException e) {
            throw new BadInput(summaryFile + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadInput("cannot read " + summaryFile + ": " + e.getMessage());
        }
        if (s == null || !s.isObject()) {
            throw new BadInput(summaryFile + " is not a JSON object");
        }
        int version = s.path("schemaVersion").asInt(-1);
        if (version != 1) {
            throw new BadInput(summaryFile + " has schemaVersion " + s.path("schemaVersion")
                    + "; this energy.jar reads schemaVersion 1");
        }
        double measured = 0, process = 0;
        for (JsonNode d : array(s, "domains", summaryFile)) {
            // Domains that lie inside others (RAPL core, uncore, psys) would count their joules twice.
            if (d.path("inTotal").asBoolean(true)) {
                measured += number(d, "measuredJ", summaryFile);
                process += number(d, "processJ", summaryFile);
            }
        }
        Map<String, Figures> figures = new LinkedHashMap<>();
        for (String kind : List.of("methods", "buckets")) {
            for (JsonNode m : array(s, kind, summaryFile)) {
                String name = m.path("name").asText(null);
                if (name == null) {
                    throw new BadInput(summaryFile + ": an entry of " + kind + "[] has no name");
                }
                boolean bucket = kind.equals("buckets");
                double self = number(m, "selfJ", summaryFile);
                double selfBound = number(m, "selfBoundJ", summaryFile);
                boolean inclusive = !bucket && m.has("inclusiveJ") && m.has("inclusiveBoundJ");
                figures.put(name, new Figures(name, bucket, m.path("calls").asLong(),
                        m.path("wallMs").asDouble(), m.path("cpuMs").asDouble(),
                        inclusive ? number(m, "inclusiveJ", summaryFile) : self,
                        inclusive ? number(m, "inclusiveBoundJ", summaryFile) : selfBound, m.path("inclusiveJ").asDouble()));
            }
        }
        JsonNode work = s.get("work");
        Map<String, Long> collapsed = collapsedNeeded ? readCollapsed(dir.resolve(COLLAPSED)) : Map.of();
        return new RunData(dir, s.path("source").asText("?"), s.path("estimated").asBoolean(),
                number(s, "durationSeconds", summaryFile), s.path("health").path("processCpuMs").asDouble(Double.NaN),
                measured, process, s.path("totals").path("ledgerNanoJoules").asLong(),
                work != null && work.isNumber() ? work.asDouble() : null, figures, collapsed, 1, Map.of(), 0);
    }

    /**
     * {@code frame;frame;frame <integer µJ>} per line (docs/formats.md). The count is the last
     * space-separated field; the agent already wrote spaces inside frames as {@code _}.
     */
    static Map<String, Long> readCollapsed(Path file) throws BadInput {
        if (!Files.isRegularFile(file)) {
            throw new BadInput(file.getParent() + " has no " + file.getFileName() + ", which the differential flame graph is drawn from");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadInput("cannot read " + file + ": " + e.getMessage());
        }
        Map<String, Long> stacks = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            long value;
            try {
                if (space <= 0) {
                    throw new NumberFormatException();
                }
                value = Long.parseLong(line.substring(space + 1).trim());
            } catch (NumberFormatException e) {
                throw new BadInput(file + " line " + (i + 1) + " is not 'stack <integer µJ>': " + abbreviate(line));
            }
            if (value < 0) {
                throw new BadInput(file + " line " + (i + 1) + " has a negative count: " + abbreviate(line));
            }
            stacks.merge(line.substring(0, space), value, Long::sum);
        }
        return stacks;
    }

    /** What a folded-stack reader would add up: the file's total in µJ. */
    public long collapsedTotalMicroJoules() {
        long sum = 0;
        for (long v : collapsed.values()) {
            sum += v;
        }
        return sum;
    }

    public boolean hasProcessCpu() {
        return !Double.isNaN(processCpuMs);
    }

    private static Iterable<JsonNode> array(JsonNode s, String field, Path file) throws BadInput {
        JsonNode a = s.get(field);
        if (a == null || !a.isArray()) {
            throw new BadInput(file + " has no " + field + "[] array");
        }
        return a;
    }

    private static double number(JsonNode n, String field, Path file) throws BadInput {
        JsonNode v = n.get(field);
        if (v == null || !v.isNumber()) {
            throw new BadInput(file + ": '" + field + "' is missing or not a number"
                    + (n.has("name") ? " (in " + n.get("name").asText() + ")" : ""));
        }
        return v.asDouble();
    }

    private static String abbreviate(String line) {
        return line.length() > 120 ? line.substring(0, 117) + "..." : line;
    }
}

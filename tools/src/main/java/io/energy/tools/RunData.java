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
 */
public record RunData(Path dir, String source, boolean estimated, double durationSeconds, double processCpuMs,
                      double measuredJ, double processJ, long ledgerNanoJoules, Double work,
                      Map<String, Figures> figures, Map<String, Long> collapsed) {

    /** One method or bucket of a run, all its call paths merged, as energy-summary.json gives it. */
    public record Figures(String name, boolean bucket, long calls, double wallMs, double cpuMs, double selfJ,
                          double selfBoundJ, double inclusiveJ) {
    }

    static final String SUMMARY = "energy-summary.json";
    static final String COLLAPSED = "energy.collapsed";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads a run's output folder; {@code collapsedNeeded} is false for compare, which uses only the summary. */
    public static RunData read(Path dir, boolean collapsedNeeded) throws BadInput {
        if (!Files.isDirectory(dir)) {
            throw new BadInput(dir + " is not a directory (expected an energy output folder, e.g. energy-out)");
        }
        Path summaryFile = dir.resolve(SUMMARY);
        if (!Files.isRegularFile(summaryFile)) {
            throw new BadInput(dir + " has no " + SUMMARY + ": not an energy output folder, or the run has not finished");
        }
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
                figures.put(name, new Figures(name, kind.equals("buckets"), m.path("calls").asLong(),
                        m.path("wallMs").asDouble(), m.path("cpuMs").asDouble(), number(m, "selfJ", summaryFile),
                        number(m, "selfBoundJ", summaryFile), m.path("inclusiveJ").asDouble()));
            }
        }
        JsonNode work = s.get("work");
        Map<String, Long> collapsed = collapsedNeeded ? readCollapsed(dir.resolve(COLLAPSED)) : Map.of();
        return new RunData(dir, s.path("source").asText("?"), s.path("estimated").asBoolean(),
                number(s, "durationSeconds", summaryFile), s.path("health").path("processCpuMs").asDouble(Double.NaN),
                measured, process, s.path("totals").path("ledgerNanoJoules").asLong(),
                work != null && work.isNumber() ? work.asDouble() : null, figures, collapsed);
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

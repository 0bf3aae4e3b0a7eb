package io.energy.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code java -jar energy.jar compare DIR... [--work DIR=N] [--label DIR=NAME] [--energy process|measured] [--out DIR]}:
 * runs of variants of the same work (two algorithms, thread counts, GC choices) as points on one
 * time–energy chart, the Pareto front marked (no other run is both faster and leaner than a run on it),
 * and a table, in {@code energy-compare.html}.
 */
public final class CompareCommand {
    static final String USAGE = "usage: java -jar energy.jar compare DIR DIR... [--work DIR=N] [--label DIR=NAME]"
            + " [--energy process|measured] [--out DIR]";

    /** One run on the chart. {@code work} is null when neither the run nor {@code --work} says how much work it did. */
    public record Point(String label, Path dir, double wallS, double cpuMs, double joules, double processJ,
                        double measuredJ, boolean estimated, Double work) {
        public Double joulesPerWork() {
            return work == null || work == 0 ? null : joules / work;
        }
    }

    private CompareCommand() {
    }

    public static int run(List<String> args, PrintStream out) throws BadInput, IOException {
        Map<String, String> work = new LinkedHashMap<>();
        Map<String, String> labels = new LinkedHashMap<>();
        List<String> dirs = new ArrayList<>();
        String energy = "process";
        Path outDir = Path.of(".");
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            // --key=value or --key value; for --work=DIR=N the value is everything after the first '='.
            boolean inlined = a.startsWith("--") && a.contains("=");
            String key = inlined ? a.substring(0, a.indexOf('=')) : a;
            String inline = inlined ? a.substring(a.indexOf('=') + 1) : null;
            switch (key) {
                case "--work", "--label", "--energy", "--out" -> {
                    String v = inline;
                    if (v == null) {
                        if (i + 1 >= args.size()) {
                            throw new BadInput("compare: " + key + " needs a value; " + USAGE);
                        }
                        v = args.get(++i);
                    }
                    switch (key) {
                        case "--work", "--label" -> {
                            int eq = v.lastIndexOf('=');
                            if (eq <= 0) {
                                throw new BadInput("compare: " + key + " takes DIR=" + (key.equals("--work") ? "N" : "NAME") + ", got '" + v + "'");
                            }
                            (key.equals("--work") ? work : labels).put(normal(v.substring(0, eq)), v.substring(eq + 1));
                        }
                        case "--energy" -> {
                            if (!v.equals("process") && !v.equals("measured")) {
                                throw new BadInput("compare: --energy must be process (this process's joules) or measured"
                                        + " (the whole machine's), got '" + v + "'");
                            }
                            energy = v;
                        }
                        default -> outDir = Path.of(v);
                    }
                }
                default -> {
                    if (a.startsWith("--")) {
                        throw new BadInput("compare: unknown option " + a + "; " + USAGE);
                    }
                    dirs.add(a);
                }
            }
        }
        if (dirs.size() < 2) {
            throw new BadInput("compare needs at least two output folders, got " + dirs.size() + "; " + USAGE);
        }
        for (String d : work.keySet()) {
            if (dirs.stream().map(CompareCommand::normal).noneMatch(d::equals)) {
                throw new BadInput("compare: --work names " + d + ", which is not one of the folders compared");
            }
        }
        List<Point> points = new ArrayList<>();
        Map<String, Integer> baseNames = new HashMap<>();
        for (String d : dirs) {
            baseNames.merge(name(Path.of(d)), 1, Integer::sum);
        }
        for (String d : dirs) {
            Path dir = Path.of(d);
            RunData r = RunData.read(dir, false);
            Double w = r.work();
            String given = work.get(normal(d));
            if (given != null) {
                try {
                    w = Double.parseDouble(given);
                } catch (NumberFormatException e) {
                    throw new BadInput("compare: --work " + d + "=" + given + ": the amount of work must be a number");
                }
                if (!(w > 0) || w.isInfinite()) {
                    throw new BadInput("compare: --work " + d + "=" + given + ": the amount of work must be > 0");
                }
            }
            String label = labels.getOrDefault(normal(d), baseNames.get(name(dir)) > 1 ? d : name(dir));
            double joules = energy.equals("process") ? r.processJ() : r.measuredJ();
            points.add(new Point(label, dir, r.durationSeconds(), r.processCpuMs(), joules, r.processJ(), r.measuredJ(),
                    r.estimated(), w));
        }
        boolean[] front = paretoFront(points);
        out.print(table(points, front, energy));
        ObjectNode data = json(points, front, energy);
        AtomicWrite.write(outDir.resolve("energy-compare.json"),
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(data));
        AtomicWrite.write(outDir.resolve("energy-compare.html"), Html.page("energy-compare.html", new ObjectMapper().writeValueAsString(data)));
        out.println("[energy] files: " + outDir.resolve("energy-compare.html") + ", energy-compare.json");
        return 0;
    }

    /**
     * A run is on the front when no other run is at least as good in both wall time and joules and better in
     * one: the runs a team could rationally choose; every other run is beaten on both counts by one of them.
     */
    public static boolean[] paretoFront(List<Point> points) {
        boolean[] front = new boolean[points.size()];
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            boolean dominated = false;
            for (int j = 0; j < points.size() && !dominated; j++) {
                Point q = points.get(j);
                dominated = j != i && q.wallS() <= p.wallS() && q.joules() <= p.joules()
                        && (q.wallS() < p.wallS() || q.joules() < p.joules());
            }
            front[i] = !dominated;
        }
        return front;
    }

    static int fastest(List<Point> points) {
        int best = 0;
        for (int i = 1; i < points.size(); i++) {
            if (points.get(i).wallS() < points.get(best).wallS()) {
                best = i;
            }
        }
        return best;
    }

    static int leanest(List<Point> points) {
        int best = 0;
        for (int i = 1; i < points.size(); i++) {
            if (points.get(i).joules() < points.get(best).joules()) {
                best = i;
            }
        }
        return best;
    }

    static String table(List<Point> points, boolean[] front, String energy) {
        StringBuilder sb = new StringBuilder();
        boolean estimated = points.stream().anyMatch(Point::estimated);
        sb.append("energy compare: ").append(points.size()).append(" runs; J = ")
                .append(energy.equals("process") ? "this process's joules (idle and other processes left out)" : "the machine's measured joules")
                .append(estimated ? "; ESTIMATED from CPU time" : "").append('\n');
        sb.append(String.format(Locale.ROOT, "%-28s %9s %9s %10s %12s  %s%n", "run", "wall s", "CPU s", "J", "J/work", "Pareto front"));
        int fast = fastest(points), lean = leanest(points);
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            String marks = (front[i] ? "front" : "dominated") + (i == fast ? ", fastest" : "") + (i == lean ? ", leanest" : "");
            sb.append(String.format(Locale.ROOT, "%-28s %9.3f %9s %10.3f %12s  %s%n", p.label(), p.wallS(),
                    Double.isNaN(p.cpuMs()) ? "?" : String.format(Locale.ROOT, "%.3f", p.cpuMs() / 1000), p.joules(),
                    p.joulesPerWork() == null ? "-" : String.format(Locale.ROOT, "%.6g", p.joulesPerWork()), marks));
        }
        return sb.toString();
    }

    static ObjectNode json(List<Point> points, boolean[] front, String energy) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        root.put("schemaVersion", 1).put("unit", "J").put("energy", energy);
        root.put("fastest", fastest(points)).put("leanest", leanest(points));
        ArrayNode runs = root.putArray("runs");
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            ObjectNode n = runs.addObject();
            n.put("label", p.label()).put("dir", p.dir().toString()).put("wallS", p.wallS())
                    .put("joules", p.joules()).put("processJ", p.processJ()).put("measuredJ", p.measuredJ())
                    .put("estimated", p.estimated()).put("pareto", front[i]);
            if (Double.isNaN(p.cpuMs())) {
                n.putNull("cpuS");
            } else {
                n.put("cpuS", p.cpuMs() / 1000);
            }
            if (p.work() == null) {
                n.putNull("work");
                n.putNull("joulesPerWork");
            } else {
                n.put("work", p.work());
                n.put("joulesPerWork", p.joulesPerWork());
            }
        }
        return root;
    }

    private static String name(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        return abs.getFileName() == null ? abs.toString() : abs.getFileName().toString();
    }

    /** A folder as given on the command line and in {@code --work DIR=N} may be spelled differently (a trailing /). */
    private static String normal(String dir) {
        return Path.of(dir).toAbsolutePath().normalize().toString();
    }
}

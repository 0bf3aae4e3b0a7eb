package io.energy.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code java -jar energy.jar diff BASE NEW [--fail-above PCT] [--min-change PCT] [--top N] [--out DIR]}.
 * Prints the per-method table, writes {@code energy-diff.html}, {@code energy-diff.collapsed} and
 * {@code energy-diff.json} into {@code --out} (default: the current directory), and returns the exit status:
 * 0, or 1 when {@code --fail-above} finds a significant growth beyond PCT, or 2 on bad input.
 */
public final class DiffCommand {
    static final String USAGE = "usage: java -jar energy.jar diff BASE NEW [--fail-above PCT] [--min-change PCT] [--top N] [--out DIR]";
    static final double DEFAULT_MIN_CHANGE_PCT = 5;

    private DiffCommand() {
    }

    public static int run(List<String> args, PrintStream out) throws BadInput, IOException {
        Options o = Options.parse(args);
        RunData base = RunData.read(o.base, true);
        RunData next = RunData.read(o.next, true);
        RunDiff diff = RunDiff.of(base, next, o.minChangePct);
        List<CollapsedDiff.Line> lines = CollapsedDiff.lines(base.collapsed(), next.collapsed());

        out.print(table(diff, o.top));
        AtomicWrite.write(o.out.resolve("energy-diff.collapsed"), CollapsedDiff.format(lines));
        ObjectNode data = json(diff, lines);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        AtomicWrite.write(o.out.resolve("energy-diff.json"), mapper.writeValueAsString(data));
        AtomicWrite.write(o.out.resolve("energy-diff.html"),
                Html.page("energy-diff.html", new ObjectMapper().writeValueAsString(data)));
        out.println("[energy] files: " + o.out.resolve("energy-diff.html") + ", energy-diff.collapsed, energy-diff.json");

        if (o.failAbovePct == null) {
            return 0;
        }
        List<String> failures = diff.failures(o.failAbovePct);
        if (failures.isEmpty()) {
            out.println(String.format(Locale.ROOT, "[energy] diff: no significant growth above %s%%: pass"
                    + " (the total and the program's own methods; JDK methods are shown, not gated)", num(o.failAbovePct)));
            return 0;
        }
        out.println(String.format(Locale.ROOT, "[energy] diff: FAIL, grew significantly by more than %s%%:", num(o.failAbovePct)));
        for (String f : failures) {
            out.println("[energy]   " + f);
        }
        return 1;
    }

    /** The printed table: the total first, then the methods and buckets with the biggest changes. */
    static String table(RunDiff d, int top) {
        StringBuilder sb = new StringBuilder();
        RunData a = d.base(), b = d.next();
        sb.append("energy diff: ").append(a.dir()).append(" -> ").append(b.dir()).append('\n');
        if (a.estimated() || b.estimated()) {
            sb.append("  ESTIMATED: ").append(a.estimated() && b.estimated() ? "both runs are" : a.estimated()
                    ? "the base run is" : "the new run is").append(" estimated from CPU time (source ")
                    .append(a.source()).append(" -> ").append(b.source()).append(")\n");
        }
        if (a.runs() > 1 || b.runs() > 1) {
            sb.append(String.format(Locale.ROOT, "  means of %d base and %d new runs; a change is significant when |ΔJ|"
                    + " exceeds the wider of the bounds' and the runs' spread's ~95%% interval (Welch) and is >= %s%% of"
                    + " the base%n", a.runs(), b.runs(), num(d.minChangePct())));
        } else {
            sb.append(String.format(Locale.ROOT, "  a change is significant when |ΔJ| > sqrt(b1²+b2²) (the bounds' ~95%%"
                    + " interval) and >= %s%% of the base;%n  one run each: run-to-run variation is not in the bounds"
                    + " (give folders of repeated runs to include it)%n", num(d.minChangePct())));
        }
        RunDiff.Total t = d.total();
        sb.append(String.format(Locale.ROOT, "%-52s %10s %10s %10s %8s %8s  %-12s %10s %10s%n", "method (inclusive)", "base J",
                "new J", "ΔJ", "±J", "Δ%", "verdict", "Δwall ms", "Δcpu ms"));
        sb.append(String.format(Locale.ROOT, "%-52s %10.3f %10.3f %+10.3f %8.3f %8s  %-12s %+10.1f %10s%n",
                "TOTAL (this process)", t.baseJ(), t.newJ(), t.deltaJ(), t.boundJ(), RunDiff.pct(t.changePct()),
                t.verdict().label(), (t.newWallS() - t.baseWallS()) * 1000,
                Double.isNaN(t.newCpuMs() - t.baseCpuMs()) ? "?" : String.format(Locale.ROOT, "%+.1f", t.newCpuMs() - t.baseCpuMs())));
        int shown = 0;
        for (RunDiff.Row r : d.rows()) {
            if (shown++ >= top) {
                sb.append(String.format(Locale.ROOT, "  ... %d more rows in energy-diff.html / energy-diff.json%n", d.rows().size() - top));
                break;
            }
            // Buckets have no calls and no time of their own: their time columns stay empty.
            sb.append(String.format(Locale.ROOT, "%-52s %10.3f %10.3f %+10.3f %8s %8s  %-12s %10s %10s",
                    shorten(r.name(), 52), r.baseJ(), r.newJ(), r.deltaJ(),
                    r.bucket() ? "" : String.format(Locale.ROOT, "%.3f", r.boundJ()), RunDiff.pct(r.changePct()),
                    r.bucket() ? "(bucket)" : r.verdict().label(),
                    r.bucket() ? "" : String.format(Locale.ROOT, "%+.1f", r.deltaWallMs()),
                    r.bucket() ? "" : String.format(Locale.ROOT, "%+.1f", r.deltaCpuMs())).stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    /** Everything the page draws and a script may want, written once as energy-diff.json and embedded in the page. */
    static ObjectNode json(RunDiff d, List<CollapsedDiff.Line> lines) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        root.put("schemaVersion", 1);
        root.put("unit", "J");
        root.set("base", run(m, d.base()));
        root.set("new", run(m, d.next()));
        root.put("minChangePct", d.minChangePct());
        RunDiff.Total t = d.total();
        ObjectNode total = root.putObject("total");
        total.put("baseJ", t.baseJ()).put("newJ", t.newJ()).put("deltaJ", t.deltaJ()).put("boundJ", t.boundJ())
                .put("changePct", finite(t.changePct())).put("verdict", t.verdict().name().toLowerCase(Locale.ROOT))
                .put("baseWallS", t.baseWallS()).put("newWallS", t.newWallS());
        ArrayNode rows = root.putArray("methods");
        for (RunDiff.Row r : d.rows()) {
            ObjectNode n = rows.addObject();
            n.put("name", r.name()).put("kind", r.bucket() ? "bucket" : "method").put("baseJ", r.baseJ())
                    .put("newJ", r.newJ()).put("deltaJ", r.deltaJ()).put("baseBoundJ", r.baseBoundJ())
                    .put("newBoundJ", r.newBoundJ()).put("boundJ", r.boundJ());
            Double pct = finite(r.changePct());
            if (pct == null) {
                n.putNull("changePct");
            } else {
                n.put("changePct", pct);
            }
            n.put("verdict", r.bucket() ? null : r.verdict().name().toLowerCase(Locale.ROOT))
                    .put("baseCalls", r.baseCalls()).put("newCalls", r.newCalls())
                    .put("baseWallMs", r.baseWallMs()).put("newWallMs", r.newWallMs())
                    .put("baseCpuMs", r.baseCpuMs()).put("newCpuMs", r.newCpuMs());
        }
        root.set("tree", node(m, CollapsedDiff.tree(lines)));
        return root;
    }

    private static ObjectNode run(ObjectMapper m, RunData r) {
        ObjectNode n = m.createObjectNode();
        n.put("dir", r.dir().toString()).put("runs", r.runs()).put("source", r.source()).put("estimated", r.estimated())
                .put("durationSeconds", r.durationSeconds()).put("processJ", r.processJ()).put("measuredJ", r.measuredJ())
                .put("collapsedMicroJoules", r.collapsedTotalMicroJoules());
        return n;
    }

    private static ObjectNode node(ObjectMapper m, CollapsedDiff.Node node) {
        ObjectNode n = m.createObjectNode();
        n.put("n", node.name()).put("b", node.base()).put("v", node.next()).put("sb", node.selfBase()).put("sv", node.selfNext());
        ArrayNode kids = null;
        for (CollapsedDiff.Node c : node.children()) {
            if (kids == null) {
                kids = n.putArray("c");
            }
            kids.add(node(m, c));
        }
        return n;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static String shorten(String s, int width) {
        return s.length() <= width ? s : "…" + s.substring(s.length() - width + 1);
    }

    /** The command line, checked before any file is read, so a typo costs one clear message. */
    static final class Options {
        Path base;
        Path next;
        Double failAbovePct;
        double minChangePct = DEFAULT_MIN_CHANGE_PCT;
        int top = 25;
        Path out = Path.of(".");

        static Options parse(List<String> args) throws BadInput {
            Options o = new Options();
            List<String> positional = new java.util.ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                String value = null;
                String key = a;
                if (a.startsWith("--") && a.contains("=")) {
                    key = a.substring(0, a.indexOf('='));
                    value = a.substring(a.indexOf('=') + 1);
                }
                switch (key) {
                    case "--fail-above", "--min-change", "--top", "--out" -> {
                        if (value == null) {
                            if (i + 1 >= args.size()) {
                                throw new BadInput("diff: " + key + " needs a value; " + USAGE);
                            }
                            value = args.get(++i);
                        }
                        switch (key) {
                            case "--fail-above" -> o.failAbovePct = percent(key, value);
                            case "--min-change" -> o.minChangePct = percent(key, value);
                            case "--top" -> o.top = (int) Math.min(Integer.MAX_VALUE, Math.max(0, integer(key, value)));
                            default -> o.out = Path.of(value);
                        }
                    }
                    default -> {
                        if (a.startsWith("--")) {
                            throw new BadInput("diff: unknown option " + a + "; " + USAGE);
                        }
                        positional.add(a);
                    }
                }
            }
            if (positional.size() != 2) {
                throw new BadInput("diff needs two output folders (BASE and NEW), got " + positional.size() + "; " + USAGE);
            }
            o.base = Path.of(positional.get(0));
            o.next = Path.of(positional.get(1));
            return o;
        }

        static double percent(String key, String value) throws BadInput {
            try {
                double v = Double.parseDouble(value.endsWith("%") ? value.substring(0, value.length() - 1) : value);
                if (v >= 0 && Double.isFinite(v)) {
                    return v;
                }
            } catch (NumberFormatException ignored) {
                // reported below with the accepted values
            }
            throw new BadInput("diff: " + key + " must be a percentage >= 0 (e.g. 10), got '" + value + "'");
        }

        static long integer(String key, String value) throws BadInput {
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new BadInput("diff: " + key + " must be an integer, got '" + value + "'");
            }
        }
    }
}

package io.energy.tools;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Two runs' folded stacks side by side: {@code stack base new} per call path, integer µJ, the format
 * Brendan Gregg's {@code difffolded.pl} writes and {@code flamegraph.pl} draws as a differential flame graph.
 * A path missing from one run counts 0 there, so each column adds up to that run's {@code energy.collapsed}
 * total, which is its ledger total rounded to µJ.
 */
public final class CollapsedDiff {
    /** A call path's self µJ in the base and the new run. */
    public record Line(String stack, long base, long next) {
    }

    /** A frame of the merged call tree: inclusive µJ in both runs, self µJ in both, its callees. */
    public static final class Node {
        final String name;
        long base;
        long next;
        long selfBase;
        long selfNext;
        final Map<String, Node> children = new LinkedHashMap<>();

        Node(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        public long base() {
            return base;
        }

        public long next() {
            return next;
        }

        public long selfBase() {
            return selfBase;
        }

        public long selfNext() {
            return selfNext;
        }

        public Iterable<Node> children() {
            return children.values();
        }
    }

    private CollapsedDiff() {
    }

    /** The base run's paths in its order, then the paths only the new run has, in its order. */
    public static List<Line> lines(Map<String, Long> base, Map<String, Long> next) {
        List<Line> out = new ArrayList<>();
        for (Map.Entry<String, Long> e : base.entrySet()) {
            out.add(new Line(e.getKey(), e.getValue(), next.getOrDefault(e.getKey(), 0L)));
        }
        for (Map.Entry<String, Long> e : next.entrySet()) {
            if (!base.containsKey(e.getKey())) {
                out.add(new Line(e.getKey(), 0L, e.getValue()));
            }
        }
        return out;
    }

    public static String format(List<Line> lines) {
        StringBuilder sb = new StringBuilder();
        for (Line l : lines) {
            sb.append(l.stack()).append(' ').append(l.base()).append(' ').append(l.next()).append('\n');
        }
        return sb.toString();
    }

    /** The merged call tree under a root named {@code all}, for the differential flame graph. */
    public static Node tree(List<Line> lines) {
        Node root = new Node("all");
        for (Line l : lines) {
            root.base += l.base();
            root.next += l.next();
            Node at = root;
            for (String frame : l.stack().split(";")) {
                at = at.children.computeIfAbsent(frame, Node::new);
                at.base += l.base();
                at.next += l.next();
            }
            at.selfBase += l.base();
            at.selfNext += l.next();
        }
        return root;
    }
}

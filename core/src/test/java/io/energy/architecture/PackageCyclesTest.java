package io.energy.architecture;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No two packages of the agent depend on each other, directly or around a loop: each package is a step of
 * the pipeline (config → instrument/bridge → power → attribute → report, the session driving them and the
 * commands starting the session), and a cycle means two steps that cannot be understood, tested or moved
 * apart. Read from the core's compiled classes: the bridge and the entry are modules of their own whose class
 * paths hold no other package of ours (the bridge none, the entry only the protocol), so they cannot be in a cycle.
 */
class PackageCyclesTest {
    static final Path CLASSES = Path.of("target/classes");

    /** Package → the packages of ours it refers to, with one class-to-class reference per edge as evidence. */
    static Map<String, Map<String, String>> packageGraph(Path classes) throws Exception {
        Map<String, Map<String, String>> graph = new TreeMap<>();
        for (Path file : ClassReferences.classFiles(classes)) {
            String self = classes.relativize(file).toString().replace('\\', '/').replaceAll("\\.class$", "");
            String from = ClassReferences.packageOf(self);
            if (!from.startsWith("io.energy.") || from.startsWith("io.energy.shaded")) {
                continue;
            }
            Map<String, String> edges = graph.computeIfAbsent(from, k -> new TreeMap<>());
            for (String ref : ClassReferences.of(file)) {
                String to = ClassReferences.packageOf(ref);
                if (to.startsWith("io.energy.") && !to.equals(from)) {
                    edges.putIfAbsent(to, self + " -> " + ref);
                }
            }
        }
        return graph;
    }

    /** Strongly connected components with more than one package (Tarjan). */
    static List<Set<String>> cycles(Map<String, Map<String, String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> out = new ArrayList<>();
        int[] counter = {0};
        for (String v : graph.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, graph, index, low, stack, onStack, out, counter);
            }
        }
        return out;
    }

    private static void connect(String v, Map<String, Map<String, String>> graph, Map<String, Integer> index,
                                Map<String, Integer> low, Deque<String> stack, Set<String> onStack,
                                List<Set<String>> out, int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]++);
        stack.push(v);
        onStack.add(v);
        for (String w : graph.getOrDefault(v, Map.of()).keySet()) {
            if (!index.containsKey(w)) {
                connect(w, graph, index, low, stack, onStack, out, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                out.add(component);
            }
        }
    }

    @Test
    void theAgentsPackagesHaveNoCycles() throws Exception {
        Map<String, Map<String, String>> graph = packageGraph(CLASSES);
        assertTrue(graph.size() > 10, "compiled classes found in " + CLASSES.toAbsolutePath() + ": " + graph.keySet());
        StringBuilder why = new StringBuilder();
        for (Set<String> cycle : cycles(graph)) {
            why.append("cycle between ").append(cycle).append(":\n");
            for (String from : cycle) {
                for (Map.Entry<String, String> e : graph.get(from).entrySet()) {
                    if (cycle.contains(e.getKey())) {
                        why.append("  ").append(e.getValue()).append('\n');
                    }
                }
            }
        }
        assertEquals("", why.toString());
    }

    @Test
    void aCycleIsFoundWhereThereIsOne() {
        Map<String, Map<String, String>> g = new TreeMap<>();
        g.put("a", Map.of("b", "A -> B"));
        g.put("b", Map.of("c", "B -> C"));
        g.put("c", Map.of("a", "C -> A"));
        g.put("d", Map.of("a", "D -> A"));
        assertEquals(List.of(Set.of("a", "b", "c")), cycles(g));
    }
}

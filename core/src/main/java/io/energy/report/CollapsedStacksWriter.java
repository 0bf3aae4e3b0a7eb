package io.energy.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code energy.collapsed}: one line per call path, {@code frame;frame;frame <integer µJ>}, all domains
 * together, the ledger's buckets as top-level frames. Rounded by largest remainder so the file's total
 * is the ledger's total rounded to a microjoule: flamegraph.pl {@code --countname µJ} shows it as is.
 */
public final class CollapsedStacksWriter implements ProfileWriter {
    @Override
    public String fileName() {
        return "energy.collapsed";
    }

    @Override
    public void write(EnergyProfile profile, OutputStream out) throws IOException {
        List<String> stacks = new ArrayList<>();
        List<Long> nanoJoules = new ArrayList<>();
        collect(profile.root(), "", stacks, nanoJoules);
        long total = 0;
        for (long v : nanoJoules) {
            total += v;
        }
        long[] micro = roundToMicro(nanoJoules, total);
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        for (int i = 0; i < stacks.size(); i++) {
            if (micro[i] > 0) {
                w.write(stacks.get(i));
                w.write(' ');
                w.write(Long.toString(micro[i]));
                w.write('\n');
            }
        }
        w.flush();
    }

    /** Largest remainder: integer µJ per line whose sum is the total rounded to the nearest µJ. */
    static long[] roundToMicro(List<Long> nanoJoules, long totalNanoJoules) {
        int n = nanoJoules.size();
        long[] out = new long[n];
        long target = Math.round(totalNanoJoules / 1000.0);
        long given = 0;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            out[i] = nanoJoules.get(i) / 1000;
            given += out[i];
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Long.compare(nanoJoules.get(b) % 1000, nanoJoules.get(a) % 1000));
        for (int k = 0; given < target && k < n; k++) {
            out[order[k]]++;
            given++;
        }
        return out;
    }

    private static void collect(EnergyProfile.Node node, String prefix, List<String> stacks, List<Long> values) {
        String path = prefix;
        if (node.kind() != EnergyProfile.Kind.ROOT) {
            String frame = node.name().replace(';', ':').replace(' ', '_');
            path = prefix.isEmpty() ? frame : prefix + ';' + frame;
            stacks.add(path);
            values.add(node.selfTotal());
        }
        for (EnergyProfile.Node c : node.children()) {
            collect(c, path, stacks, values);
        }
    }
}

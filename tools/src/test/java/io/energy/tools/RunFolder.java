package io.energy.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes an output folder in the agent's documented format (docs/formats.md) with figures the test chooses, so
 * the expected differences are known independently of the code under test.
 */
final class RunFolder {
    private final ObjectMapper json = new ObjectMapper();
    private final ObjectNode summary = json.createObjectNode();
    private final ArrayNode methods;
    private final ArrayNode buckets;
    private final Map<String, Long> collapsed = new LinkedHashMap<>();

    RunFolder(double durationSeconds, double processJ, double measuredJ) {
        summary.put("schemaVersion", 1).put("agentVersion", "test").put("durationSeconds", durationSeconds)
                .put("source", "estimate").put("estimated", true).put("unit", "J");
        ObjectNode d = summary.putArray("domains").addObject();
        d.put("key", "package:0").put("inTotal", true).put("measuredJ", measuredJ).put("processJ", processJ)
                .put("staticIdleJ", measuredJ - processJ).put("otherProcessesJ", 0.0);
        // A RAPL core domain lies inside the package: it must not be added to the totals.
        ObjectNode core = summary.withArray("domains").addObject();
        core.put("key", "core:0").put("inTotal", false).put("measuredJ", 1000.0).put("processJ", 1000.0);
        summary.putObject("totals").put("measuredJ", measuredJ).put("ledgerNanoJoules", Math.round(measuredJ * 1e9));
        summary.putObject("health").put("processCpuMs", durationSeconds * 900);
        methods = summary.putArray("methods");
        buckets = summary.putArray("buckets");
    }

    RunFolder method(String name, double selfJ, double boundJ, double wallMs) {
        methods.addObject().put("name", name).put("calls", 10).put("wallMs", wallMs).put("cpuMs", wallMs * 0.9)
                .put("selfJ", selfJ).put("selfBoundJ", boundJ).put("inclusiveJ", selfJ);
        return this;
    }

    RunFolder bucket(String name, double selfJ) {
        buckets.addObject().put("name", name).put("calls", 0).put("wallMs", 0).put("cpuMs", 0)
                .put("selfJ", selfJ).put("selfBoundJ", 0.0).put("inclusiveJ", selfJ);
        return this;
    }

    RunFolder stack(String stack, long microJoules) {
        collapsed.put(stack, microJoules);
        return this;
    }

    RunFolder work(double work) {
        summary.put("work", work);
        return this;
    }

    Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        json.writeValue(dir.resolve("energy-summary.json").toFile(), summary);
        StringBuilder sb = new StringBuilder();
        collapsed.forEach((k, v) -> sb.append(k).append(' ').append(v).append('\n'));
        Files.writeString(dir.resolve("energy.collapsed"), sb.toString());
        return dir;
    }
}

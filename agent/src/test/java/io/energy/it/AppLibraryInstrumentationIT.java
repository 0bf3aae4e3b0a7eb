package io.energy.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The application's own copy of a library the agent also uses is the application's to measure: the agent
 * keeps its own libraries apart by class loader, not by package name, so an include naming Jackson
 * instruments the sample app's Jackson.
 */
class AppLibraryInstrumentationIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theApplicationsOwnJacksonIsInstrumentedAndItsCallsCounted(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        // 3 rounds of the cpu sample: parseJson(40) per round, one ObjectMapper.readTree(String) per document.
        ForkedJvm.Result r = ForkedJvm.run(dir, 120, ForkedJvm.java(null),
                ForkedJvm.agentArg("include=com.fasterxml.jackson.databind.ObjectMapper#readTree;"
                        + "io.energy.samples.CpuSample#parseJson,out=" + out),
                "-jar", ForkedJvm.SAMPLES_JAR.toAbsolutePath().toString(), "cpu", "rounds=3");
        assertEquals(0, r.exitCode(), r.stderr());
        JsonNode summary = JSON.readTree(out.resolve("energy-summary.json").toFile());
        Map<String, JsonNode> methods = new HashMap<>();
        for (JsonNode m : summary.get("methods")) {
            methods.put(m.get("name").asText(), m);
        }
        JsonNode readTree = methods.get("com.fasterxml.jackson.databind.ObjectMapper.readTree");
        assertNotNull(readTree, "Jackson's readTree is measured: " + methods.keySet() + "\n" + r.stderr());
        assertEquals(3, methods.get("io.energy.samples.CpuSample.parseJson").get("calls").asLong());
        assertEquals(3 * 40, readTree.get("calls").asLong(), "one readTree per parsed document");
    }
}

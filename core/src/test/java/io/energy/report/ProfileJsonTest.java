package io.energy.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pieces of JSON that the summary and the HTML report both carry (run, domain, health), written alone and read
 * back with Jackson. Every number is distinct and non-zero, so a missing field or a unit off by 10^x shows.
 */
class ProfileJsonTest {
    /** Fields written into one open object. */
    private interface Fields {
        void write(JsonOut g) throws IOException;
    }

    private static JsonNode written(Fields fields) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonOut g = new JsonOut(out)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        }
        return new ObjectMapper().readTree(out.toByteArray());
    }

    private static List<String> names(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void theRunSaysWhichSchemaAgentStartDurationSourceAndSamplerItCameFrom() throws IOException {
        EnergyProfile base = ProfileFixtures.measured();
        EnergyProfile p = new EnergyProfile(EnergyProfile.SCHEMA_VERSION, "0.9.1", 1_700_000_000_000L,
                2_500_000_000L, "rapl+nvml", true, base.domains(), base.root(), base.timeline(), base.health(),
                base.notes(), "async-profiler");
        JsonNode s = written(g -> ProfileJson.writeRun(g, p));
        assertEquals(List.of("schemaVersion", "agentVersion", "start", "durationSeconds", "source", "sampler",
                "estimated"), names(s));
        assertEquals(1, s.get("schemaVersion").asInt());
        assertEquals("0.9.1", s.get("agentVersion").asText());
        assertEquals("2023-11-14T22:13:20Z", s.get("start").asText(), "ISO-8601 UTC");
        assertEquals(2.5, s.get("durationSeconds").asDouble(), 1e-12, "seconds, from nanoseconds");
        assertEquals("rapl+nvml", s.get("source").asText());
        assertEquals("async-profiler", s.get("sampler").asText());
        assertTrue(s.get("estimated").asBoolean());
    }

    @Test
    void aDomainSaysWhatItIsWhereItsFiguresComeFromAndWhetherItAddsToTheTotal() throws IOException {
        EnergyProfile.DomainTotal pkg = new EnergyProfile.DomainTotal("package:1", "package", 1, false, 2_500_000L,
                "rapl intel-rapl:1", 10, 1, 2, 7);
        JsonNode s = written(g -> ProfileJson.writeDomainIdentity(g, pkg));
        assertEquals(List.of("key", "kind", "device", "estimated", "inTotal", "grainMs", "origin"), names(s));
        assertEquals("package:1", s.get("key").asText());
        assertEquals("package", s.get("kind").asText());
        assertEquals(1, s.get("device").asInt());
        assertFalse(s.get("estimated").asBoolean());
        assertTrue(s.get("inTotal").asBoolean());
        assertEquals(2.5, s.get("grainMs").asDouble(), 1e-12, "milliseconds, from nanoseconds");
        assertEquals("rapl intel-rapl:1", s.get("origin").asText());

        // A RAPL core zone lies inside its package: it says so, and an estimated one says that too.
        EnergyProfile.DomainTotal core = new EnergyProfile.DomainTotal("core:1", "core", 1, true, 1_000_000L,
                "model", 10, 1, 2, 7);
        JsonNode c = written(g -> ProfileJson.writeDomainIdentity(g, core));
        assertFalse(c.get("inTotal").asBoolean());
        assertTrue(c.get("estimated").asBoolean());
    }

    @Test
    void healthCarriesEveryCountAndWhatObservingCostInMilliseconds() throws IOException {
        EnergyProfile.Health h = new EnergyProfile.Health(11, 12, 13, 5_000_000L, 1_500_000L, 900_000_000L, 4, 2, 9,
                7, EnergyProfile.Overhead.NONE, 3, 5, 6, 300);
        JsonNode s = written(g -> ProfileJson.writeHealth(g, h)).get("health");
        assertEquals(11, s.get("pathsOverCap").asLong());
        assertEquals(12, s.get("callsBeyondDepth").asLong());
        assertEquals(13, s.get("sourceAnomalies").asLong());
        assertEquals(5.0, s.get("agentCpuMs").asDouble(), 1e-12);
        assertEquals(1.5, s.get("sourceReadCpuMs").asDouble(), 1e-12);
        assertEquals(900.0, s.get("processCpuMs").asDouble(), 1e-12);
        assertEquals(4, s.get("instrumentedMethods").asInt());
        assertEquals(2, s.get("threads").asInt());
        assertEquals(9, s.get("callPaths").asInt());
        assertEquals(3, s.get("internalErrors").asLong());
        assertEquals(5, s.get("bridgeErrors").asLong());
        assertEquals(6, s.get("methodsTooLarge").asLong());
        assertEquals(7, s.get("trivialMethodsSkipped").asLong());
        assertEquals(300, s.get("stackSamples").asLong());
        JsonNode o = s.get("overhead");
        assertEquals("off", o.get("budget").asText(), "no budget");
        assertEquals(0, o.get("countingStopped").size(), "nothing stopped");
    }

    @Test
    void theOverheadSaysItsBudgetWhatCountingCostAndEachStopInTheOrderItHappened() throws IOException {
        EnergyProfile.CountingStopped first = new EnergyProfile.CountingStopped("com.acme.Db.query", 1.25, 348_395,
                0.0055, "counting cost 0.55% of the CPU");
        EnergyProfile.CountingStopped second = new EnergyProfile.CountingStopped("com.acme.Json.parse", 3.5, 2e6,
                0.02, "hot");
        EnergyProfile.Overhead o = new EnergyProfile.Overhead(0.01, 30, 883e6, List.of(first, second), 517_000_000L);
        EnergyProfile.Health h = new EnergyProfile.Health(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, o, 0, 0, 0, 0);
        JsonNode s = written(g -> ProfileJson.writeHealth(g, h)).at("/health/overhead");
        assertEquals("1%", s.get("budget").asText());
        assertEquals(30.0, s.get("callCostNs").asDouble(), 1e-12);
        assertEquals(883.0, s.get("estimatedCountingCpuMs").asDouble(), 1e-9);
        assertEquals(517.0, s.get("weaveMs").asDouble(), 1e-9);
        JsonNode stops = s.get("countingStopped");
        assertEquals(2, stops.size());
        JsonNode q = stops.get(0);
        assertEquals(List.of("method", "atSeconds", "callsPerSecond", "costShare", "reason"), names(q));
        assertEquals("com.acme.Db.query", q.get("method").asText());
        assertEquals(1.25, q.get("atSeconds").asDouble(), 1e-12);
        assertEquals(348_395.0, q.get("callsPerSecond").asDouble(), 1e-9);
        assertEquals(0.0055, q.get("costShare").asDouble(), 1e-12);
        assertEquals("counting cost 0.55% of the CPU", q.get("reason").asText());
        assertEquals("com.acme.Json.parse", stops.get(1).get("method").asText(), "in the order counting stopped");
        assertEquals(3.5, stops.get(1).get("atSeconds").asDouble(), 1e-12);
    }
}

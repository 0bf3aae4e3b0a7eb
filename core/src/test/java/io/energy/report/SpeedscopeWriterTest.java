package io.energy.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.energy.report.ProfileFixtures.HANDLE;
import static io.energy.report.ProfileFixtures.MAIN;
import static io.energy.report.ProfileFixtures.PARSE;
import static io.energy.report.ProfileFixtures.QUERY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpeedscopeWriterTest {
    private static JsonNode write(EnergyProfile p) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new SpeedscopeWriter().write(p, out);
        return new ObjectMapper().readTree(out.toByteArray());
    }

    private static List<String> stack(JsonNode file, JsonNode sample) {
        List<String> names = new ArrayList<>();
        for (JsonNode i : sample) {
            names.add(file.at("/shared/frames/" + i.asInt() + "/name").asText());
        }
        return names;
    }

    @Test
    void writesTheCombinedProfileFirstThenOnePerDomainInSummaryOrder() throws IOException {
        JsonNode f = write(ProfileFixtures.measured());
        assertEquals(SpeedscopeWriter.SCHEMA, f.get("$schema").asText());
        assertEquals(0, f.get("activeProfileIndex").asInt());
        assertTrue(f.get("exporter").asText().startsWith("energy "));
        JsonNode profiles = f.get("profiles");
        assertEquals(3, profiles.size());
        assertEquals("Energy (J) — all domains", profiles.get(0).get("name").asText());
        assertEquals("Energy (J) — package:0", profiles.get(1).get("name").asText());
        assertEquals("Energy (J) — gpu:0", profiles.get(2).get("name").asText());
        for (JsonNode p : profiles) {
            assertEquals("sampled", p.get("type").asText());
            assertEquals("none", p.get("unit").asText());
            assertEquals(0, p.get("startValue").asDouble());
        }
    }

    @Test
    void weightsOfEachProfileAddUpToItsLedgerTotalInJoules() throws IOException {
        EnergyProfile p = ProfileFixtures.measured();
        JsonNode profiles = write(p).get("profiles");
        long[] expected = {p.totalAllDomains(), p.total(0), p.total(1)};
        for (int i = 0; i < profiles.size(); i++) {
            JsonNode prof = profiles.get(i);
            double sum = 0;
            for (JsonNode w : prof.get("weights")) {
                assertTrue(w.isDouble() || w.isNumber(), "weights are numbers");
                sum += w.asDouble();
            }
            assertEquals(expected[i] / 1e9, sum, 1e-9, "sum of weights of " + prof.get("name"));
            assertEquals(expected[i] / 1e9, prof.get("endValue").asDouble(), 1e-12);
        }
        assertEquals(12_912_346_689L, p.totalAllDomains(), "fixture total, for readers of this test");
    }

    @Test
    void everySampleIsAPathOfValidFrameIndicesFromTheOutermostFrame() throws IOException {
        JsonNode f = write(ProfileFixtures.measured());
        int frames = f.at("/shared/frames").size();
        Set<String> stacks = new HashSet<>();
        for (JsonNode prof : f.get("profiles")) {
            assertEquals(prof.get("samples").size(), prof.get("weights").size());
            for (JsonNode s : prof.get("samples")) {
                assertFalse(s.isEmpty());
                for (JsonNode i : s) {
                    assertTrue(i.isInt() && i.asInt() >= 0 && i.asInt() < frames, "frame index " + i);
                }
                List<String> names = stack(f, s);
                String top = names.get(0);
                assertTrue(top.equals(MAIN) || top.startsWith("("), "top-level frames are main or a bucket: " + top);
                for (int k = 1; k < names.size(); k++) {
                    assertFalse(names.get(k).startsWith("("), "buckets only at the top: " + names);
                }
                stacks.add(String.join(";", names));
            }
        }
        assertTrue(stacks.contains(MAIN + ";" + HANDLE + ";" + PARSE));
        assertTrue(stacks.contains(MAIN + ";" + PARSE));
        assertTrue(stacks.contains(MAIN + ";" + HANDLE + ";" + QUERY));
        assertTrue(stacks.contains("(static/idle)"));
        assertTrue(stacks.contains("(lost)"));
    }

    @Test
    void aMethodOnTwoPathsIsOneSharedFrame() throws IOException {
        JsonNode f = write(ProfileFixtures.measured());
        int parse = 0;
        Set<String> names = new HashSet<>();
        for (JsonNode fr : f.at("/shared/frames")) {
            assertTrue(names.add(fr.get("name").asText()), "frames are unique");
            parse += fr.get("name").asText().equals(PARSE) ? 1 : 0;
        }
        assertEquals(1, parse);
    }

    @Test
    void aDomainProfileLeavesOutPathsWithNoEnergyInThatDomain() throws IOException {
        JsonNode f = write(ProfileFixtures.measured());
        JsonNode gpu = f.get("profiles").get(2);
        Set<String> stacks = new HashSet<>();
        for (JsonNode s : gpu.get("samples")) {
            stacks.add(String.join(";", stack(f, s)));
        }
        assertEquals(Set.of("(static/idle)", MAIN + ";" + HANDLE), stacks);
        for (JsonNode w : gpu.get("weights")) {
            assertTrue(w.asDouble() > 0);
        }
    }

    @Test
    void estimatedProfilesSaySoInTheirNames() throws IOException {
        JsonNode profiles = write(ProfileFixtures.estimated()).get("profiles");
        assertEquals("Energy (J) — all domains — ESTIMATED", profiles.get(0).get("name").asText());
        assertEquals("Energy (J) — package:0 — ESTIMATED", profiles.get(1).get("name").asText());
        assertEquals("Energy (J) — gpu:0", profiles.get(2).get("name").asText());
    }
}

package io.energy.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompareCommandTest {
    @TempDir
    Path tmp;

    private static CompareCommand.Point p(String label, double wallS, double joules) {
        return new CompareCommand.Point(label, Path.of(label), wallS, 0, joules, joules, joules, false, null);
    }

    @Test
    void aRunBeatenOnBothTimeAndEnergyIsOffTheFrontAndTiesStayOnIt() {
        List<CompareCommand.Point> runs = List.of(p("fast", 1, 10), p("lean", 2, 5), p("worse", 3, 6),
                p("leanTwin", 2, 5), p("slowerSameJ", 2.5, 5));
        // worse: beaten by lean on both; slowerSameJ: as lean as lean but slower. The twins dominate neither.
        assertArrayEquals(new boolean[]{true, true, false, true, false}, CompareCommand.paretoFront(runs));
        assertEquals(0, CompareCommand.fastest(runs));
        assertEquals(1, CompareCommand.leanest(runs));
    }

    @Test
    void workFromTheSummaryOrFromTheCommandLineGivesJoulesPerUnitOfWork() throws Exception {
        Path a = new RunFolder(2.0, 8.0, 12.0).work(4).write(tmp.resolve("a"));
        Path b = new RunFolder(1.0, 10.0, 11.0).write(tmp.resolve("b"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = CompareCommand.run(List.of(a.toString(), b.toString(), "--work", b + "/=5", "--out", tmp.resolve("o").toString()),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals(0, code);
        JsonNode out = new ObjectMapper().readTree(tmp.resolve("o/energy-compare.json").toFile());
        assertEquals(2.0, out.at("/runs/0/joulesPerWork").asDouble(), 1e-12);   // 8 J / 4
        assertEquals(2.0, out.at("/runs/1/joulesPerWork").asDouble(), 1e-12);   // 10 J / 5
        assertEquals(1, out.get("fastest").asInt());
        assertEquals(0, out.get("leanest").asInt());
        assertTrue(out.at("/runs/0/pareto").asBoolean() && out.at("/runs/1/pareto").asBoolean());
        String table = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("front, fastest") && table.contains("front, leanest"), table);
        // --energy measured puts the machine's joules on the chart instead: then b (11 J) is also the leaner.
        CompareCommand.run(List.of(a.toString(), b.toString(), "--energy=measured", "--out=" + tmp.resolve("m")),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        JsonNode m = new ObjectMapper().readTree(tmp.resolve("m/energy-compare.json").toFile());
        assertEquals(1, m.get("leanest").asInt());
        assertEquals(false, m.at("/runs/0/pareto").asBoolean());
    }

    @Test
    void badCommandLinesAreOneMessage() throws Exception {
        Path a = new RunFolder(2.0, 8.0, 12.0).write(tmp.resolve("a"));
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertTrue(assertThrows(BadInput.class, () -> CompareCommand.run(List.of(a.toString()), sink)).getMessage()
                .startsWith("compare needs at least two output folders"));
        assertTrue(assertThrows(BadInput.class, () -> CompareCommand.run(List.of(a.toString(), a.toString(), "--work", "x=1"), sink))
                .getMessage().contains("not one of the folders compared"));
        assertTrue(assertThrows(BadInput.class, () -> CompareCommand.run(List.of(a.toString(), a.toString(), "--energy", "dram"), sink))
                .getMessage().contains("--energy must be process"));
        assertTrue(assertThrows(BadInput.class, () -> CompareCommand.run(List.of(a.toString(), a.toString(), "--wrok", "1"), sink))
                .getMessage().contains("unknown option --wrok"));
    }
}

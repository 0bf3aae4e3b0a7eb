package io.energy.report;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code energy-methods.csv}: the columns the summary-level test (ReportWritersTest) does not read. */
class MethodsCsvWriterTest {
    private static String csv(EnergyProfile p) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new MethodsCsvWriter().write(p, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String[] row(String csv, String method) {
        for (String line : csv.split("\n")) {
            if (line.startsWith(method + ",")) {
                return line.split(",", -1);
            }
        }
        throw new AssertionError("no row for " + method + " in\n" + csv);
    }

    @Test
    void aMethodsRowGivesItsWallAndCpuTimeAndInclusiveJoulesWithEverythingItCalled() throws Exception {
        // handle: 800 ms wall itself, parse 300 and query 200 under it; CPU is half of wall in the fixture.
        String[] handle = row(csv(ProfileFixtures.measured()), ProfileFixtures.HANDLE);
        assertEquals(List.of("1300.000000000", "650.000000000"), List.of(handle[3], handle[4]), "wall_ms, cpu_ms");
        assertEquals(List.of("4.200000000", "0.305941171", "4.850000004", "0.306848904"),
                List.of(handle[5], handle[6], handle[7], handle[8]), "self_J, self_bound_J, inclusive_J, inclusive_bound_J");
        assertEquals(List.of("1.200000000", "0.060000000", "1.850000004", "0.064468985"),
                List.of(handle[9], handle[10], handle[11], handle[12]), "package:0");
        assertEquals(List.of("3.000000000", "0.300000000", "3.000000000", "0.300000000"),
                List.of(handle[13], handle[14], handle[15], handle[16]), "gpu:0");
    }

    @Test
    void aNameThatBeginsWithACommaQuoteOrLineBreakIsStillQuoted() throws Exception {
        assertEquals("\",x\"", MethodsCsvWriter.csv(",x"));
        assertEquals("\"\"\"x\"", MethodsCsvWriter.csv("\"x"));
        assertEquals("\"\nx\"", MethodsCsvWriter.csv("\nx"));
        String text = csv(ProfileFixtures.withMethodNamed(",odd"));
        assertTrue(text.contains("\n\",odd\",method,20,"), text);
    }
}

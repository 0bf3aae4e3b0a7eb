package io.energy.report;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The table printed at exit, read the way a person reads it: column by column. Every expected figure is worked out
 * by hand from ProfileFixtures (package:0 8.912346689 J, gpu:0 4 J, 12.912346689 J in all).
 */
class TopTableTest {
    private static final String SELF = "method (self)";
    private static final String INCLUSIVE = "instrumented method (inclusive)";
    // name (buckets have spaces in theirs), calls, "*" when counting stopped, ms, joules, ± bound, share %
    private static final Pattern ROW = Pattern.compile(
            "\\[energy\\] (.+?) +(\\d+|-)([* ]) +(\\S+) +(\\S+) ±\\s*(\\S+) +(\\S+)%");

    record Row(String name, String calls, boolean stopped, String ms, String joules, String bound, String share) {
        /** The columns a person compares, without the stop mark (tested on its own). */
        List<String> figures() {
            return List.of(name, calls, ms, joules, bound, share);
        }
    }

    /** The rows under the header line that names {@code header}, up to the first line that is not a row. */
    private static List<Row> rows(String table, String header) {
        List<Row> out = new ArrayList<>();
        boolean in = false;
        for (String line : table.split("\\R")) {
            if (!in) {
                in = line.contains(" " + header + " ");
                continue;
            }
            Matcher m = ROW.matcher(line);
            if (!m.matches()) {
                break;
            }
            out.add(new Row(m.group(1), m.group(2), m.group(3).equals("*"), m.group(4), m.group(5), m.group(6),
                    m.group(7)));
        }
        return out;
    }

    private static List<List<String>> figures(List<Row> rows) {
        List<List<String>> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(r.figures());
        }
        return out;
    }

    private static EnergyProfile withRoot(EnergyProfile base, List<EnergyProfile.DomainTotal> domains,
                                          EnergyProfile.Health health, EnergyProfile.Node... top) {
        EnergyProfile.Node root = new EnergyProfile.Node("all", "", "", "", EnergyProfile.Kind.ROOT, 0, 0, 0,
                new long[]{0, 0}, new double[]{0, 0}, List.of(top), null);
        return new EnergyProfile(base.schemaVersion(), base.agentVersion(), base.startEpochMillis(),
                base.durationNanos(), base.source(), base.estimated(), domains, root, base.timeline(), health,
                base.notes());
    }

    @Test
    void eachDomainLineGivesItsJoulesAndSplitsThemIntoThisProcessIdleAndOtherProcesses() {
        String t = TopTable.render(ProfileFixtures.measured(), 3, null);
        String[] lines = t.split("\\R");
        assertEquals("[energy]   package:0       8.912 J  (this process 2.412 J, idle 6.000 J, other processes 0.500 J)",
                lines[1]);
        assertEquals("[energy]   gpu:0           4.000 J  (this process 3.000 J, idle 1.000 J, other processes 0.000 J)",
                lines[2]);
    }

    @Test
    void onlyTheEstimatedDomainsLineIsLabelledEstimated() {
        String[] lines = TopTable.render(ProfileFixtures.estimated(), 3, null).split("\\R");
        assertTrue(lines[1].startsWith("[energy]   package:0 ") && lines[1].endsWith(") estimated"), lines[1]);
        assertTrue(lines[2].startsWith("[energy]   gpu:0 ") && lines[2].endsWith("other processes 0.000 J)"), lines[2]);
    }

    @Test
    void theSelfTableListsMethodsAndProcessBucketsBySelfJoulesWithCallsCpuTimeBoundAndShare() {
        List<Row> rows = rows(TopTable.render(ProfileFixtures.measured(), 10, null), SELF);
        // (static/idle) and (other processes) are not this process's energy, (other paths) and (lost) not a
        // place it went: none of them is a row. Buckets show their 0 calls; the share is of 12.912346689 J.
        assertEquals(List.of(
                List.of(ProfileFixtures.HANDLE, "10", "400.0", "4.200", "0.306", "32.5"),
                List.of(ProfileFixtures.PARSE, "15", "195.0", "0.550", "0.021", "4.3"),
                List.of("(uninstrumented)", "0", "0.0", "0.300", "0.000", "2.3"),
                List.of(ProfileFixtures.QUERY, "20", "100.0", "0.250", "0.013", "1.9"),
                List.of(ProfileFixtures.MAIN, "1", "50.0", "0.100", "0.005", "0.8"),
                List.of("(energy agent)", "0", "0.0", "0.012", "0.000", "0.1")), figures(rows));
    }

    @Test
    void theInstrumentedTableRanksCountedMethodsByInclusiveJoulesWithWallTimeBoundAndShare() {
        String t = TopTable.render(ProfileFixtures.measured(), 10, null);
        // main holds everything it called (5.100000004 J), ahead of handle (4.850000004 J), though its own
        // 0.1 J puts it last by self joules.
        assertEquals(List.of(
                List.of(ProfileFixtures.MAIN, "1", "1490.0", "5.100", "0.307", "39.5"),
                List.of(ProfileFixtures.HANDLE, "10", "1300.0", "4.850", "0.307", "37.6"),
                List.of(ProfileFixtures.PARSE, "15", "390.0", "0.550", "0.021", "4.3"),
                List.of(ProfileFixtures.QUERY, "20", "200.0", "0.250", "0.013", "1.9")), figures(rows(t, INCLUSIVE)));
        List<Row> two = rows(TopTable.render(ProfileFixtures.measured(), 2, null), INCLUSIVE);
        assertEquals(List.of(ProfileFixtures.MAIN, ProfileFixtures.HANDLE), List.of(two.get(0).name(), two.get(1).name()),
                "the top rows by inclusive joules, not the first by self joules");
    }

    @Test
    void aMethodSeenOnlyByStackSamplesShowsNoCallCountAndIsLeftOutOfTheInstrumentedTable() {
        EnergyProfile base = ProfileFixtures.measured();
        // A method the sampler found but no advice counted: calls unknown, not zero.
        EnergyProfile.Node sampled = ProfileFixtures.method("com.acme.Hot.loop", 0, 0, 2_000_000_000L, 0);
        List<EnergyProfile.Node> top = new ArrayList<>(base.root().children());
        top.add(sampled);
        EnergyProfile p = withRoot(base, base.domains(), base.health(), top.toArray(new EnergyProfile.Node[0]));
        String t = TopTable.render(p, 10, null);
        Row hot = rows(t, SELF).get(1);
        assertEquals("com.acme.Hot.loop", hot.name());
        assertEquals("-", hot.calls());
        for (Row r : rows(t, INCLUSIVE)) {
            assertFalse(r.name().equals("com.acme.Hot.loop"), t);
        }
        assertEquals(4, rows(t, INCLUSIVE).size(), t);
    }

    @Test
    void aMethodWhoseCountingTheBudgetStoppedIsStarredInBothTablesAndOnlyThatOne() {
        EnergyProfile base = ProfileFixtures.measured();
        EnergyProfile.Overhead o = new EnergyProfile.Overhead(0.01, 30, 1e6,
                List.of(new EnergyProfile.CountingStopped(ProfileFixtures.QUERY, 1.2, 348_395, 0.0055, "budget")), 0);
        EnergyProfile.Health h = new EnergyProfile.Health(0, 0, 0, 5_000_000L, 0, 900_000_000L, 4, 2, 9, 0, o, 0, 0, 0, 0);
        EnergyProfile p = withRoot(base, base.domains(), h, base.root().children().toArray(new EnergyProfile.Node[0]));
        String t = TopTable.render(p, 10, null);
        for (String header : List.of(SELF, INCLUSIVE)) {
            List<Row> rows = rows(t, header);
            assertEquals(header.equals(SELF) ? 6 : 4, rows.size(), t);
            for (Row r : rows) {
                assertEquals(r.name().equals(ProfileFixtures.QUERY), r.stopped(), header + ": " + r);
            }
        }
        assertTrue(t.contains("[energy] * counting stopped by the overhead budget (overhead=1%) in 1 methods"), t);
    }

    @Test
    void aRunThatMeasuredNoEnergyShowsZeroSharesRatherThanNaN() {
        EnergyProfile base = ProfileFixtures.measured();
        // Too short for a counter to tick: every domain and every method at 0 J.
        List<EnergyProfile.DomainTotal> none = List.of(
                new EnergyProfile.DomainTotal("package:0", "package", 0, false, 10_000_000L, "rapl", 0, 0, 0, 0),
                new EnergyProfile.DomainTotal("gpu:0", "gpu", 0, false, 100_000_000L, "nvml", 0, 0, 0, 0));
        EnergyProfile p = withRoot(base, none, base.health(), ProfileFixtures.method(ProfileFixtures.MAIN, 1, 20_000_000L,
                0, 0, ProfileFixtures.method(ProfileFixtures.PARSE, 3, 10_000_000L, 0, 0)));
        String t = TopTable.render(p, 10, null);
        List<Row> self = rows(t, SELF);
        List<Row> inclusive = rows(t, INCLUSIVE);
        assertEquals(2, self.size(), t);
        assertEquals(2, inclusive.size(), t);
        for (Row r : self) {
            assertEquals("0.0", r.share(), t);
        }
        for (Row r : inclusive) {
            assertEquals("0.0", r.share(), t);
        }
    }

    @Test
    void aNameAsWideAsTheColumnIsPrintedWholeAndAWiderOneKeepsItsEnd() {
        String fits = "com.acme.service.persistence.OrderRepository.findAll"; // 52 characters
        assertEquals(52, fits.length());
        assertEquals(fits, rows(TopTable.render(ProfileFixtures.withMethodNamed(fits), 10, null), SELF).get(3).name());
        String wider = "x" + fits;
        assertEquals("…" + fits.substring(1), rows(TopTable.render(ProfileFixtures.withMethodNamed(wider), 10, null),
                SELF).get(3).name());
    }
}

package io.energy.power.replay;

import io.energy.power.Domain;
import io.energy.power.ProbeResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplayPowerSourceTest {
    private static final long T0 = 7_000_000_000_000L;
    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;

    @TempDir
    Path tmp;

    private final List<String> log = new ArrayList<>();

    private Path trace(String text) throws IOException {
        Path f = tmp.resolve("trace-" + System.nanoTime() + ".csv");
        Files.writeString(f, text);
        return f;
    }

    private ReplayPowerSource open(String text) throws IOException {
        ReplayPowerSource s = ReplayPowerSource.open(trace(text), log::add);
        assertNotNull(s, log.toString());
        return s;
    }

    private static long[] read(ReplayPowerSource s, long now) {
        long[] v = new long[s.domains().size()];
        s.read(now, v);
        return v;
    }

    private String rejection(String text) throws IOException {
        Path f = trace(text);
        ReplayFormatException e = assertThrows(ReplayFormatException.class, () -> ReplayTrace.read(f));
        assertNull(ReplayPowerSource.open(f, log::add), "a bad trace is not played in part");
        assertTrue(log.get(log.size() - 1).endsWith("; using the ESTIMATED model instead"), log.toString());
        assertTrue(e.getMessage().contains("expected a header 'time_s,<domain>[:<device>],...'"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void anEpochTraceIsPlayedAgainstTheWallClockNotFromTheFirstRead() throws IOException {
        // 10 W from 10 s before now to 10 s after: read now, the counter must already hold the 100 J of the
        // ten seconds before (a time_s trace would start from 0 J at the first read).
        java.time.Instant now = java.time.Instant.now();
        long from = now.getEpochSecond() - 10;
        ReplayPowerSource s = open("# an external meter's log\nepoch_s,package:0\n" + from + ".5,0\n" + (from + 20)
                + ".5,200\n");
        long t = System.nanoTime();
        double expected = 10.0 * (now.getEpochSecond() + now.getNano() / 1e9 - (from + 0.5));
        long first = read(s, t)[0];
        assertEquals(expected, first / 1e9, 0.05, "the wall clock decides where playback starts");
        assertEquals(10 * S + first, read(s, t + S)[0], 1_000, "then it runs on with nanoTime: 1 s at 10 W");
        assertTrue(s.domains().get(0).origin().contains("aligned by the wall clock"), s.domains().get(0).origin());
        ReplayPowerSource relative = open("time_s,package:0\n" + from + ".5,0\n" + (from + 20) + ".5,200\n");
        assertEquals(0, read(relative, t)[0], "a time_s trace starts at its first row whatever its numbers");
    }

    @Test
    void twoRowsPlayAConstantPowerThatGoesOnAfterTheLastRow() throws IOException {
        ReplayPowerSource s = open("time_s,package:0\n0,0\n1,50\n");
        assertEquals(0, read(s, T0)[0], "playback starts at the first read");
        assertEquals(25_000_000_000L, read(s, T0 + 500 * MS)[0]);
        assertEquals(50_000_000_000L, read(s, T0 + S)[0]);
        assertEquals(150_000_000_000L, read(s, T0 + 3 * S)[0], "50 W held after the last row");
        Domain d = s.domains().get(0);
        assertEquals("package:0", d.key());
        assertFalse(d.estimated());
        assertEquals(S, d.grainNanos());
    }

    @Test
    void valuesAreInterpolatedLinearlyBetweenRowsPerColumn() throws IOException {
        ReplayPowerSource s = open("time_s,package:0,dram:0,gpu:1\n"
                + "0,0,0,0\n"
                + "0.1,10,1,0\n"   // 100 W, 10 W, 0 W
                + "0.3,12,3,60\n"  // 10 W, 10 W, 300 W
                + "0.4,12,4,60\n"
                + "0.405,12,4.05,60\n"); // a short last row, as a recording that stopped has
        assertEquals(List.of("package:0", "dram:0", "gpu:1"), s.domains().stream().map(Domain::key).toList());
        read(s, T0);
        assertArrayEqualsLong(new long[] {5_000_000_000L, 500_000_000L, 0}, read(s, T0 + 50 * MS));
        assertArrayEqualsLong(new long[] {11_000_000_000L, 2_000_000_000L, 30_000_000_000L}, read(s, T0 + 200 * MS));
        assertArrayEqualsLong(new long[] {12_000_000_000L, 3_500_000_000L, 60_000_000_000L}, read(s, T0 + 350 * MS));
        // after the last row each column keeps its own last rate: 0 W, 10 W, 0 W
        assertArrayEqualsLong(new long[] {12_000_000_000L, 5_000_000_000L, 60_000_000_000L}, read(s, T0 + 500 * MS));
        assertEquals(100 * MS, s.domains().get(0).grainNanos(), "grain from the typical row spacing");
    }

    @Test
    void aSingleRowMeansNoEnergyAfterIt() throws IOException {
        ReplayPowerSource s = open("time_s,package\n2,40\n");
        read(s, T0);
        assertEquals(0, read(s, T0 + 10 * S)[0]);
        assertEquals("package:0", s.domains().get(0).key(), "a column without :device is device 0");
    }

    @Test
    void energyCountsFromTheFirstRowSoATraceMayStartAtAnyCounterValue() throws IOException {
        ReplayPowerSource s = open("time_s,package:0\n1,1000\n2,1010\n");
        assertEquals(0, read(s, T0)[0]);
        assertEquals(0, read(s, T0 + 500 * MS)[0], "nothing before the first row");
        assertEquals(5_000_000_000L, read(s, T0 + 1500 * MS)[0]);
    }

    @Test
    void commentsBlankLinesSpacesCrlfAndAByteOrderMarkAreAccepted() throws IOException {
        ReplayPowerSource s = open("\uFEFF# a trace\r\n\r\n  time_s , package:0 ,dram:0\r\n# midway comment\r\n"
                + "0, 0 ,0\r\n\r\n 1 ,2.5, 1e-3\r\n");
        read(s, T0);
        assertArrayEqualsLong(new long[] {2_500_000_000L, 1_000_000L}, read(s, T0 + S));
    }

    @Test
    void anEstimatedMarkCarriesOverToTheDomain() throws IOException {
        ReplayPowerSource s = open("# estimated: package:0\ntime_s,package:0,gpu:0\n0,0,0\n1,1,1\n");
        assertTrue(s.domains().get(0).estimated());
        assertFalse(s.domains().get(1).estimated());
        assertTrue(rejection("# estimated: dram:0\ntime_s,package:0\n0,0\n")
                .contains("line 1 '# estimated:' names dram:0, which is no column of the header"));
    }

    @Test
    void aGarbageLineFailsTheWholeFileNamingTheLine() throws IOException {
        String m = rejection("time_s,package:0\n0,0\n1,abc\n2,3\n");
        assertTrue(m.contains(" line 3 package:0 'abc' is not a plain number"), m);
        m = rejection("time_s,package:0\n0,0\n1,2,3\n");
        assertTrue(m.contains(" line 3 has 3 fields, the header has 2"), m);
        m = rejection("time_s,package:0\n0,0\nNaN,1\n");
        assertTrue(m.contains(" line 3 time 'NaN' is not a plain number"), m);
        m = rejection("time_s,package:0\n0,-1\n");
        assertTrue(m.contains(" line 2 package:0 is negative"), m);
    }

    @Test
    void decreasingCumulativeValuesAreRejected() throws IOException {
        String m = rejection("time_s,package:0,dram:0\n0,0,0\n1,10,5\n2,11,4\n");
        assertTrue(m.contains(" line 4 dram:0 goes down from the previous row (4 J)"), m);
    }

    @Test
    void timesMustIncrease() throws IOException {
        String m = rejection("time_s,package:0\n0,0\n1,1\n1,2\n");
        assertTrue(m.contains(" line 4 time 1 s is not after the previous row's"), m);
    }

    @Test
    void theHeaderMustNameKnownDistinctDomains() throws IOException {
        assertTrue(rejection("0,0\n1,1\n").contains(" line 1 is not a header: it should start with time_s"));
        assertTrue(rejection("time_s,cpu:0\n0,0\n").contains(" line 1 column 'cpu:0' is not <domain>[:<device>]"));
        assertTrue(rejection("time_s,package:0,package\n0,0,0\n").contains(" line 1 names package:0 twice"));
        assertTrue(rejection("time_s\n0\n").contains(" line 1 names no domain column"));
        assertTrue(rejection("# only a comment\n").contains("has no header line"));
        assertTrue(rejection("time_s,gpu:0\n").contains("has a header but no rows"));
    }

    @Test
    void aMissingFileIsOneClearLine() {
        Path missing = tmp.resolve("absent.csv");
        assertNull(ReplayPowerSource.open(missing, log::add));
        assertEquals("cannot read replay trace " + missing + ": no such file; using the ESTIMATED model instead",
                log.get(0));
        assertNull(ReplayPowerSource.open(null, log::add));
        assertTrue(log.get(1).contains("source=replay needs replay=FILE"));
    }

    @Test
    void theProbeSummarisesTheTraceOrSaysWhatIsWrong() throws IOException {
        ProbeResult ok = ReplayPowerSource.probe(trace("time_s,package:0,gpu:0\n0,0,0\n0.5,10,100\n2,40,400\n"));
        assertTrue(ok.usable());
        assertTrue(ok.found().get(0).contains("3 rows over 2.000 s, rows typically 500 ms apart"), ok.found().toString());
        assertTrue(ok.found().contains("column package:0 40.000 J"), ok.found().toString());
        ProbeResult bad = ReplayPowerSource.probe(trace("time_s,package:0\n0,x\n"));
        assertFalse(bad.usable());
        assertTrue(bad.problem().contains("line 2"), bad.problem());
        assertFalse(ReplayPowerSource.probe(null).usable());
    }

    private static void assertArrayEqualsLong(long[] expected, long[] actual) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual,
                java.util.Arrays.toString(expected) + " vs " + java.util.Arrays.toString(actual));
    }
}

package io.energy.power.replay;

import io.energy.power.Domain;
import io.energy.power.PowerSource;
import io.energy.power.rapl.FakePowercap;
import io.energy.power.rapl.RaplPowerSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordingPowerSourceTest {
    private static final long T0 = 9_000_000_000_000L;
    private static final long MS = 1_000_000L;

    @TempDir
    Path tmp;

    private final List<String> log = new ArrayList<>();

    @Test
    void aRecordingOfLiveRaplReadingsReplaysToTheSameNanojoules() throws IOException {
        FakePowercap fake = new FakePowercap(tmp.resolve("powercap")).twoSockets();
        fake.set("intel-rapl:2", FakePowercap.INTEL_RANGE_UJ - 1_000_000);
        RaplPowerSource rapl = RaplPowerSource.open(fake.root, log::add, true);
        assertNotNull(rapl, log.toString());
        Path file = tmp.resolve("out/power.csv");
        PowerSource rec = RecordingPowerSource.wrap(rapl, file, log::add);
        assertInstanceOf(RecordingPowerSource.class, rec);

        int n = rec.domains().size();
        List<long[]> live = new ArrayList<>();
        long[] times = {0, 100 * MS, 200 * MS, 350 * MS, 1_500 * MS, 1_600 * MS};
        long pkg0 = 1_000_000;
        long dram1 = 7_000_000;
        for (int i = 0; i < times.length; i++) {
            pkg0 += 3_333_333L * i;
            dram1 += 123_457L;
            fake.set("intel-rapl:0", pkg0);
            fake.set("intel-rapl:2:0", dram1);
            if (i == 4) {
                fake.set("intel-rapl:2", 250_000); // package-1 wraps
            }
            long[] v = new long[n];
            rec.read(T0 + times[i], v);
            live.add(v);
        }
        assertTrue(Files.exists(tmp.resolve("out/power.csv.partial")), "rows go to the .partial file while running");
        assertFalse(Files.exists(file));
        rec.close();
        assertTrue(Files.exists(file));
        assertFalse(Files.exists(tmp.resolve("out/power.csv.partial")));
        assertEquals("package:1", rec.domains().get(5).key());
        assertEquals(1_250_000_000L, live.get(times.length - 1)[5], "package-1's wrap was recorded as energy");

        ReplayPowerSource replay = ReplayPowerSource.open(file, log::add);
        assertNotNull(replay, log.toString());
        assertEquals(rec.domains().stream().map(Domain::key).toList(),
                replay.domains().stream().map(Domain::key).toList());
        for (int i = 0; i < times.length; i++) {
            long[] v = new long[n];
            replay.read(42 + times[i], v); // any clock: playback starts at the first read
            assertArrayEquals(live.get(i), v, "row " + i + ": " + Arrays.toString(live.get(i)) + " vs "
                    + Arrays.toString(v));
        }
        assertTrue(log.isEmpty(), log.toString());
        String text = Files.readString(file);
        assertTrue(text.contains("\ntime_s,package:0,core:0,uncore:0,dram:0,psys:0,package:1,dram:1\n"), text);
        assertTrue(text.contains("\n0.100000000,"), text);
    }

    @Test
    void estimatedDomainsStayEstimatedWhenReplayed() throws IOException {
        PowerSource model = new PowerSource() {
            private final List<Domain> d = List.of(new Domain(Domain.PACKAGE, 0, true, 10 * MS, "a model"));

            @Override
            public String name() {
                return "estimate";
            }

            @Override
            public List<Domain> domains() {
                return d;
            }

            @Override
            public void read(long nowNanos, long[] out) {
                out[0] = (nowNanos - T0) * 3; // 3 W
            }
        };
        Path file = tmp.resolve("est.csv");
        PowerSource rec = RecordingPowerSource.wrap(model, file, log::add);
        long[] v = new long[1];
        rec.read(T0, v);
        rec.read(T0 + 1000 * MS, v);
        rec.close();
        ReplayPowerSource replay = ReplayPowerSource.open(file, log::add);
        assertNotNull(replay, log.toString());
        assertTrue(replay.domains().get(0).estimated());
        replay.read(0, v);
        replay.read(2000 * MS, v);
        assertEquals(6_000_000_000L, v[0]);
    }

    @Test
    void aTargetThatCannotBeWrittenLeavesTheSourceUnwrappedWithOneMessage() throws IOException {
        Path blocker = tmp.resolve("a-file");
        Files.writeString(blocker, "x");
        FakePowercap fake = new FakePowercap(tmp.resolve("powercap")).zone("intel-rapl:0", "package-0", 1L << 40, 0);
        RaplPowerSource rapl = RaplPowerSource.open(fake.root, log::add, true);
        PowerSource s = RecordingPowerSource.wrap(rapl, blocker.resolve("power.csv"), log::add);
        assertSame(rapl, s);
        assertEquals(1, log.size());
        assertTrue(log.get(0).startsWith("cannot record power readings to "), log.get(0));
    }

    @Test
    void aRecorderAnswersForItsSourceInEverythingButTheFile() throws IOException {
        FakePowercap fake = new FakePowercap(tmp.resolve("powercap")).twoSockets();
        RaplPowerSource rapl = RaplPowerSource.open(fake.root, log::add, true);
        assertNotNull(rapl, log.toString());
        Path target = tmp.resolve("rec.csv");
        RecordingPowerSource rec = (RecordingPowerSource) RecordingPowerSource.wrap(rapl, target, log::add);
        assertSame(rapl, rec.inner());
        assertEquals(target, rec.target());
        long[] j = new long[rec.domains().size()];
        rec.read(T0, j);
        fake.remove("intel-rapl:0"); // an anomaly inside the wrapped source
        rec.read(T0 + 5 * MS, j);
        assertTrue(rapl.anomalies() > 0);
        assertEquals(rapl.anomalies(), rec.anomalies());
        assertTrue(rapl.readCostNanos() > 0);
        assertEquals(rapl.readCostNanos(), rec.readCostNanos());
        for (int d = 0; d < j.length; d++) {
            assertEquals(rapl.idleWatts(d), rec.idleWatts(d), 0.0);
            assertEquals(rapl.processShare(d), rec.processShare(d), 0.0);
        }
        assertTrue(rec.describe().startsWith(rapl.describe()) && rec.describe().endsWith(
                "every reading also goes to " + target.toAbsolutePath() + " (a replay trace)"), rec.describe());
        rec.close();
    }

    @Test
    void readingsReachTheFileAtTheLatestASecondAfterTheLastFlush() throws IOException {
        FakePowercap fake = new FakePowercap(tmp.resolve("powercap")).zone("intel-rapl:0", "package-0", 1L << 40, 0);
        RaplPowerSource rapl = RaplPowerSource.open(fake.root, log::add, true);
        Path target = tmp.resolve("flush/rec.csv");
        PowerSource rec = RecordingPowerSource.wrap(rapl, target, log::add);
        Path partial = target.resolveSibling("rec.csv.partial");
        long[] j = new long[1];
        rec.read(T0, j);
        rec.read(T0 + 999 * MS, j);
        assertEquals(0, Files.size(partial), "buffered for less than a second");
        rec.read(T0 + 1000 * MS, j);
        assertTrue(Files.readString(partial).endsWith("\n1.000000000,0.000000000\n"), Files.readString(partial));
        rec.close();
        assertFalse(Files.exists(partial));
        assertTrue(Files.readString(target).contains("\n0.999000000,0.000000000\n"));
    }

    @Test
    void twoDomainsWithOneKeyAreNotRecordedAndSaySo() throws Exception {
        Path a = tmp.resolve("a.csv");
        Files.writeString(a, "time_s,package:0\n0,0\n1,1\n");
        PowerSource twice = new io.energy.power.CompositePowerSource(List.of(
                new ReplayPowerSource(ReplayTrace.read(a)), new ReplayPowerSource(ReplayTrace.read(a))));
        assertSame(twice, RecordingPowerSource.wrap(twice, tmp.resolve("x.csv"), log::add));
        assertEquals(1, log.size(), log.toString());
        assertTrue(log.get(0).contains("two domains are both package:0"), log.get(0));
        assertFalse(Files.exists(tmp.resolve("x.csv.partial")));
    }

    @Test
    void closingTheRecorderClosesItsSourceToo() throws IOException {
        FakePowercap fake = new FakePowercap(tmp.resolve("powercap")).zone("intel-rapl:0", "package-0", 1L << 40, 0);
        RaplPowerSource rapl = RaplPowerSource.open(fake.root, log::add, true);
        Path innerTarget = tmp.resolve("inner.csv");
        PowerSource inner = RecordingPowerSource.wrap(rapl, innerTarget, log::add);
        PowerSource outer = RecordingPowerSource.wrap(inner, tmp.resolve("outer.csv"), log::add);
        outer.read(T0, new long[1]);
        outer.close();
        assertTrue(Files.exists(innerTarget), "the inner recorder was closed and finished its file");
        assertTrue(Files.exists(tmp.resolve("outer.csv")));
    }

    @Test
    void fixedNineDecimalsAreExact() {
        StringBuilder sb = new StringBuilder();
        RecordingPowerSource.fixed9(sb, 12_345_678_901L);
        sb.append(' ');
        RecordingPowerSource.fixed9(sb, 7);
        sb.append(' ');
        RecordingPowerSource.fixed9(sb, Long.MAX_VALUE);
        assertEquals("12.345678901 0.000000007 9223372036.854775807", sb.toString());
    }
}

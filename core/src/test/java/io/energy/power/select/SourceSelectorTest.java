package io.energy.power.select;

import io.energy.config.Config;
import io.energy.config.ConfigParser;
import io.energy.power.PowerSource;
import io.energy.power.ProcStat;
import io.energy.power.rapl.FakePowercap;
import io.energy.power.replay.RecordingPowerSource;
import io.energy.power.replay.ReplayPowerSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SourceSelectorTest {
    @TempDir
    Path tmp;

    private final List<String> log = new ArrayList<>();

    private PowerSource select(String args) {
        Config c = ConfigParser.parse(args, new Properties());
        return SourceSelector.select(c, new ProcStat(), log::add);
    }

    @Test
    void doctorsProbeLooksForEverySourceInOrderAndDescribesTheModelWithItsWatts() {
        FakePowercap fake = new FakePowercap(tmp.resolve("powercap")).twoSockets();
        Config c = ConfigParser.parse("rapl.root=" + fake.root + ",estimate.idle.watts=1.25,estimate.busy.watts=4.5",
                new Properties());
        List<io.energy.power.ProbeResult> r = SourceSelector.probeAll(c);
        assertEquals(List.of("rapl", "nvml", "replay", "estimate"),
                r.stream().map(io.energy.power.ProbeResult::source).toList());
        assertTrue(r.get(0).usable(), "the fake powercap tree is found: " + r.get(0));
        assertFalse(r.get(2).usable(), "no replay trace was given");
        io.energy.power.ProbeResult est = r.get(3);
        assertTrue(est.usable());
        ProcStat stat = new ProcStat();
        int cpus = stat.machineStatReadable() && stat.machineCpus() > 0 ? stat.machineCpus() : stat.cpus();
        assertTrue(est.found().get(0).startsWith("CPU-time model: 1.25 W idle, 4.50 W busy per logical CPU x " + cpus
                + " CPUs"), est.found().get(0));
        assertEquals(stat.cpus() < cpus, est.found().get(0).contains("a container's limit"), est.found().get(0));
        assertEquals(stat.machineStatReadable() ? "machine-wide CPU time from /proc/stat: readable"
                : "machine-wide CPU time from /proc/stat: NOT readable, so only this process's CPU time is modelled",
                est.found().get(1));
    }

    @Test
    void autoUsesReadableRaplCountersAsMeasured() {
        FakePowercap fake = new FakePowercap(tmp.resolve("powercap")).twoSockets();
        PowerSource s = select("rapl.root=" + fake.root);
        assertTrue(s.name().startsWith("rapl"), s.name());
        assertFalse(s.domains().get(0).estimated());
    }

    @Test
    void autoFallsBackToTheEstimateQuietlyWhereThereIsNoRapl() {
        PowerSource s = select("rapl.root=" + tmp.resolve("none"));
        assertEquals("estimate", s.name());
        assertTrue(s.domains().get(0).estimated());
        assertTrue(log.isEmpty(), log.toString());
    }

    @Test
    void raplAskedForButAbsentSaysSoAndFallsBackToTheEstimate() {
        PowerSource s = select("source=rapl,rapl.root=" + tmp.resolve("none"));
        assertEquals("estimate", s.name());
        assertEquals(1, log.size());
        assertTrue(log.get(0).startsWith("RAPL not used: no powercap directory"), log.get(0));
    }

    @Test
    void aBadReplayTraceFallsBackToTheEstimateWithOneLine() throws IOException {
        Path f = tmp.resolve("t.csv");
        Files.writeString(f, "time_s,package:0\n0,0\n1,oops\n");
        PowerSource s = select("source=replay,replay=" + f);
        assertEquals("estimate", s.name());
        assertTrue(log.get(0).contains("line 3"), log.toString());
    }

    @Test
    void recordWrapsTheChosenSource() throws IOException {
        Path f = tmp.resolve("t.csv");
        Files.writeString(f, "time_s,package:0\n0,0\n1,10\n");
        Path rec = tmp.resolve("rec.csv");
        PowerSource s = select("source=replay,replay=" + f + ",record=" + rec);
        RecordingPowerSource r = assertInstanceOf(RecordingPowerSource.class, s);
        assertInstanceOf(ReplayPowerSource.class, r.inner());
        assertEquals("replay", s.name());
        assertTrue(s.describe().endsWith("\nrecord     every reading also goes to " + rec.toAbsolutePath()
                + " (a replay trace)"), s.describe());
        long[] v = new long[1];
        s.read(0, v);
        s.read(500_000_000L, v);
        s.close();
        assertTrue(Files.readString(rec).endsWith("\n0.500000000,5.000000000\n"));
    }
}

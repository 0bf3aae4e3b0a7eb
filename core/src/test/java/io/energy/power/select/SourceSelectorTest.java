package io.energy.power.select;

import io.energy.config.Config;
import io.energy.config.ConfigParser;
import io.energy.power.FakeProcStat;
import io.energy.power.PowerSource;
import io.energy.power.ProbeResult;
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

    /** What "this JVM may use" means: the JVM's own count, a container's limit where there is one. */
    private static final int JVM_CPUS = Runtime.getRuntime().availableProcessors();
    private static final String MODEL = "CPU-time model: 1.25 W idle, 4.50 W busy per logical CPU x ";
    private static final String WATTS_FROM = " CPUs (Cloud Carbon Footprint averages; estimate.idle.watts / "
            + "estimate.busy.watts override them)";

    private List<ProbeResult> probeAll(ProcStat stat) {
        FakePowercap fake = new FakePowercap(tmp.resolve("powercap")).twoSockets();
        Config c = ConfigParser.parse("rapl.root=" + fake.root + ",estimate.idle.watts=1.25,estimate.busy.watts=4.5",
                new Properties());
        return SourceSelector.probeAll(c, stat);
    }

    @Test
    void doctorsProbeLooksForEverySourceInOrderAndModelsTheCpusOfTheMachineWhoseBusyTimeItReads() throws IOException {
        // The host's CPU count is the fake file's, set apart from the JVM's: where the two are equal (any machine
        // without a container's limit, this one included) a model of the JVM's CPUs would pass for the machine's.
        int host = JVM_CPUS + 6;
        List<ProbeResult> r = probeAll(FakeProcStat.machineOf(host, tmp.resolve("stat")));
        assertEquals(List.of("rapl", "nvml", "replay", "estimate"), r.stream().map(ProbeResult::source).toList());
        assertTrue(r.get(0).usable(), "the fake powercap tree is found: " + r.get(0));
        assertFalse(r.get(2).usable(), "no replay trace was given");
        ProbeResult est = r.get(3);
        assertTrue(est.usable());
        assertEquals(MODEL + host + WATTS_FROM + "; this JVM may use " + JVM_CPUS + " of them (a container's limit): "
                + "the model is the machine's, as /proc/stat is", est.found().get(0));
        assertEquals("machine-wide CPU time from /proc/stat: readable", est.found().get(1));
    }

    @Test
    void doctorsProbeModelsTheJvmsCpusWhereProcStatCountsNone() throws IOException {
        Path noCpuLines = tmp.resolve("stat");
        Files.writeString(noCpuLines, "intr 12345 0 0\nctxt 999\nbtime 1700000000\n");
        ProbeResult est = probeAll(FakeProcStat.over(noCpuLines)).get(3);
        assertEquals(MODEL + JVM_CPUS + WATTS_FROM, est.found().get(0), "readable, but no cpuN line to count");
        assertEquals("machine-wide CPU time from /proc/stat: readable", est.found().get(1));

        est = probeAll(FakeProcStat.over(tmp.resolve("missing"))).get(3);
        assertEquals(MODEL + JVM_CPUS + WATTS_FROM, est.found().get(0), "no /proc/stat");
        assertEquals("machine-wide CPU time from /proc/stat: NOT readable, so only this process's CPU time is "
                + "modelled", est.found().get(1));
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

package io.energy.power;

import io.energy.power.estimate.EstimatedPowerSource;
import io.energy.power.rapl.FakePowercap;
import io.energy.power.rapl.RaplPowerSource;
import io.energy.power.replay.ReplayPowerSource;
import io.energy.power.replay.ReplayTrace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pieces every source rests on, with energies known from outside (issue 14: mutation testing found
 * these without a test): the composite's index arithmetic, the estimated model's formula, domain keys and
 * totals, grain texts. Real sources only: replay traces, a fake powercap tree, a fake /proc/stat file.
 */
class PowerSourceBasicsTest {
    private static final long S = 1_000_000_000L;

    @TempDir
    Path tmp;

    private ReplayPowerSource replay(String name, String text) throws Exception {
        Path f = tmp.resolve(name);
        Files.writeString(f, text);
        return new ReplayPowerSource(ReplayTrace.read(f));
    }

    private EstimatedPowerSource estimate(long busyJiffies, double idle, double busy) throws Exception {
        Path stat = tmp.resolve("stat");
        writeStat(stat, busyJiffies);
        return new EstimatedPowerSource(new ProcStat(stat, 0), idle, busy);
    }

    private static void writeStat(Path stat, long busyJiffies) throws Exception {
        // user=busy, idle=1000: only user counts as busy here
        Files.writeString(stat, "cpu  " + busyJiffies + " 0 0 1000 0 0 0 0 0 0\n");
    }

    @Test
    void theEstimatedModelIsIdleWattsTimesCpusTimesElapsedPlusTheBusyExcessTimesBusySeconds() throws Exception {
        Path stat = tmp.resolve("stat");
        writeStat(stat, 500);
        EstimatedPowerSource e = new EstimatedPowerSource(new ProcStat(stat, 0), 1.0, 4.0);
        int cpus = Runtime.getRuntime().availableProcessors();
        long[] j = new long[1];
        e.read(10 * S, j);
        assertEquals(0, j[0], "nothing at the first read");
        writeStat(stat, 500 + 150); // 1.5 busy CPU-seconds
        Thread.sleep(2); // past ProcStat's 1 ms sharing of reads
        e.read(12 * S, j);
        assertEquals(Math.round((1.0 * cpus * 2 + (4.0 - 1.0) * 1.5) * 1e9), j[0]);
        writeStat(stat, 500 + 150 + 100);
        Thread.sleep(2);
        e.read(13 * S, j);
        assertEquals(Math.round((1.0 * cpus * 3 + 3.0 * 2.5) * 1e9), j[0], "cumulative since the first read");
        assertEquals(1.0 * cpus, e.idleWatts(0));
        assertEquals("estimate", e.name());
        Domain d = e.domains().get(0);
        assertEquals("package:0", d.key());
        assertTrue(d.estimated());
        assertEquals(10_000_000L, d.grainNanos());
        assertTrue(d.origin().contains("machine CPU time from /proc/stat"), d.origin());
        assertTrue(d.origin().contains("x " + cpus + " CPUs"), d.origin());
    }

    @Test
    void busyWattsBelowIdleAreRaisedToIdleSoTheModelNeverGoesBackwards() throws Exception {
        EstimatedPowerSource e = estimate(0, 2.0, 1.0);
        Path stat = tmp.resolve("stat");
        long[] j = new long[1];
        e.read(0, j);
        writeStat(stat, 100);
        Thread.sleep(2);
        e.read(S, j);
        int cpus = Runtime.getRuntime().availableProcessors();
        assertEquals(Math.round(2.0 * cpus * 1e9), j[0], "busy time adds nothing when busy W = idle W");
        long before = j[0];
        e.read(S / 2, j); // an earlier time: the cumulative figure must not drop
        assertEquals(before, j[0]);
    }

    @Test
    void withoutAMachineCounterTheModelUsesThisProcesssCpuTime() throws Exception {
        EstimatedPowerSource e = new EstimatedPowerSource(new ProcStat(tmp.resolve("missing"), 0), 0.0, 10.0);
        assertTrue(e.domains().get(0).origin().contains("process CPU time"), e.domains().get(0).origin());
        long[] j = new long[1];
        e.read(0, j);
        long spin = System.nanoTime() + 200_000_000L;
        long x = 0;
        while (System.nanoTime() < spin) {
            x += x * 31 + 7; // burn CPU in this process
        }
        e.read(S, j);
        assertTrue(x != 1 && j[0] > 0, "this process's own CPU time was charged: " + j[0]);
        assertTrue(j[0] < Math.round(10.0 * 10 * Runtime.getRuntime().availableProcessors() * 1e9));
    }

    @Test
    void aCompositeConcatenatesItsPartsDomainsAndReadingsInOrder() throws Exception {
        ReplayPowerSource cpu = replay("cpu.csv", "time_s,package:0,dram:0\n0,0,0\n1,40,6\n2,80,12\n");
        ReplayPowerSource gpu = replay("gpu.csv", "time_s,gpu:0\n0,0\n1,300\n2,600\n");
        CompositePowerSource c = new CompositePowerSource(List.of(cpu, gpu));
        assertEquals("replay+replay", c.name());
        assertEquals(List.of("package:0", "dram:0", "gpu:0"), c.domains().stream().map(Domain::key).toList());
        assertEquals(List.of(cpu, gpu), c.parts());
        long[] j = new long[3];
        c.read(5 * S, j);
        c.read(6 * S, j);
        assertArrayEquals(new long[]{40 * S, 6 * S, 300 * S}, j, "each part's joules at its own offset");
        assertEquals(3, c.describe().split("\n").length, c.describe());
        assertTrue(c.describe().startsWith("replay") && c.describe().contains("gpu:0"), c.describe());
    }

    @Test
    void aCompositeAsksThePartThatOwnsADomainForItsIdlePowerAndShare() throws Exception {
        EstimatedPowerSource est = estimate(0, 1.5, 3.0);
        ReplayPowerSource gpu = replay("gpu.csv", "time_s,gpu:0,gpu:1\n0,0,0\n1,300,100\n");
        double idle = 1.5 * Runtime.getRuntime().availableProcessors();
        CompositePowerSource first = new CompositePowerSource(List.of(est, gpu));
        assertEquals(idle, first.idleWatts(0));
        assertTrue(Double.isNaN(first.idleWatts(1)), "gpu:0 belongs to the replay, which does not know");
        assertTrue(Double.isNaN(first.idleWatts(2)));
        assertTrue(Double.isNaN(first.processShare(0)));
        CompositePowerSource last = new CompositePowerSource(List.of(gpu, est));
        assertTrue(Double.isNaN(last.idleWatts(0)));
        assertTrue(Double.isNaN(last.idleWatts(1)), "the last domain of the first part");
        assertEquals(idle, last.idleWatts(2), "the first domain of the second part");
        assertEquals("replay+estimate", last.name());
    }

    @Test
    void aCompositeAddsUpItsPartsAnomaliesAndReadCosts() throws Exception {
        FakePowercap a = new FakePowercap(tmp.resolve("a")).twoSockets();
        FakePowercap b = new FakePowercap(tmp.resolve("b")).twoSockets();
        List<String> log = new ArrayList<>();
        RaplPowerSource ra = RaplPowerSource.open(a.root, log::add, true);
        RaplPowerSource rb = RaplPowerSource.open(b.root, log::add, true);
        assertNotNull(ra, log.toString());
        assertNotNull(rb, log.toString());
        CompositePowerSource c = new CompositePowerSource(List.of(ra, rb));
        long[] j = new long[c.domains().size()];
        c.read(0, j);
        a.remove("intel-rapl:0"); // a vanished zone is an anomaly of part a
        c.read(S, j);
        b.remove("intel-rapl:0");
        b.remove("intel-rapl:1");
        c.read(2 * S, j);
        assertTrue(ra.anomalies() > 0 && rb.anomalies() > 0, ra.anomalies() + " " + rb.anomalies());
        assertEquals(ra.anomalies() + rb.anomalies(), c.anomalies());
        assertTrue(ra.readCostNanos() > 0 && rb.readCostNanos() > 0);
        assertEquals(ra.readCostNanos() + rb.readCostNanos(), c.readCostNanos());
    }

    @Test
    void closingACompositeClosesEveryPartEvenWhenOneFails() throws Exception {
        List<String> closed = new ArrayList<>();
        PowerSource failing = new NamedPart("x", () -> {
            closed.add("x");
            throw new IllegalStateException("cannot close");
        });
        PowerSource fine = new NamedPart("y", () -> closed.add("y"));
        new CompositePowerSource(List.of(failing, fine)).close();
        assertEquals(List.of("x", "y"), closed);
    }

    /** A part that only has a name and a close action: what the close test is about, nothing else. */
    private record NamedPart(String name, Runnable onClose) implements PowerSource {
        @Override
        public List<Domain> domains() {
            return List.of();
        }

        @Override
        public void read(long nowNanos, long[] cumulativeNanoJoules) {
        }

        @Override
        public void close() {
            onClose.run();
        }
    }

    @Test
    void domainKeysTotalsAndGpuFlagFollowTheKind() {
        assertEquals("gpu:3", new Domain(Domain.GPU, 3, false, 1, "o").key());
        for (String k : List.of(Domain.PACKAGE, Domain.DRAM, Domain.GPU)) {
            assertTrue(new Domain(k, 0, false, 1, "o").inTotal(), k + " adds up");
        }
        for (String k : List.of(Domain.CORE, Domain.UNCORE, Domain.PSYS)) {
            assertFalse(new Domain(k, 0, false, 1, "o").inTotal(), k + " is inside another domain");
            assertFalse(Domain.inTotal(k));
        }
        assertTrue(new Domain(Domain.GPU, 0, false, 1, "o").isGpu());
        assertFalse(new Domain(Domain.PACKAGE, 0, false, 1, "o").isGpu());
    }

    @Test
    void grainsArePrintedInTheLargestWholeUnit() {
        assertEquals("1 s", PowerSource.grainText(S));
        assertEquals("2 s", PowerSource.grainText(2 * S + 5));
        assertEquals("999 ms", PowerSource.grainText(S - 1));
        assertEquals("1 ms", PowerSource.grainText(1_000_000L));
        assertEquals("999 us", PowerSource.grainText(999_999L));
        assertEquals("0 us", PowerSource.grainText(999L));
    }

    @Test
    void theDefaultDescriptionHasOneLinePerDomainWithKindGrainAndOrigin() throws Exception {
        PowerSource p = new PowerSource() {
            @Override
            public String name() {
                return "two";
            }

            @Override
            public List<Domain> domains() {
                return List.of(new Domain(Domain.PACKAGE, 0, true, 10_000_000L, "model"),
                        new Domain(Domain.GPU, 1, false, S, "card"));
            }

            @Override
            public void read(long nowNanos, long[] cumulativeNanoJoules) {
            }
        };
        String[] lines = p.describe().split("\n");
        assertEquals(2, lines.length, p.describe());
        assertTrue(lines[0].matches("two +package:0 +ESTIMATED, grain 10 ms, from model"), lines[0]);
        assertTrue(lines[1].matches("two +gpu:1 +measured, grain 1 s, from card"), lines[1]);
        assertTrue(Double.isNaN(p.idleWatts(0)) && Double.isNaN(p.processShare(0)));
        assertEquals(0, p.anomalies());
        assertEquals(0, p.readCostNanos());
    }
}

package io.energy.power.rapl;

import io.energy.power.Domain;
import io.energy.power.ProbeResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RaplPowerSourceTest {
    private static final long T0 = 5_000_000_000_000L;
    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;
    private static final long RANGE = FakePowercap.INTEL_RANGE_UJ;

    @TempDir
    Path tmp;

    private final List<String> log = new ArrayList<>();

    private RaplPowerSource open(FakePowercap fake) {
        RaplPowerSource s = RaplPowerSource.open(fake.root, log::add, true);
        assertNotNull(s, "expected the fake tree to open; log: " + log);
        return s;
    }

    private static int index(RaplPowerSource s, String key) {
        for (int i = 0; i < s.domains().size(); i++) {
            if (s.domains().get(i).key().equals(key)) {
                return i;
            }
        }
        throw new AssertionError("no domain " + key + " in " + s.domains());
    }

    private static long[] read(RaplPowerSource s, long now) {
        long[] v = new long[s.domains().size()];
        s.read(now, v);
        return v;
    }

    @Test
    void zonesAreIdentifiedByTheirNameFileAcrossTwoSocketsWithPsysBetweenThem() {
        RaplPowerSource s = open(new FakePowercap(tmp.resolve("powercap")).twoSockets());
        assertEquals(List.of("package:0", "core:0", "uncore:0", "dram:0", "psys:0", "package:1", "dram:1"),
                s.domains().stream().map(Domain::key).toList(), "each zone followed by its subzones");
        Domain pkg1 = s.domains().get(index(s, "package:1"));
        assertTrue(pkg1.origin().contains("intel-rapl:2"), pkg1.origin());
        assertTrue(s.domains().get(index(s, "dram:1")).origin().contains("intel-rapl:2:0"));
        assertTrue(s.domains().get(index(s, "psys:0")).origin().contains("intel-rapl:1"));
        for (Domain d : s.domains()) {
            assertFalse(d.estimated(), d.key());
            assertEquals(1_000_000L, d.grainNanos(), d.key());
        }
        String pkg0 = s.domains().get(index(s, "package:0")).origin();
        assertTrue(pkg0.contains("core:0 and uncore:0 are part of it, not extra"), pkg0);
        assertTrue(s.domains().get(index(s, "core:0")).origin().contains("part of package:0"));
        assertTrue(s.domains().get(index(s, "dram:0")).origin().contains("memory, not part of the package"));
        assertTrue(s.describe().contains("rapl       package:1  measured, grain 1 ms"), s.describe());
        assertTrue(log.isEmpty(), log.toString());
    }

    @Test
    void eachDomainAccumulatesItsOwnCounterInNanojoulesFromTheFirstRead() {
        FakePowercap fake = new FakePowercap(tmp.resolve("powercap")).twoSockets();
        RaplPowerSource s = open(fake);
        long[] first = read(s, T0);
        for (long v : first) {
            assertEquals(0, v);
        }
        fake.set("intel-rapl:0", 1_000_000 + 12_500_000);  // +12.5 J
        fake.set("intel-rapl:0:2", 4_000_000 + 1_250_000); // +1.25 J
        fake.set("intel-rapl:2", 6_000_000 + 7);           // +7 uJ
        long[] v = read(s, T0 + 100 * MS);
        assertEquals(12_500_000_000L, v[index(s, "package:0")]);
        assertEquals(1_250_000_000L, v[index(s, "dram:0")]);
        assertEquals(7_000L, v[index(s, "package:1")]);
        assertEquals(0L, v[index(s, "core:0")]);
        assertEquals(0, s.anomalies());
        assertTrue(s.readCostNanos() > 0);
    }

    @Test
    void aWrapAddsTheZonesOwnRangeOnlyToThatZone() {
        FakePowercap fake = new FakePowercap(tmp.resolve("powercap"))
                .zone("intel-rapl:0", "package-0", RANGE, RANGE - 300_000)
                .zone("intel-rapl:0:0", "core", 1_000_000_000L, 999_900_000L)
                .zone("intel-rapl:0:1", "dram", RANGE, 50_000_000);
        RaplPowerSource s = open(fake);
        read(s, T0);
        fake.set("intel-rapl:0", 200_000);           // wrapped: 0.3 J to the top, then 0.2 J
        fake.set("intel-rapl:0:0", 100_000);         // its own, smaller range: 0.1 J + 0.1 J
        fake.set("intel-rapl:0:1", 50_000_000 + 10); // did not wrap
        long[] v = read(s, T0 + 100 * MS);
        assertEquals(500_000_000L, v[index(s, "package:0")]);
        assertEquals(200_000_000L, v[index(s, "core:0")]);
        assertEquals(10_000L, v[index(s, "dram:0")]);
        assertEquals(0, s.anomalies(), "a wrap is not an anomaly");
    }

    @Test
    void aLateReadAfterSeveralWrapsIsUnwrappedFromTheLastRateAndCounted() {
        FakePowercap fake = new FakePowercap(tmp.resolve("powercap")).zone("intel-rapl:0", "package-0", RANGE, 0);
        RaplPowerSource s = open(fake);
        read(s, T0);
        fake.set("intel-rapl:0", 100_000_000L); // 100 W for 1 s
        assertEquals(100_000_000_000L, read(s, T0 + S)[0]);
        // then 6000 s at the same 100 W without a read: 600 kJ, more than two whole ranges of 262 kJ
        long truth = 600_000_000_000L;
        fake.set("intel-rapl:0", (100_000_000L + truth) % RANGE);
        long[] v = read(s, T0 + S + 6000 * S);
        assertEquals((100_000_000L + truth) * 1000, v[0]);
        assertEquals(1, s.anomalies(), "the wrap count was a guess");
        assertTrue(log.get(0).contains("2 wrap(s) assumed"), log.toString());
    }

    @Test
    void aLateReadWithNoRateYetCreditsTheSmallestPossibleEnergyAndCountsIt() {
        FakePowercap fake = new FakePowercap(tmp.resolve("powercap")).zone("intel-rapl:0", "package-0", RANGE, 0);
        RaplPowerSource s = open(fake);
        read(s, T0);
        fake.set("intel-rapl:0", 5_000_000);
        assertEquals(5_000_000_000L, read(s, T0 + 600 * S)[0]);
        assertEquals(1, s.anomalies());
    }

    @Test
    void aCounterThatStepsBackIsAnAnomalyNotAWrap() {
        FakePowercap fake = new FakePowercap(tmp.resolve("powercap")).zone("intel-rapl:0", "package-0", RANGE,
                500_000_000);
        RaplPowerSource s = open(fake);
        read(s, T0);
        fake.set("intel-rapl:0", 499_999_000); // 1 mJ back: as a wrap it would be 262 kJ in 100 ms
        assertEquals(0, read(s, T0 + 100 * MS)[0]);
        assertEquals(1, s.anomalies());
        assertTrue(log.get(0).contains("went back by 0.001000 J"), log.toString());
        fake.set("intel-rapl:0", 500_500_000); // counting goes on from where it stepped back to
        assertEquals(501_000_000L, read(s, T0 + 200 * MS)[0]);
        assertEquals(1, s.anomalies());
    }

    @Test
    void anAbsurdJumpIsCappedAtTheLastPlausibleRate() {
        FakePowercap fake = new FakePowercap(tmp.resolve("powercap")).zone("intel-rapl:0", "package-0", RANGE, 0);
        RaplPowerSource s = open(fake);
        read(s, T0);
        fake.set("intel-rapl:0", 100_000_000L); // 100 W for 1 s
        read(s, T0 + S);
        fake.set("intel-rapl:0", 100_000_000L + 100_000_000_000L); // 100 kJ in 100 ms: 1 MW
        long[] v = read(s, T0 + S + 100 * MS);
        assertEquals(100_000_000_000L + 10_000_000_000L, v[0], "1 s at 100 W, then 100 ms at 100 W");
        assertEquals(1, s.anomalies());
        assertTrue(log.get(0).contains("jumped by 100000.0 J"), log.toString());
    }

    @Test
    void aVanishedZoneKeepsItsEnergyIsCountedOnceAndTheOthersGoOn() {
        FakePowercap fake = new FakePowercap(tmp.resolve("powercap")).twoSockets();
        RaplPowerSource s = open(fake);
        read(s, T0);
        fake.set("intel-rapl:2", 6_000_000 + 3_000_000);
        fake.set("intel-rapl:0", 1_000_000 + 1_000_000);
        long before = read(s, T0 + 100 * MS)[index(s, "package:1")];
        assertEquals(3_000_000_000L, before);
        fake.remove("intel-rapl:2"); // the kernel takes a package's subzones with it
        fake.remove("intel-rapl:2:0");
        fake.set("intel-rapl:0", 1_000_000 + 2_000_000);
        for (int i = 2; i < 6; i++) {
            long[] v = read(s, T0 + i * 100 * MS);
            assertEquals(before, v[index(s, "package:1")]);
            assertTrue(v[index(s, "dram:1")] >= 0);
            assertEquals(2_000_000_000L, v[index(s, "package:0")]);
        }
        assertEquals(2, s.anomalies(), "one per vanished zone (package-1 and its dram), not one per read");
        List<String> gone = log.stream().filter(l -> l.contains("disappeared")).toList();
        assertEquals(2, gone.size(), log.toString());
        assertTrue(gone.get(0).contains("intel-rapl:2 (package:1)"), gone.get(0));
    }

    @Test
    void garbageInEnergyUjIsAnAnomalySaidOnceAndTheNextGoodReadCoversTheGap() {
        FakePowercap fake = new FakePowercap(tmp.resolve("powercap")).zone("intel-rapl:0", "package-0", RANGE, 0);
        RaplPowerSource s = open(fake);
        read(s, T0);
        fake.set("intel-rapl:0", 1_000_000);
        assertEquals(1_000_000_000L, read(s, T0 + 100 * MS)[0]);
        fake.setText("intel-rapl:0", "12x4\n");
        assertEquals(1_000_000_000L, read(s, T0 + 200 * MS)[0]);
        fake.setText("intel-rapl:0", "-5\n");
        assertEquals(1_000_000_000L, read(s, T0 + 300 * MS)[0]);
        fake.set("intel-rapl:0", 4_000_000);
        assertEquals(4_000_000_000L, read(s, T0 + 400 * MS)[0]);
        assertEquals(1, s.anomalies(), "one episode");
        assertEquals(1, log.size(), log.toString());
        assertTrue(log.get(0).contains("holds '12x4', not a count of microjoules"), log.get(0));
        assertTrue(log.get(0).contains(fake.root.resolve("intel-rapl:0").resolve("energy_uj").toString()));
    }

    @Test
    void aValueAboveTheWrapRangeIsGarbage() {
        FakePowercap fake = new FakePowercap(tmp.resolve("powercap")).zone("intel-rapl:0", "package-0", 1000, 10);
        RaplPowerSource s = open(fake);
        read(s, T0);
        fake.set("intel-rapl:0", 5000);
        assertEquals(0, read(s, T0 + 100 * MS)[0]);
        assertEquals(1, s.anomalies());
    }

    @Test
    void rootOnlyCountersAreExplainedWithTheWaysToGrantReadAccess() {
        FakePowercap fake = new FakePowercap(tmp.resolve("powercap")).twoSockets();
        // Tests run as root, whom no file mode refuses: the reader refuses the way the kernel does for a user.
        SysfsReader denying = file -> {
            if (file.getFileName().toString().equals("energy_uj")) {
                throw new AccessDeniedException(file.toString());
            }
            return SysfsReader.FILES.read(file);
        };
        ProbeResult p = RaplPowerSource.probe(fake.root, denying);
        assertFalse(p.usable());
        assertTrue(p.problem().contains("energy_uj is readable only by root"), p.problem());
        assertTrue(p.problem().contains("Linux 5.10"), p.problem());
        assertTrue(p.found().stream().anyMatch(f -> f.contains("intel-rapl:0") && f.contains("'package-0'")
                && f.contains("permission denied")), p.found().toString());
        assertTrue(p.fixes().contains("until the next reboot: sudo chmod a+r " + fake.root + "/intel-rapl:*/energy_uj"),
                p.fixes().toString());
        assertTrue(p.fixes().stream().anyMatch(f -> f.contains("ACTION==\"add\", SUBSYSTEM==\"powercap\", "
                + "KERNEL==\"intel-rapl:*\", RUN+=\"/bin/chmod a+r /sys%p/energy_uj\"")), p.fixes().toString());
        assertTrue(p.fixes().stream().anyMatch(f -> f.contains("root")));

        // not asked for by name: still said, because the counters are there and one command unlocks them
        assertNull(RaplPowerSource.open(fake.root, log::add, false, denying, ZoneCounter.DEFAULT_MAX_WATTS));
        assertEquals(1, log.size(), log.toString());
        assertTrue(log.get(0).contains("readable only by root") && log.get(0).contains("sudo chmod a+r")
                && log.get(0).contains("ESTIMATED instead"), log.get(0));
    }

    @Test
    void zonesRefusedToThisUserAreLeftOutWhileTheReadableOnesAreUsed() {
        FakePowercap fake = new FakePowercap(tmp.resolve("powercap")).twoSockets();
        SysfsReader denyDram = file -> {
            if (file.toString().contains("intel-rapl:0:2") && file.getFileName().toString().equals("energy_uj")) {
                throw new AccessDeniedException(file.toString());
            }
            return SysfsReader.FILES.read(file);
        };
        RaplPowerSource s = RaplPowerSource.open(fake.root, log::add, false, denyDram, ZoneCounter.DEFAULT_MAX_WATTS);
        assertNotNull(s);
        Set<String> keys = s.domains().stream().map(Domain::key).collect(Collectors.toSet());
        assertFalse(keys.contains("dram:0"));
        assertTrue(keys.contains("package:0") && keys.contains("dram:1"));
        assertEquals(1, log.size());
        assertTrue(log.get(0).contains("left out"), log.get(0));
    }

    @Test
    void permissionLostMidRunIsOneAnomalyAndReadingResumesWhenItComesBack() {
        FakePowercap fake = new FakePowercap(tmp.resolve("powercap")).zone("intel-rapl:0", "package-0", RANGE, 0);
        AtomicBoolean deny = new AtomicBoolean();
        SysfsReader reader = file -> {
            if (deny.get() && file.getFileName().toString().equals("energy_uj")) {
                throw new AccessDeniedException(file.toString());
            }
            return SysfsReader.FILES.read(file);
        };
        RaplPowerSource s = RaplPowerSource.open(fake.root, log::add, true, reader, ZoneCounter.DEFAULT_MAX_WATTS);
        read(s, T0);
        deny.set(true);
        fake.set("intel-rapl:0", 2_000_000);
        assertEquals(0, read(s, T0 + 100 * MS)[0]);
        assertEquals(0, read(s, T0 + 200 * MS)[0]);
        deny.set(false);
        assertEquals(2_000_000_000L, read(s, T0 + 300 * MS)[0]);
        assertEquals(1, s.anomalies());
        assertEquals(1, log.size());
        assertTrue(log.get(0).contains("permission denied"), log.get(0));
    }

    @Test
    void anEnergyFileThatCannotBeReadAtAllMakesRaplUnusableWithTheReason() throws IOException {
        FakePowercap fake = new FakePowercap(tmp.resolve("powercap")).zone("intel-rapl:0", "package-0", RANGE, 0);
        Path energy = fake.root.resolve("intel-rapl:0/energy_uj");
        Files.delete(energy);
        Files.createDirectory(energy);
        ProbeResult p = RaplPowerSource.probe(fake.root);
        assertFalse(p.usable());
        assertTrue(p.problem().startsWith("no RAPL counter could be read: cannot read " + energy), p.problem());
        assertTrue(p.fixes().isEmpty(), "no permission fix for a file that is not a permission problem");
        assertNull(RaplPowerSource.open(fake.root, log::add, true));
        assertEquals(1, log.size());
        assertTrue(log.get(0).startsWith("RAPL not used: no RAPL counter could be read"), log.get(0));
    }

    @Test
    void noPowercapDirectoryIsQuietUnlessRaplWasAskedFor() {
        Path missing = tmp.resolve("nothing-here");
        ProbeResult p = RaplPowerSource.probe(missing);
        assertFalse(p.usable());
        assertTrue(p.problem().startsWith("no powercap directory at " + missing), p.problem());
        assertTrue(p.fixes().stream().anyMatch(f -> f.contains("modprobe intel_rapl_msr")), p.fixes().toString());
        assertNull(RaplPowerSource.open(missing, log::add, false));
        assertTrue(log.isEmpty(), log.toString());
        assertNull(RaplPowerSource.open(missing, log::add, true));
        assertEquals(1, log.size());
        assertTrue(log.get(0).contains("ESTIMATED instead"), log.get(0));
    }

    @Test
    void aPowercapTreeWithoutRaplZonesSaysWhatItHolds() throws IOException {
        Path root = tmp.resolve("powercap");
        Files.createDirectories(root.resolve("dtpm"));
        ProbeResult p = RaplPowerSource.probe(root);
        assertFalse(p.usable());
        assertEquals("no RAPL zones (intel-rapl:N) under " + root, p.problem());
        assertTrue(p.found().contains(root + " holds dtpm"), p.found().toString());
    }

    @Test
    void theSysfsLayoutWithSymlinksNestedZonesAndMmioCountsEachCounterOnce() throws IOException {
        // /sys/devices/virtual/powercap/intel-rapl/intel-rapl:0/intel-rapl:0:0, linked flat from /sys/class/powercap
        Path devices = tmp.resolve("devices/virtual/powercap");
        FakePowercap nested = new FakePowercap(devices.resolve("intel-rapl"))
                .zone("intel-rapl:0", "package-0", RANGE, 10)
                .zone("intel-rapl:0/intel-rapl:0:0", "core", RANGE, 20);
        new FakePowercap(devices.resolve("intel-rapl-mmio")).zone("intel-rapl-mmio:0", "package-0", RANGE, 10);
        Path cls = tmp.resolve("class/powercap");
        Files.createDirectories(cls);
        Files.createSymbolicLink(cls.resolve("intel-rapl"), devices.resolve("intel-rapl"));
        Files.createSymbolicLink(cls.resolve("intel-rapl:0"), nested.root.resolve("intel-rapl:0"));
        Files.createSymbolicLink(cls.resolve("intel-rapl:0:0"), nested.root.resolve("intel-rapl:0/intel-rapl:0:0"));
        Files.createSymbolicLink(cls.resolve("intel-rapl-mmio"), devices.resolve("intel-rapl-mmio"));
        Files.createSymbolicLink(cls.resolve("intel-rapl-mmio:0"), devices.resolve("intel-rapl-mmio/intel-rapl-mmio:0"));

        for (Path root : List.of(cls, devices)) {
            RaplPowerSource s = RaplPowerSource.open(root, log::add, true);
            assertNotNull(s, root.toString());
            assertEquals(List.of("package:0", "core:0"), s.domains().stream().map(Domain::key).toList(), root.toString());
        }
        ProbeResult p = RaplPowerSource.probe(cls);
        assertTrue(p.found().stream().anyMatch(f -> f.startsWith("intel-rapl-mmio:0: left out")), p.found().toString());
    }

    @Test
    void unknownNamesAndDuplicateDomainsAreLeftOutAndSaid() {
        FakePowercap fake = new FakePowercap(tmp.resolve("powercap"))
                .zone("intel-rapl:0", "package-0", RANGE, 0)
                .zone("intel-rapl:0:0", "gt", RANGE, 0)
                .zone("intel-rapl:0:1", "core", RANGE, 0)
                .zone("intel-rapl:0:2", "core", RANGE, 0);
        RaplPowerSource s = open(fake);
        assertEquals(List.of("package:0", "core:0"), s.domains().stream().map(Domain::key).toList());
        ProbeResult p = RaplPowerSource.probe(fake.root);
        assertTrue(p.found().stream().anyMatch(f -> f.contains("zone name 'gt' is not one of")), p.found().toString());
        assertTrue(p.found().stream().anyMatch(f -> f.contains("would be core:0 again (already intel-rapl:0:1)")),
                p.found().toString());
    }

    @Test
    void aCounterWithoutAKnownRangeNeverTakesAStepBackForAWrap() {
        FakePowercap fake = new FakePowercap(tmp.resolve("powercap")).zone("intel-rapl:0", "package-0", RANGE, 900);
        fake.setText("intel-rapl:0", "900\n");
        try {
            Files.writeString(fake.root.resolve("intel-rapl:0/max_energy_range_uj"), "?\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        RaplPowerSource s = open(fake);
        read(s, T0);
        fake.set("intel-rapl:0", 100);
        assertEquals(0, read(s, T0 + 100 * MS)[0]);
        assertEquals(1, s.anomalies());
        assertTrue(log.get(0).contains("wrap range is unknown"), log.toString());
    }
}

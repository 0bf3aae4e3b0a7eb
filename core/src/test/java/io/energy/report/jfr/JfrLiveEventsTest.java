package io.energy.report.jfr;

import io.energy.attribute.IntervalInput;
import io.energy.config.ConfigParser;
import io.energy.attribute.LedgerNode;
import io.energy.power.Domain;
import io.energy.bridge.EnergyBridge;
import io.energy.bridge.PathNode;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static io.energy.report.jfr.LedgerFixture.sum;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JfrLiveEventsTest {
    private static final double EPS = 1e-9;
    private static final String HASH_PATH = "com.acme.App.main > com.acme.Worker.work > com.acme.Worker.hash";

    @TempDir
    Path dir;
    private final List<String> logged = new ArrayList<>();
    private final List<Recording> recordings = new ArrayList<>();

    @AfterEach
    void closeRecordings() {
        for (Recording r : recordings) {
            r.close();
        }
    }

    private Recording energyRecording() throws Exception {
        Recording r = new Recording(JfrLiveEvents.settings());
        recordings.add(r);
        r.start();
        return r;
    }

    private List<RecordedEvent> stopAndRead(Recording r, String type) throws Exception {
        r.stop();
        Path f = dir.resolve("recording-" + recordings.indexOf(r) + ".jfr");
        r.dump(f);
        return read(f, type);
    }

    private static List<RecordedEvent> read(Path f, String type) throws Exception {
        List<RecordedEvent> out = new ArrayList<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(f)) {
            if (e.getEventType().getName().equals(type)) {
                out.add(e);
            }
        }
        return out;
    }

    private static List<RecordedEvent> withPath(List<RecordedEvent> events, String path) {
        return events.stream().filter(e -> path.equals(e.getString("path"))).toList();
    }

    @Test
    void aMethodWindowsTotalCountsACoreDomainOnceSinceItLiesInsidePackage() throws Exception {
        long ms = 1_000_000L;
        java.util.List<io.energy.power.Domain> domains = List.of(
                new io.energy.power.Domain(io.energy.power.Domain.PACKAGE, 0, false, ms, "test package"),
                new io.energy.power.Domain(io.energy.power.Domain.CORE, 0, false, ms, "test core"));
        io.energy.attribute.EnergyLedger ledger = new io.energy.attribute.EnergyLedger(domains,
                new io.energy.attribute.EnergyLedger.Options(false, false, new double[]{Double.NaN, Double.NaN}, 1000,
                        id -> false));
        io.energy.instrument.MethodRegistry registry = new io.energy.instrument.MethodRegistry();
        LedgerNode spin = ledger.child(ledger.root(), registry.register("com.acme.App", "spin", "()V"));
        // 100 ms, all of the machine's CPU this process's, all of it one thread in spin: 3 J of package, 2 J of
        // it in the cores.
        IntervalInput in = new IntervalInput(0, 100 * ms, new long[]{3_000_000_000L, 2_000_000_000L}, 100 * ms,
                100 * ms, 0, new double[]{Double.NaN, Double.NaN}, ms, List.of(new IntervalInput.ThreadSlice(100 * ms,
                0, 0, new LedgerNode[]{spin}, new int[]{10}, new int[]{10}, 1)));
        ledger.apply(in);
        JfrLiveEvents live = new JfrLiveEvents(1_000_000L, logged::add);
        Recording r = energyRecording();
        io.energy.power.PowerSource source = new io.energy.power.PowerSource() {
            @Override
            public String name() {
                return "replay";
            }

            @Override
            public List<io.energy.power.Domain> domains() {
                return domains;
            }

            @Override
            public void read(long nowNanos, long[] cumulativeNanoJoules) {
            }
        };
        live.interval(ledger, in, source);
        live.flush(ledger, registry, System.nanoTime());
        RecordedEvent e = withPath(stopAndRead(r, "energy.MethodEnergy"), "com.acme.App.spin").get(0);
        assertEquals(spin.selfNanoJoules[0] / 1e9, e.getDouble("packageEnergy"), EPS);
        assertEquals(spin.selfNanoJoules[1] / 1e9, e.getDouble("otherEnergy"), EPS);
        assertTrue(e.getDouble("otherEnergy") > 1.0, "the test needs core energy on the method");
        assertEquals(e.getDouble("packageEnergy"), e.getDouble("totalEnergy"), EPS, "core counted once, in package");
        assertEquals(2 * Math.sqrt(spin.selfVariance[0]) / 1e9, e.getDouble("uncertainty"), 1e-12,
                "the bound of the total: package's");
    }

    @Test
    void powerSamplesAndMethodEnergyWindowsFollowTheLedger() throws Exception {
        LedgerFixture fx = new LedgerFixture();
        JfrLiveEvents live = new JfrLiveEvents(1_000_000L, logged::add);
        Recording r = energyRecording();
        long t0 = System.nanoTime();
        IntervalInput in1 = fx.interval(0, 3_000_000_001L, 400_000_003L, 20_000_000_007L);
        live.interval(fx.ledger, in1, fx.source());
        fx.ledger.addCalls(fx.hashNode, 10);
        live.flush(fx.ledger, fx.registry, t0 + 1_000_000_000L);
        long hashAfter1 = sum(fx.hashNode.selfNanoJoules);
        double[] varianceAfter1 = fx.hashNode.selfVariance.clone();
        IntervalInput in2 = fx.interval(100, 2_500_000_000L, 350_000_000L, 0);
        live.interval(fx.ledger, in2, fx.source());
        fx.ledger.addCalls(fx.hashNode, 5);
        live.flush(fx.ledger, fx.registry, t0 + 2_000_000_000L);
        long hashAfter2 = sum(fx.hashNode.selfNanoJoules);
        double variance2 = 0; // what the second window added, per domain (nJ²), in quadrature
        for (int d = 0; d < 3; d++) {
            variance2 += fx.hashNode.selfVariance[d] - varianceAfter1[d];
        }

        List<RecordedEvent> power = stopAndRead(r, "energy.PowerSample");
        assertEquals(2 * 3, power.size(), "two intervals, three domains");
        double[] processByDomain = new double[3];
        for (RecordedEvent p : power) {
            int d = List.of("package:0", "dram:0", "gpu:0").indexOf(p.getString("domain"));
            processByDomain[d] += p.getDouble("processEnergy");
            assertEquals("replay", p.getString("source"));
            assertEquals(100_000_000L, p.getDuration("interval").toNanos());
            assertEquals(p.getDouble("measuredEnergy") / 0.1, p.getDouble("power"), 1e-6);
        }
        for (int d = 0; d < 3; d++) {
            long process = fx.fed[d] // what went in, not the ledger's own counter (issue 14)
                    - fx.ledger.bucketNode(LedgerNode.STATIC_IDLE).selfNanoJoules[d]
                    - fx.ledger.bucketNode(LedgerNode.OTHER_PROCESSES).selfNanoJoules[d];
            assertEquals(process / 1e9, processByDomain[d], EPS, "process energy of domain " + d);
        }

        List<RecordedEvent> windows = read(dir.resolve("recording-0.jfr"), "energy.MethodEnergy");
        List<RecordedEvent> hash = withPath(windows, HASH_PATH);
        assertEquals(2, hash.size(), "one event per window for a path that got energy in both");
        assertEquals(hashAfter1 / 1e9, hash.get(0).getDouble("totalEnergy"), EPS);
        assertEquals(10, hash.get(0).getLong("calls"));
        assertEquals((hashAfter2 - hashAfter1) / 1e9, hash.get(1).getDouble("totalEnergy"), EPS);
        assertEquals(5, hash.get(1).getLong("calls"));
        assertEquals(0.0, hash.get(1).getDouble("gpuEnergy"), "no GPU energy in the second interval");
        assertEquals(1_000_000_000L, hash.get(1).getDuration("window").toNanos());
        assertEquals("com.acme.Worker.hash", hash.get(0).getString("method"));
        assertTrue(hash.get(0).getDouble("uncertainty") > 0);
        assertEquals(2 * Math.sqrt(varianceAfter1[0] + varianceAfter1[1] + varianceAfter1[2]) / 1e9,
                hash.get(0).getDouble("uncertainty"), 1e-12, "two sigma of the window's variance, in joules");
        assertTrue(variance2 > 0, "the second window adds variance");
        assertEquals(2 * Math.sqrt(variance2) / 1e9, hash.get(1).getDouble("uncertainty"), 1e-12,
                "only the variance added since the last window");

        double total = 0;
        for (RecordedEvent e : windows) {
            total += e.getDouble("totalEnergy");
            assertFalse(e.getString("path").equals("(lost)"), "a path with nothing new in a window is not emitted");
        }
        assertEquals(fx.totalNanoJoules() / 1e9, total, EPS, "the windows add up to everything measured");
        assertTrue(logged.isEmpty(), logged.toString());
    }

    @Test
    void disabledEventsTrackNothingAndTheFirstEnabledWindowOnlyTakesABaseline() throws Exception {
        assertFalse(new MethodEnergyEvent().isEnabled(), "precondition: no recording wants energy events");
        LedgerFixture fx = new LedgerFixture();
        JfrLiveEvents live = new JfrLiveEvents(1_000_000L, logged::add);
        long t0 = System.nanoTime();
        live.interval(fx.ledger, fx.interval(0, 3_000_000_001L, 400_000_003L, 20_000_000_007L), fx.source());
        live.flush(fx.ledger, fx.registry, t0 + 1_000_000_000L);
        assertEquals(0, live.trackedPaths(), "nothing is tracked while the event is disabled");

        Recording r = energyRecording();
        live.flush(fx.ledger, fx.registry, t0 + 2_000_000_000L);
        assertTrue(live.trackedPaths() > 0, "the baseline is taken");
        long hashBefore = sum(fx.hashNode.selfNanoJoules);
        long staticBefore = fx.ledger.bucketNode(LedgerNode.STATIC_IDLE).selfNanoJoules[0];
        long othersBefore = fx.ledger.bucketNode(LedgerNode.OTHER_PROCESSES).selfNanoJoules[0];
        IntervalInput in = fx.interval(100, 2_500_000_000L, 350_000_000L, 0);
        live.interval(fx.ledger, in, fx.source());
        live.flush(fx.ledger, fx.registry, t0 + 3_000_000_000L);
        long hashAfter = sum(fx.hashNode.selfNanoJoules);

        List<RecordedEvent> hash = withPath(stopAndRead(r, "energy.MethodEnergy"), HASH_PATH);
        assertEquals(1, hash.size(), "the baseline window emits nothing");
        assertEquals((hashAfter - hashBefore) / 1e9, hash.get(0).getDouble("totalEnergy"), EPS);

        List<RecordedEvent> power = read(dir.resolve("recording-0.jfr"), "energy.PowerSample");
        RecordedEvent pkg = power.stream().filter(p -> p.getString("domain").equals("package:0")).findFirst().orElseThrow();
        long process = in.nanoJoules()[0]
                - (fx.ledger.bucketNode(LedgerNode.STATIC_IDLE).selfNanoJoules[0] - staticBefore)
                - (fx.ledger.bucketNode(LedgerNode.OTHER_PROCESSES).selfNanoJoules[0] - othersBefore);
        assertEquals(process / 1e9, pkg.getDouble("processEnergy"), EPS,
                "the process part is right even though the previous interval was not recorded");
    }

    @Test
    void aLongCallIsCommittedOnTheCallingThreadUnderItsCallersStack() throws Exception {
        LedgerFixture fx = new LedgerFixture().run();
        JfrLiveEvents live = new JfrLiveEvents(2_000_000L, logged::add);
        Recording r = energyRecording();
        try {
            EnergyBridge.start(64, 1000, 1, live.longCalls(fx.registry));
            callThatRunsThreeTicks(fx);
        } finally {
            EnergyBridge.stop();
        }
        List<RecordedEvent> calls = stopAndRead(r, "energy.MethodCall");
        assertEquals(1, calls.size());
        RecordedEvent call = calls.get(0);
        assertEquals("com.acme.Worker.hash", call.getString("method"));
        assertEquals(6_000_000L, call.getDuration("callDuration").toNanos(), "3 ticks of 2 ms");
        assertEquals(Thread.currentThread().getName(), call.getThread().getJavaName());
        double expected = sum(fx.hashNode.selfNanoJoules) / 1e9 * 6_000_000.0 / fx.hashNode.wallNanos;
        assertEquals(expected, call.getDouble("estimatedEnergy"), 1e-12);

        List<String> frames = new ArrayList<>();
        for (RecordedFrame f : call.getStackTrace().getFrames()) {
            frames.add(f.getMethod().getType().getName() + "." + f.getMethod().getName());
        }
        int exit = frames.indexOf("io.energy.bridge.EnergyBridge.exit");
        assertTrue(exit >= 0, frames.toString());
        assertEquals(JfrLiveEventsTest.class.getName() + ".callThatRunsThreeTicks", frames.get(exit + 1));
        assertEquals(JfrLiveEventsTest.class.getName() + ".aLongCallIsCommittedOnTheCallingThreadUnderItsCallersStack",
                frames.get(exit + 2));
    }

    /** What inlined advice does around a call that spans three of the collector's ticks. */
    private static void callThatRunsThreeTicks(LedgerFixture fx) {
        PathNode previous = EnergyBridge.enter(fx.hash);
        assertNotNull(previous);
        PathNode[] children = previous.children();
        children[children.length - 1].ledgerNode = fx.hashNode;
        EnergyBridge.tick += 3;
        EnergyBridge.exit(previous);
    }

    @Test
    void theAgentsOwnRecordingIsWrittenAtCloseWithTheLastPartialWindow() throws Exception {
        LedgerFixture fx = new LedgerFixture();
        JfrLiveEvents live = new JfrLiveEvents(1_000_000L, logged::add);
        Path file = dir.resolve("out").resolve(JfrLiveEvents.LIVE_FILE);
        live.startRecording(file);
        assertNotNull(live.recording(), logged.toString());
        long t0 = System.nanoTime();
        live.interval(fx.ledger, fx.interval(0, 3_000_000_001L, 400_000_003L, 20_000_000_007L), fx.source());
        live.flush(fx.ledger, fx.registry, t0 + 1_000_000_000L);
        live.interval(fx.ledger, fx.interval(100, 2_500_000_000L, 350_000_000L, 0), fx.source());
        live.close();

        assertTrue(Files.exists(file));
        assertEquals(6, read(file, "energy.PowerSample").size());
        List<RecordedEvent> windows = read(file, "energy.MethodEnergy");
        assertEquals(2, withPath(windows, HASH_PATH).size(), "the window closed by close() is recorded");
        double total = windows.stream().mapToDouble(e -> e.getDouble("totalEnergy")).sum();
        assertEquals(fx.totalNanoJoules() / 1e9, total, EPS);
        assertTrue(logged.isEmpty(), logged.toString());
    }

    @Test
    void theAgentsOwnRecordingIsNamedEnergyKeptOnDiskAndDumpedIfTheJvmExitsFirst() {
        JfrLiveEvents live = new JfrLiveEvents(1_000_000L, logged::add);
        Path file = dir.resolve("own").resolve(JfrLiveEvents.LIVE_FILE);
        live.startRecording(file);
        try {
            Recording r = live.recording();
            assertNotNull(r, logged.toString());
            assertEquals("energy", r.getName(), "the name jcmd JFR.check shows");
            assertTrue(r.isToDisk());
            assertTrue(r.getDumpOnExit(), "written even when the JVM's shutdown beats the agent's");
            assertEquals(file, r.getDestination());
        } finally {
            live.close();
        }
        assertTrue(Files.exists(file));
    }

    @Test
    void aRecordingThatCannotBeStartedIsLoggedAndTheAgentGoesOnWithoutIt() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("taken"), "a file, not a directory");
        Path file = notADirectory.resolve(JfrLiveEvents.LIVE_FILE);
        JfrLiveEvents live = new JfrLiveEvents(1_000_000L, logged::add);
        live.startRecording(file);
        assertNull(live.recording());
        assertEquals(1, logged.size(), logged.toString());
        assertTrue(logged.get(0).startsWith("cannot record the energy JFR events into " + file.toAbsolutePath()
                + " ("), logged.get(0));
        live.close();
        assertEquals(1, logged.size(), "closing without a recording logs nothing more: " + logged);
    }

    @Test
    void createStartsTheAgentsRecordingInTheOutputDirectoryOnlyWhenJfrRecordIsSet() {
        Path out = dir.resolve("energy-out");
        JfrLiveEvents recorded = JfrLiveEvents.create(ConfigParser.parse("out=" + out + ",jfr.record=true",
                new Properties()), logged::add);
        try {
            assertNotNull(recorded.recording(), logged.toString());
            assertEquals(out.resolve(JfrLiveEvents.LIVE_FILE), recorded.recording().getDestination());
        } finally {
            recorded.close();
        }
        assertTrue(Files.exists(out.resolve(JfrLiveEvents.LIVE_FILE)));

        JfrLiveEvents plain = JfrLiveEvents.create(ConfigParser.parse("out=" + out, new Properties()), 2_000_000L,
                logged::add);
        assertNull(plain.recording(), "jfr.record is off by default");
        plain.close();
        assertTrue(logged.isEmpty(), logged.toString());
    }

    @Test
    void aLastWindowThatFailsAtCloseIsLoggedAndTheRecordingIsStillWritten() throws Exception {
        LedgerFixture fx = new LedgerFixture().run();
        JfrLiveEvents live = new JfrLiveEvents(1_000_000L, logged::add);
        assertFalse(new MethodEnergyEvent().isEnabled(), "precondition: no recording wants energy events");
        // A window while the event is off only remembers the ledger; without a registry, naming paths fails.
        live.flush(fx.ledger, null, System.nanoTime());
        Path file = dir.resolve("failing").resolve(JfrLiveEvents.LIVE_FILE);
        live.startRecording(file);
        live.close();
        assertEquals(1, logged.size(), logged.toString());
        assertTrue(logged.get(0).startsWith("could not emit the last energy.MethodEnergy window: "), logged.get(0));
        assertTrue(Files.exists(file), "the recording is written all the same");
    }

    @Test
    void aLongCallsEstimateIsUnknownWithoutALedgerNodeOrItsWallTimeAndProportionalOtherwise() {
        LedgerFixture fx = new LedgerFixture();
        LedgerNode n = fx.hashNode;
        n.selfNanoJoules[0] = 5_000_000_003L;
        n.selfNanoJoules[2] = 1_000_000_001L;
        assertTrue(Double.isNaN(JfrLiveEvents.LongCalls.estimate("not a ledger node", 6_000_000L, null)));
        assertTrue(Double.isNaN(JfrLiveEvents.LongCalls.estimate(null, 6_000_000L, null)));
        n.wallNanos = 0;
        assertTrue(Double.isNaN(JfrLiveEvents.LongCalls.estimate(n, 6_000_000L, null)), "no time yet: no power");
        n.wallNanos = -1;
        assertTrue(Double.isNaN(JfrLiveEvents.LongCalls.estimate(n, 6_000_000L, null)));
        n.wallNanos = 2_000_000L;
        assertEquals(6.000_000_004 * 3, JfrLiveEvents.LongCalls.estimate(n, 6_000_000L, null), 1e-9,
                "6 J in 2 ms of self time, for a 6 ms call");
    }

    @Test
    void theLongCallSinkLearnsWhichDomainsAddUpFromTheFirstInterval() {
        // The sink runs on application threads and is made before any interval: it must see the flags the collector
        // sets later, not a copy taken when it was made.
        LedgerFixture fx = new LedgerFixture().run();
        JfrLiveEvents live = new JfrLiveEvents(2_000_000L, logged::add);
        JfrLiveEvents.LongCalls sink = (JfrLiveEvents.LongCalls) live.longCalls(fx.registry);
        assertNull(sink.domainsInTotal(), "no interval yet: no domains named");
        live.interval(fx.ledger, fx.interval(0, 3_000_000_001L, 400_000_003L, 20_000_000_007L), fx.source());
        assertArrayEquals(new boolean[]{true, true, true}, sink.domainsInTotal(), "package, DRAM and GPU add up");
    }

    @Test
    void aLongCallsEstimateLeavesOutDomainsThatLieInsideOthers() {
        // RAPL's package (in a total), its core zone (inside the package) and DRAM (in a total): 3 J, 2 J and 1 J in
        // 2 ms of self time. Adding the core's 2 J would bill joules the package already holds.
        LedgerNode n = new LedgerFixture().hashNode;
        n.selfNanoJoules[0] = 3_000_000_000L;
        n.selfNanoJoules[1] = 2_000_000_000L;
        n.selfNanoJoules[2] = 1_000_000_000L;
        n.wallNanos = 2_000_000L;
        boolean[] inTotal = {Domain.inTotal(Domain.PACKAGE), Domain.inTotal(Domain.CORE), Domain.inTotal(Domain.DRAM)};
        assertEquals(4.0 * 3, JfrLiveEvents.LongCalls.estimate(n, 6_000_000L, inTotal), 1e-9,
                "package and DRAM, 4 J in 2 ms, for a 6 ms call");
        assertEquals(6.0 * 3, JfrLiveEvents.LongCalls.estimate(n, 6_000_000L, null), 1e-9,
                "before the first interval names the domains: all of them");
    }
}

package io.energy.report.jfr;

import io.energy.attribute.IntervalInput;
import io.energy.attribute.LedgerNode;
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

import static io.energy.report.jfr.LedgerFixture.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
        IntervalInput in2 = fx.interval(100, 2_500_000_000L, 350_000_000L, 0);
        live.interval(fx.ledger, in2, fx.source());
        fx.ledger.addCalls(fx.hashNode, 5);
        live.flush(fx.ledger, fx.registry, t0 + 2_000_000_000L);
        long hashAfter2 = sum(fx.hashNode.selfNanoJoules);

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
}

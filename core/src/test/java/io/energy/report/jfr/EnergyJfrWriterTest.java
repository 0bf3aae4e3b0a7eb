package io.energy.report.jfr;

import io.energy.report.EnergyProfile;
import jdk.jfr.EventType;
import jdk.jfr.ValueDescriptor;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmc.common.IMCFrame;
import org.openjdk.jmc.common.item.IAttribute;
import org.openjdk.jmc.common.item.IItemCollection;
import org.openjdk.jmc.common.item.IItemIterable;
import org.openjdk.jmc.common.unit.IQuantity;
import org.openjdk.jmc.common.unit.UnitLookup;
import org.openjdk.jmc.flightrecorder.JfrLoaderToolkit;
import org.openjdk.jmc.flightrecorder.internal.EventArray;
import org.openjdk.jmc.flightrecorder.internal.EventArrays;
import org.openjdk.jmc.flightrecorder.internal.FlightRecordingLoader;
import org.openjdk.jmc.flightrecorder.stacktrace.tree.Node;
import org.openjdk.jmc.flightrecorder.stacktrace.tree.StacktraceTreeModel;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnergyJfrWriterTest {
    private static final double EPS = 1e-9;

    @TempDir
    static Path dir;
    static LedgerFixture fixture;
    static EnergyProfile profile;
    static Path file;

    @BeforeAll
    static void writeRecording() throws Exception {
        fixture = new LedgerFixture().run();
        for (int d = 0; d < 3; d++) {
            assertEquals(0, fixture.ledger.conservationError(d), "the fixture's ledger conserves energy");
            assertEquals(fixture.fed[d], fixture.ledger.measuredNanoJoules(d), "the ledger took in what was fed");
        }
        profile = fixture.profile();
        file = dir.resolve("energy.jfr");
        try (OutputStream out = Files.newOutputStream(file)) {
            new EnergyJfrWriter().write(profile, out);
        }
    }

    private static List<RecordedEvent> events(String type) throws Exception {
        return JfrTestSupport.events(file, type);
    }

    private static double totalJoules() {
        return fixture.totalNanoJoules() / 1e9;
    }

    @Test
    void jdkParserSeesTheEventTypesUnderTheEnergyCategoryWithLabelledFields() throws Exception {
        Map<String, EventType> types = new HashMap<>();
        try (RecordingFile rf = new RecordingFile(file)) {
            for (EventType t : rf.readEventTypes()) {
                types.put(t.getName(), t);
            }
        }
        for (String name : List.of("energy.CallPathEnergy", "energy.DomainEnergy", "energy.PowerSample", "energy.Run")) {
            assertNotNull(types.get(name), name);
            assertEquals(List.of("Energy"), types.get(name).getCategoryNames(), name);
        }
        EventType callPath = types.get("energy.CallPathEnergy");
        assertEquals("Call Path Energy", callPath.getLabel());
        ValueDescriptor energy = callPath.getField("energy");
        assertEquals("double", energy.getTypeName());
        assertEquals("Energy (J)", energy.getLabel());
        assertEquals("jdk.types.StackTrace", callPath.getField("stackTrace").getTypeName());
        assertEquals("Package Energy (J)", callPath.getField("packageEnergy").getLabel());
        assertEquals("GPU Energy (J)", callPath.getField("gpuEnergy").getLabel());
        assertEquals("NANOSECONDS", callPath.getField("wallTime").getAnnotation(jdk.jfr.Timespan.class).value());
    }

    @Test
    void eachCallPathIsOneEventWhoseStackIsThePathInnermostFrameFirst() throws Exception {
        Map<String, RecordedEvent> byPath = new HashMap<>();
        for (RecordedEvent e : events("energy.CallPathEnergy")) {
            assertNull(byPath.put(pathOf(e), e), "one event per path");
        }
        RecordedEvent hash = byPath.get("com.acme.App.main > com.acme.Worker.work > com.acme.Worker.hash");
        assertNotNull(hash, byPath.keySet().toString());
        List<RecordedFrame> frames = hash.getStackTrace().getFrames();
        assertEquals(3, frames.size());
        assertEquals("hash", frames.get(0).getMethod().getName());
        assertEquals("([B)J", frames.get(0).getMethod().getDescriptor());
        assertEquals("com.acme.Worker", frames.get(0).getMethod().getType().getName());
        assertEquals("work", frames.get(1).getMethod().getName());
        assertEquals("main", frames.get(2).getMethod().getName());
        assertEquals("com.acme.App", frames.get(2).getMethod().getType().getName());
        assertEquals("com.acme.Worker.hash", hash.getString("method"));
        assertEquals(30, hash.getLong("calls"));
        assertEquals(fixture.hashNode.wallNanos, hash.getDuration("wallTime").toNanos());
        assertEquals(Instant.ofEpochMilli(1_700_000_000_000L), hash.getStartTime());
        // Only the hash path is in the GPU scope: all of the GPU's process energy is on it.
        assertEquals(fixture.hashNode.selfNanoJoules[2] / 1e9, hash.getDouble("gpuEnergy"), EPS);
        assertTrue(hash.getDouble("gpuEnergy") > 0);
        assertTrue(hash.getDouble("uncertainty") > 0);

        RecordedEvent idle = byPath.get("(static/idle)");
        assertNotNull(idle);
        List<RecordedFrame> idleFrames = idle.getStackTrace().getFrames();
        assertEquals(1, idleFrames.size());
        assertEquals("energy", idleFrames.get(0).getMethod().getType().getName());
        assertEquals("(static/idle)", idleFrames.get(0).getMethod().getName());
        assertTrue(idle.getDouble("packageEnergy") > 0, "idle power 2 W on the package domain");
    }

    /** The stack trace as a path, outermost first; bucket frames by their name alone. */
    static String pathOf(RecordedEvent e) {
        List<String> names = new ArrayList<>();
        for (RecordedFrame f : e.getStackTrace().getFrames()) {
            String cls = f.getMethod().getType().getName();
            names.add(0, cls.equals("energy") ? f.getMethod().getName() : cls + "." + f.getMethod().getName());
        }
        return String.join(" > ", names);
    }

    @Test
    void energyFieldsAddUpToTheLedgerTotalOverall() throws Exception {
        double total = 0;
        double[] columns = new double[4];
        for (RecordedEvent e : events("energy.CallPathEnergy")) {
            total += e.getDouble("energy");
            columns[0] += e.getDouble("packageEnergy");
            columns[1] += e.getDouble("dramEnergy");
            columns[2] += e.getDouble("gpuEnergy");
            columns[3] += e.getDouble("otherEnergy");
        }
        assertEquals(totalJoules(), total, EPS);
        assertEquals(fixture.fed[0] / 1e9, columns[0], EPS);
        assertEquals(fixture.fed[1] / 1e9, columns[1], EPS);
        assertEquals(fixture.fed[2] / 1e9, columns[2], EPS);
        assertEquals(0, columns[3]);
    }

    @Test
    void domainTimelineAndRunEventsCarryTheRunsTotals() throws Exception {
        List<RecordedEvent> domains = events("energy.DomainEnergy");
        assertEquals(3, domains.size());
        for (RecordedEvent d : domains) {
            double parts = d.getDouble("staticEnergy") + d.getDouble("otherProcessesEnergy") + d.getDouble("processEnergy");
            assertEquals(d.getDouble("measuredEnergy"), parts, EPS, d.getString("domain"));
        }
        List<RecordedEvent> power = events("energy.PowerSample");
        assertEquals(3 * 3, power.size(), "three intervals, three domains");
        double measured = 0;
        for (RecordedEvent p : power) {
            measured += p.getDouble("measuredEnergy");
            assertEquals(100, p.getDuration().toMillis());
        }
        assertEquals(totalJoules(), measured, 1e-6);
        RecordedEvent gpuFirst = power.stream().filter(p -> p.getString("domain").equals("gpu:0"))
                .min((a, b) -> a.getStartTime().compareTo(b.getStartTime())).orElseThrow();
        assertEquals(200.0, gpuFirst.getDouble("power"), 1e-6, "20 J in 0.1 s");
        List<RecordedEvent> run = events("energy.Run");
        assertEquals(1, run.size());
        assertEquals(totalJoules(), run.get(0).getDouble("measuredEnergy"), EPS);
        assertEquals("replay", run.get(0).getString("source"));
        assertEquals("a note", run.get(0).getString("notes"));
    }

    @Test
    void jmcSeesTheEnergyFieldAsANumberAndItsFlameGraphRootIsTheLedgerTotal() throws Exception {
        IItemCollection items = JfrLoaderToolkit.loadEvents(file.toFile());
        IAttribute<IQuantity> energy = null;
        int callPathTypes = 0;
        for (IItemIterable it : items) {
            if (!it.getType().getIdentifier().equals("energy.CallPathEnergy")) {
                continue;
            }
            callPathTypes++;
            assertEquals("Call Path Energy", it.getType().getName());
            for (IAttribute<?> a : it.getType().getAttributes()) {
                if (a.getName().equals("Energy (J)")) {
                    assertEquals("energy", a.getIdentifier());
                    // JMC's flame graph offers exactly the NUMBER and MEMORY attributes as weights.
                    assertSame(UnitLookup.NUMBER, a.getContentType());
                    @SuppressWarnings("unchecked")
                    IAttribute<IQuantity> q = (IAttribute<IQuantity>) a;
                    energy = q;
                }
            }
        }
        assertTrue(callPathTypes > 0);
        assertNotNull(energy, "JMC sees an attribute labelled Energy (J)");

        assertEquals(energy, JfrTestSupport.weightAttribute(items, "energy.CallPathEnergy", "Energy (J)"));
        // As JMC's flame graph view builds it: items having the attribute, grouped by method, weighted by it.
        StacktraceTreeModel model = JfrTestSupport.flameGraph(items, energy);
        Node root = model.getRoot();
        assertEquals(totalJoules(), JfrTestSupport.rootTotal(model), EPS, "the flame graph's width is the ledger's total");

        Node main = child(root, "com.acme.App", "main");
        double mainInclusive = 0;
        EnergyProfile.Node mainProfile = profile.root().children().stream()
                .filter(n -> n.name().equals("com.acme.App.main")).findFirst().orElseThrow();
        mainInclusive = mainProfile.inclusiveTotal() / 1e9;
        assertEquals(mainInclusive, main.getCumulativeWeight(), EPS);
        Node hash = child(child(main, "com.acme.Worker", "work"), "com.acme.Worker", "hash");
        long hashSelf = 0;
        for (long v : fixture.hashNode.selfNanoJoules) {
            hashSelf += v;
        }
        assertEquals(hashSelf / 1e9, hash.getCumulativeWeight(), EPS);
        Node uninstrumented = child(root, "energy", "(uninstrumented)");
        assertTrue(uninstrumented.getCumulativeWeight() > 0);
    }

    private static Node child(Node parent, String className, String method) {
        for (Node c : parent.getChildren()) {
            IMCFrame f = c.getFrame();
            if (f.getMethod().getMethodName().equals(method) && f.getMethod().getType().getFullName().equals(className)) {
                return c;
            }
        }
        throw new AssertionError("no frame " + className + "." + method + " under " + parent.getFrame());
    }

    @Test
    void jmcPutsTheEventTypesInTheEnergyFolderOfTheEventBrowser() throws Exception {
        EventArrays arrays;
        try (InputStream in = Files.newInputStream(file)) {
            arrays = FlightRecordingLoader.loadStream(in, false, false);
        }
        int seen = 0;
        for (EventArray a : arrays.getArrays()) {
            if (a.getType().getIdentifier().startsWith("energy.")) {
                assertArrayEquals(new String[]{"Energy"}, a.getTypeCategory(), a.getType().getIdentifier());
                seen++;
            }
        }
        assertTrue(seen >= 4, "CallPathEnergy, DomainEnergy, PowerSample, Run");
    }

    @Test
    void theJdksJfrToolSummarizesAndPrintsTheFile() throws Exception {
        Path jfr = Path.of(System.getProperty("java.home"), "bin", "jfr");
        String summary = JfrTestSupport.run(List.of(jfr.toString(), "summary", file.toString()), dir, 60);
        assertTrue(summary.contains("energy.CallPathEnergy"), summary);
        String print = JfrTestSupport.run(List.of(jfr.toString(), "print", "--events", "energy.CallPathEnergy",
                file.toString()), dir, 60);
        assertTrue(print.contains("com.acme.Worker.hash("), print);
        assertTrue(print.contains("energy.(uninstrumented)("), print);
        assertFalse(print.contains("Exception"), print);
    }
}

package io.energy.report.jfr;

import io.energy.report.EnergyProfile;
import io.energy.report.EnergyProfile.Kind;
import io.energy.report.EnergyProfile.Node;
import jdk.jfr.EventType;
import jdk.jfr.Timespan;
import jdk.jfr.Timestamp;
import jdk.jfr.ValueDescriptor;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmc.common.item.IItemCollection;
import org.openjdk.jmc.flightrecorder.JfrLoaderToolkit;
import org.openjdk.jmc.flightrecorder.stacktrace.tree.StacktraceTreeModel;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * energy.jfr field by field, from a profile made by hand so every figure is known: distinct, non-round
 * values, so a wrong unit, a dropped frame or a swapped field shows. Each test writes its own file (PIT
 * credits a shared {@code @BeforeAll} recording to one test only, so mutants of the writer went unnoticed).
 */
class EnergyJfrWriterFieldsTest {
    private static final double EPS = 1e-12;
    private static final long START_MILLIS = 1_712_345_678_901L;
    private static final long DURATION = 2_345_678_912L;
    private static final boolean[] IN_TOTAL = {true, true, true};

    @TempDir
    Path dir;

    private static final List<EnergyProfile.DomainTotal> DOMAINS = List.of(
            new EnergyProfile.DomainTotal("package:0", "package", 0, false, 61_035L, "rapl package",
                    7_123_456_789L, 1_234_567_891L, 2_345_678_901L, 3_543_209_997L),
            new EnergyProfile.DomainTotal("dram:0", "dram", 0, true, 15_259L, "rapl dram (estimated)",
                    1_357_913_579L, 246_802_468L, 333_333_337L, 777_777_774L),
            new EnergyProfile.DomainTotal("gpu:1", "gpu", 1, false, 33_333_333L, "nvml",
                    9_876_543_211L, 1_111_111_113L, 0L, 8_765_432_098L));

    private static final long[] HASH_NJ = {1_234_567_891L, 234_567_893L, 3_456_789_017L};

    private static Node method(String cls, String name, String desc, long calls, long wall, long cpu, long[] nj,
                               double[] bound, List<Node> children) {
        return new Node(cls.isEmpty() ? name : cls + "." + name, cls, name, desc, Kind.METHOD, calls, wall, cpu,
                nj, bound, children, IN_TOTAL);
    }

    private static Node bucket(String name, long[] nj) {
        return new Node(name, "", "", "", Kind.BUCKET, 0, 0, 0, nj, new double[3], List.of(), IN_TOTAL);
    }

    /**
     * all > App.main (calls only) > Worker.work (nothing of its own: no event) > Worker.hash (everything),
     * Sorter.sort (sampled: no descriptor; wall time only); App.main > App.io (energy only); a method the
     * registry did not know (no class: a bucket-like frame); the static/idle bucket.
     */
    private static Node tree(long[] rootNj, long rootCalls, long rootWall) {
        double[] none = new double[3];
        Node hash = method("com.acme.Worker", "hash", "([B)J", 30, 123_456_789L, 98_765_432L, HASH_NJ,
                new double[]{0.3, 0.4, 1.2}, List.of());
        Node sort = method("com.acme.util.Sorter", "sort", "", 0, 55_555_557L, 44_444_443L, new long[3], none,
                List.of());
        Node work = method("com.acme.Worker", "work", "()V", 0, 0, 0, new long[3], none, List.of(hash, sort));
        Node io = method("com.acme.App", "io", "()I", 0, 0, 0, new long[]{0, 98_765_431L, 0}, none, List.of());
        Node main = method("com.acme.App", "main", "([Ljava/lang/String;)V", 1, 0, 0, new long[3], none,
                List.of(work, io));
        Node unknown = method("", "(method 7)", "", 3, 0, 0, new long[3], none, List.of());
        Node idle = bucket("(static/idle)", new long[]{1_234_567_891L, 246_802_468L, 1_111_111_113L});
        return new Node("all", "", "", "", Kind.ROOT, rootCalls, rootWall, 0, rootNj, none,
                List.of(main, unknown, idle), IN_TOTAL);
    }

    private static final EnergyProfile.Health HEALTH = new EnergyProfile.Health(17, 23, 5, 3_141_592L, 2_718_281L,
            1_618_033_988L, 42, 7, 9);

    private static EnergyProfile profile(Node root) {
        List<EnergyProfile.TimelinePoint> timeline = List.of(
                new EnergyProfile.TimelinePoint(0.123_456_789, 0.456_789_123, new double[]{3.1, 0.7, 12.5},
                        new double[]{1.9, 0.3, 11.0}, "com.acme.Worker.hash"),
                new EnergyProfile.TimelinePoint(0.456_789_123, 1.5, new double[]{2.9, 0.6, 13.25},
                        new double[]{1.7, 0.2, 12.75}, "com.acme.App.io"));
        return new EnergyProfile(1, "1.2.3-test", START_MILLIS, DURATION, "rapl+nvml", true, DOMAINS, root,
                timeline, HEALTH, List.of("first note", "second note"));
    }

    private Path write(EnergyProfile p) throws Exception {
        Path file = dir.resolve("energy.jfr");
        try (OutputStream out = Files.newOutputStream(file)) {
            new EnergyJfrWriter().write(p, out);
        }
        return file;
    }

    private static Map<String, RecordedEvent> callPathsByPath(Path file) throws Exception {
        Map<String, RecordedEvent> byPath = new HashMap<>();
        for (RecordedEvent e : JfrTestSupport.events(file, "energy.CallPathEnergy")) {
            assertNull(byPath.put(EnergyJfrWriterTest.pathOf(e), e), "one event per path");
        }
        return byPath;
    }

    /** A frame as class.method descriptor [frame type]. */
    private static String frame(RecordedFrame f) {
        RecordedMethod m = f.getMethod();
        return m.getType().getName() + "." + m.getName() + m.getDescriptor() + " [" + f.getType() + "]";
    }

    private static List<String> frames(RecordedEvent e) {
        List<String> out = new ArrayList<>();
        for (RecordedFrame f : e.getStackTrace().getFrames()) {
            out.add(frame(f));
        }
        return out;
    }

    @Test
    void theOutputFileIsEnergyJfr() {
        assertEquals("energy.jfr", new EnergyJfrWriter().fileName());
    }

    @Test
    void callPathsWithEnergyCallsOrWallTimeAreEventsWithTheirFramesLeafFirstAndPathsWithNothingAreNot()
            throws Exception {
        Map<String, RecordedEvent> byPath = callPathsByPath(write(profile(tree(new long[3], 0, 0))));
        assertEquals(java.util.Set.of("com.acme.App.main",
                "com.acme.App.main > com.acme.Worker.work > com.acme.Worker.hash",
                "com.acme.App.main > com.acme.Worker.work > com.acme.util.Sorter.sort",
                "com.acme.App.main > com.acme.App.io", "(method 7)", "(static/idle)"), byPath.keySet(),
                "main (calls only), sort (wall only), io (energy only) are paths; work and the root are not");

        assertEquals(List.of(
                "com.acme.Worker.hash([B)J [Instrumented]",
                "com.acme.Worker.work()V [Instrumented]",
                "com.acme.App.main([Ljava/lang/String;)V [Instrumented]"),
                frames(byPath.get("com.acme.App.main > com.acme.Worker.work > com.acme.Worker.hash")));
        // A sampled frame names no overload: it gets the neutral descriptor.
        assertEquals(List.of(
                "com.acme.util.Sorter.sort()V [Sampled]",
                "com.acme.Worker.work()V [Instrumented]",
                "com.acme.App.main([Ljava/lang/String;)V [Instrumented]"),
                frames(byPath.get("com.acme.App.main > com.acme.Worker.work > com.acme.util.Sorter.sort")));
        // main is on three paths: one pooled method, the same frame on each.
        assertEquals(List.of("com.acme.App.io()I [Instrumented]",
                "com.acme.App.main([Ljava/lang/String;)V [Instrumented]"),
                frames(byPath.get("com.acme.App.main > com.acme.App.io")));
        assertEquals(List.of("com.acme.App.main([Ljava/lang/String;)V [Instrumented]"),
                frames(byPath.get("com.acme.App.main")));
        assertEquals(List.of("energy.(static/idle)()V [Energy bucket]"), frames(byPath.get("(static/idle)")));
        assertEquals(List.of("energy.(method 7)()V [Energy bucket]"), frames(byPath.get("(method 7)")),
                "a method without a class is a bucket frame, never an empty class name");
        RecordedMethod mainMethod = byPath.get("com.acme.App.main").getStackTrace().getFrames().get(0).getMethod();
        assertEquals("com.acme", mainMethod.getType().getString("package.name"));
        RecordedMethod idle = byPath.get("(static/idle)").getStackTrace().getFrames().get(0).getMethod();
        assertEquals("", idle.getType().getString("package.name"), "the bucket class has no package");
    }

    @Test
    void aCallPathEventCarriesItsJoulesPerColumnItsBoundInQuadratureItsCallsAndTimes() throws Exception {
        Path file = write(profile(tree(new long[3], 0, 0)));
        Map<String, RecordedEvent> byPath = callPathsByPath(file);
        RecordedEvent hash = byPath.get("com.acme.App.main > com.acme.Worker.work > com.acme.Worker.hash");
        assertEquals("com.acme.Worker.hash", hash.getString("method"));
        assertEquals((1_234_567_891L + 234_567_893L + 3_456_789_017L) / 1e9, hash.getDouble("energy"), EPS);
        assertEquals(1.234_567_891, hash.getDouble("packageEnergy"), EPS);
        assertEquals(0.234_567_893, hash.getDouble("dramEnergy"), EPS);
        assertEquals(3.456_789_017, hash.getDouble("gpuEnergy"), EPS);
        assertEquals(0.0, hash.getDouble("otherEnergy"));
        assertEquals(1.3, hash.getDouble("uncertainty"), EPS, "sqrt(0.3² + 0.4² + 1.2²)");
        assertEquals(30, hash.getLong("calls"));
        assertEquals(Duration.ofNanos(123_456_789L), hash.getDuration("wallTime"));
        assertEquals(Duration.ofNanos(98_765_432L), hash.getDuration("cpuTime"));
        assertTrue(hash.getBoolean("estimated"), "the profile is estimated");
        Instant start = Instant.ofEpochMilli(START_MILLIS);
        assertEquals(start, hash.getStartTime(), "tick 0 is the profile's start");
        assertEquals(Duration.ofNanos(DURATION), hash.getDuration(), "each path spans the run");

        RecordedEvent io = byPath.get("com.acme.App.main > com.acme.App.io");
        assertEquals(0.098_765_431, io.getDouble("energy"), EPS);
        assertEquals(0.098_765_431, io.getDouble("dramEnergy"), EPS);
        assertEquals(0.0, io.getDouble("packageEnergy"));
        RecordedEvent sort = byPath.get("com.acme.App.main > com.acme.Worker.work > com.acme.util.Sorter.sort");
        assertEquals(Duration.ofNanos(55_555_557L), sort.getDuration("wallTime"));
        assertEquals(Duration.ofNanos(44_444_443L), sort.getDuration("cpuTime"));
        assertEquals(0.0, sort.getDouble("energy"));
        assertEquals("(static/idle)", byPath.get("(static/idle)").getString("method"));
        assertEquals(0.246_802_468, byPath.get("(static/idle)").getDouble("dramEnergy"), EPS);
        assertEquals(6, byPath.size());
    }

    @Test
    void aRootWithEnergyOfItsOwnIsTheRootBucketFrameSoTheFlameGraphTotalKeepsIt() throws Exception {
        Path file = write(profile(tree(new long[]{11_111_111_117L, 0, 0}, 0, 0)));
        RecordedEvent root = callPathsByPath(file).get("(root)");
        assertNotNull(root);
        assertEquals(List.of("energy.(root)()V [Energy bucket]"), frames(root));
        assertEquals("(root)", root.getString("method"), "the root's method, not its node name 'all'");
        assertEquals(11.111_111_117, root.getDouble("energy"), EPS);
        assertEquals(11.111_111_117, root.getDouble("packageEnergy"), EPS);

        // JMC's flame graph weighted by Energy (J): the root bucket and every path, hash under work under main.
        IItemCollection items = JfrLoaderToolkit.loadEvents(file.toFile());
        StacktraceTreeModel model = JfrTestSupport.flameGraph(items,
                JfrTestSupport.weightAttribute(items, "energy.CallPathEnergy", "Energy (J)"));
        double expected = (11_111_111_117L + 1_234_567_891L + 234_567_893L + 3_456_789_017L + 98_765_431L
                + 1_234_567_891L + 246_802_468L + 1_111_111_113L) / 1e9;
        assertEquals(expected, JfrTestSupport.rootTotal(model), 1e-9);
    }

    @Test
    void aRootWithCallsOrWallTimeOnlyIsAPathToo() throws Exception {
        assertNotNull(callPathsByPath(write(profile(tree(new long[3], 2, 0)))).get("(root)"));
        assertNotNull(callPathsByPath(write(profile(tree(new long[3], 0, 5)))).get("(root)"));
    }

    @Test
    void energyInAContainedDomainGoesToTheOtherColumnButNotToThePathsEnergyOrTheRunsTotals() throws Exception {
        boolean[] inTotal = {true, false};
        Node leaf = new Node("com.acme.App.spin", "com.acme.App", "spin", "()V", Kind.METHOD, 1, 0, 0,
                new long[]{2_222_222_223L, 1_111_111_119L}, new double[]{0.3, 0.4}, List.of(), inTotal);
        Node root = new Node("all", "", "", "", Kind.ROOT, 0, 0, 0, new long[2], new double[2], List.of(leaf),
                inTotal);
        List<EnergyProfile.DomainTotal> domains = List.of(
                new EnergyProfile.DomainTotal("package:0", "package", 0, false, 61_035L, "rapl", 5_000_000_003L, 0,
                        0, 2_222_222_223L),
                new EnergyProfile.DomainTotal("core:0", "core", 0, false, 61_035L, "rapl", 3_000_000_007L, 0, 0,
                        1_111_111_119L));
        EnergyProfile p = new EnergyProfile(1, "t", START_MILLIS, DURATION, "rapl", false, domains, root,
                List.of(), HEALTH, List.of());
        Path file = write(p);
        RecordedEvent spin = callPathsByPath(file).get("com.acme.App.spin");
        assertEquals(2.222_222_223, spin.getDouble("packageEnergy"), EPS);
        assertEquals(1.111_111_119, spin.getDouble("otherEnergy"), EPS);
        assertEquals(0.0, spin.getDouble("gpuEnergy"));
        assertEquals(2.222_222_223, spin.getDouble("energy"), EPS, "core lies inside package: counted once");
        assertEquals(0.3, spin.getDouble("uncertainty"), EPS, "the bound of the energy field: package's alone");
        assertFalse(spin.getBoolean("estimated"));
        RecordedEvent run = JfrTestSupport.events(file, "energy.Run").get(0);
        assertEquals(5.000_000_003, run.getDouble("measuredEnergy"), EPS,
                "the run's total is package's, as energy-summary.json's (core was counted twice)");
        assertEquals(2.222_222_223, run.getDouble("processEnergy"), EPS);
    }

    @Test
    void eachDomainEventCarriesWhereItsEnergyWentInJoulesAndItsAveragePowerInWatts() throws Exception {
        List<RecordedEvent> domains = JfrTestSupport.events(write(profile(tree(new long[3], 0, 0))),
                "energy.DomainEnergy");
        assertEquals(3, domains.size());
        double seconds = DURATION / 1e9;
        for (int i = 0; i < 3; i++) {
            EnergyProfile.DomainTotal want = DOMAINS.get(i);
            RecordedEvent d = domains.stream().filter(e -> e.getString("domain").equals(want.key())).findFirst()
                    .orElseThrow();
            assertEquals(want.kind(), d.getString("kind"));
            assertEquals(want.device(), d.getInt("device"));
            assertEquals(want.estimated(), d.getBoolean("estimated"));
            assertEquals(want.origin(), d.getString("origin"));
            assertEquals(Duration.ofNanos(want.grainNanos()), d.getDuration("grain"));
            assertEquals(want.measured() / 1e9, d.getDouble("measuredEnergy"), EPS);
            assertEquals(want.staticIdle() / 1e9, d.getDouble("staticEnergy"), EPS);
            assertEquals(want.otherProcesses() / 1e9, d.getDouble("otherProcessesEnergy"), EPS);
            assertEquals(want.process() / 1e9, d.getDouble("processEnergy"), EPS);
            assertEquals(want.measured() / 1e9 / seconds, d.getDouble("averagePower"), EPS);
            assertEquals(Instant.ofEpochMilli(START_MILLIS), d.getStartTime());
            assertEquals(Duration.ofNanos(DURATION), d.getDuration());
        }
        RecordedEvent pkg = domains.stream().filter(e -> e.getString("domain").equals("package:0")).findFirst()
                .orElseThrow();
        assertEquals(3.036_842_235, pkg.getDouble("averagePower"), 1e-9, "7.123456789 J over 2.345678912 s");
    }

    @Test
    void eachTimelinePointIsOnePowerSamplePerDomainAtItsOwnTimeWithWattsAndJoules() throws Exception {
        List<RecordedEvent> power = JfrTestSupport.events(write(profile(tree(new long[3], 0, 0))),
                "energy.PowerSample");
        assertEquals(6, power.size());
        power.sort(Comparator.comparing(RecordedEvent::getStartTime)
                .thenComparing(e -> e.getString("domain")));
        Instant start = Instant.ofEpochMilli(START_MILLIS);
        long[] startNanos = {123_456_789L, 456_789_123L};
        long[] lengths = {333_332_334L, 1_043_210_877L};
        double[][] watts = {{3.1, 0.7, 12.5}, {2.9, 0.6, 13.25}};
        double[][] processWatts = {{1.9, 0.3, 11.0}, {1.7, 0.2, 12.75}};
        // Sorted by start, then by domain key: dram:0, gpu:1, package:0.
        int[] domainOrder = {1, 2, 0};
        for (int point = 0; point < 2; point++) {
            for (int k = 0; k < 3; k++) {
                RecordedEvent e = power.get(point * 3 + k);
                int d = domainOrder[k];
                EnergyProfile.DomainTotal want = DOMAINS.get(d);
                String what = want.key() + " @" + point;
                assertEquals(want.key(), e.getString("domain"), what);
                assertEquals(start.plusNanos(startNanos[point]), e.getStartTime(), what);
                assertEquals(Duration.ofNanos(lengths[point]), e.getDuration(), what);
                assertEquals(Duration.ofNanos(lengths[point]), e.getDuration("interval"), what);
                assertEquals("rapl+nvml", e.getString("source"), what);
                assertEquals(want.kind(), e.getString("kind"), what);
                assertEquals(want.device(), e.getInt("device"), what);
                assertEquals(want.estimated(), e.getBoolean("estimated"), what);
                assertEquals(Duration.ofNanos(want.grainNanos()), e.getDuration("grain"), what);
                assertEquals(watts[point][d], e.getDouble("power"), EPS, what);
                assertEquals(watts[point][d] * lengths[point] / 1e9, e.getDouble("measuredEnergy"), EPS, what);
                assertEquals(processWatts[point][d] * lengths[point] / 1e9, e.getDouble("processEnergy"), EPS,
                        what);
            }
        }
    }

    @Test
    void theRunEventCarriesTheRunsTotalsInJoulesItsTimesAndItsHealth() throws Exception {
        List<RecordedEvent> runs = JfrTestSupport.events(write(profile(tree(new long[3], 0, 0))), "energy.Run");
        assertEquals(1, runs.size());
        RecordedEvent run = runs.get(0);
        assertEquals("1.2.3-test", run.getString("agentVersion"));
        assertEquals(1, run.getInt("schemaVersion"));
        assertEquals("rapl+nvml", run.getString("source"));
        assertTrue(run.getBoolean("estimated"));
        assertEquals((7_123_456_789L + 1_357_913_579L + 9_876_543_211L) / 1e9, run.getDouble("measuredEnergy"), EPS);
        assertEquals((3_543_209_997L + 777_777_774L + 8_765_432_098L) / 1e9, run.getDouble("processEnergy"), EPS);
        assertEquals(Duration.ofNanos(DURATION), run.getDuration("measuredTime"));
        assertEquals(Duration.ofNanos(DURATION), run.getDuration());
        assertEquals(Instant.ofEpochMilli(START_MILLIS), run.getStartTime());
        assertEquals(42, run.getInt("instrumentedMethods"));
        assertEquals(7, run.getInt("threads"));
        assertEquals(9, run.getInt("pathNodes"));
        assertEquals(17, run.getLong("pathsOverCap"));
        assertEquals(23, run.getLong("callsBeyondDepth"));
        assertEquals(5, run.getLong("anomalies"));
        assertEquals(Duration.ofNanos(3_141_592L), run.getDuration("agentCpuTime"));
        assertEquals(Duration.ofNanos(2_718_281L), run.getDuration("sourceReadTime"));
        assertEquals(Duration.ofNanos(1_618_033_988L), run.getDuration("processCpuTime"));
        assertEquals("first note\nsecond note", run.getString("notes"));
    }

    @Test
    void theMetadataLabelsEveryFieldAndGivesTimesTheirUnits() throws Exception {
        Map<String, EventType> types = new HashMap<>();
        try (RecordingFile rf = new RecordingFile(write(profile(tree(new long[3], 0, 0))))) {
            for (EventType t : rf.readEventTypes()) {
                types.put(t.getName(), t);
            }
        }
        EventType callPath = types.get("energy.CallPathEnergy");
        assertEquals("Call Path Energy", callPath.getLabel());
        assertTrue(callPath.getDescription().startsWith("Energy of one call path over the whole run"));
        assertEquals(List.of("Energy"), callPath.getCategoryNames());
        assertLabelled(callPath, "energy", "Energy (J)", null);
        assertLabelled(callPath, "dramEnergy", "DRAM Energy (J)", null);
        assertLabelled(callPath, "otherEnergy", "Other Energy (J)", null);
        assertLabelled(callPath, "calls", "Calls", null);
        assertLabelled(callPath, "wallTime", "Wall Time", "NANOSECONDS");
        assertLabelled(callPath, "cpuTime", "CPU Time", "NANOSECONDS");
        assertLabelled(callPath, "duration", "Duration", "TICKS");
        assertEquals("TICKS", callPath.getField("startTime").getAnnotation(Timestamp.class).value());
        assertEquals("Self energy of the path, all domains, in joules", callPath.getField("energy").getDescription());

        EventType domain = types.get("energy.DomainEnergy");
        assertEquals("Domain Energy", domain.getLabel());
        assertLabelled(domain, "grain", "Counter Grain", "NANOSECONDS");
        assertLabelled(domain, "averagePower", "Average Power (W)", null);
        assertLabelled(domain, "staticEnergy", "Static/Idle Energy (J)", null);
        EventType power = types.get("energy.PowerSample");
        assertEquals("Power Sample", power.getLabel());
        assertLabelled(power, "interval", "Interval", "NANOSECONDS");
        assertLabelled(power, "processEnergy", "Process Energy (J)", null);
        EventType run = types.get("energy.Run");
        assertEquals("Energy Run", run.getLabel());
        assertEquals(List.of("Energy"), run.getCategoryNames());
        assertLabelled(run, "measuredTime", "Measured Time", "NANOSECONDS");
        assertLabelled(run, "pathNodes", "Call Paths", null);
        assertLabelled(run, "processEnergy", "Process Energy (J)", null);
    }

    private static void assertLabelled(EventType type, String field, String label, String timespanOrNull) {
        ValueDescriptor f = type.getField(field);
        assertNotNull(f, type.getName() + "." + field);
        assertEquals(label, f.getLabel(), field);
        Timespan unit = f.getAnnotation(Timespan.class);
        assertEquals(timespanOrNull, unit == null ? null : unit.value(), field);
    }
}

package io.energy.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.energy.api.Energy;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Measurement windows in a real JVM under the agent. The estimated model is given known inputs (0 W idle, 10 W
 * per busy CPU), so a window's true process energy is 10 W × the CPU time the process spent in it; the work's
 * CPU time is read by the app from the thread CPU clock, which the agent does not use.
 */
class WindowsIT {
    static final double WATTS_PER_CPU = 10.0;
    static final Pattern LINE = Pattern.compile("window (\\S+) available=(\\S+) J=(\\S+) bound=(\\S+) cpu=(\\d+) "
            + "pcpu=(-?\\d+) estimated=(\\S+) top=(\\S*) reason=(.*)");
    static Path dir;
    static ForkedJvm.Result run;
    static Map<String, String[]> windows = new HashMap<>();

    /**
     * @param truth        10 W × the work's own thread CPU time
     * @param processTruth 10 W × the whole process's CPU time over the window, from the OS (NaN if not measured):
     *                     the JIT, GC and agent threads are the process's too, and a window measures the process
     */
    record W(double joules, double bound, double truth, String top, double processTruth) {
    }

    @BeforeAll
    static void runApp() throws Exception {
        dir = Files.createTempDirectory("energy-windows-it");
        String apiJar = Path.of(Energy.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        run = ForkedJvm.run(dir, 120, ForkedJvm.java(null),
                ForkedJvm.agentArg("include=io.energy.it.apps.WindowApp,source=estimate,estimate.idle.watts=0,"
                        + "estimate.busy.watts=" + WATTS_PER_CPU + ",out=" + dir.resolve("out") + ",jfr.record=true"),
                "-cp", ForkedJvm.TEST_CLASSES + java.io.File.pathSeparator + apiJar, "io.energy.it.apps.WindowApp");
        assertEquals(0, run.exitCode(), run.stderr());
        for (String line : run.stdout().split("\n")) {
            Matcher m = LINE.matcher(line.trim());
            if (m.matches()) {
                windows.put(m.group(1), new String[] {m.group(2), m.group(3), m.group(4), m.group(5), m.group(7),
                        m.group(8), m.group(9), m.group(6)});
            }
        }
    }

    static W w(String label) {
        String[] f = windows.get(label);
        assertTrue(f != null, "no reading for " + label + " in\n" + run.stdout() + "\n" + run.stderr());
        assertEquals("true", f[0], label + " not available: " + f[6]);
        assertEquals("true", f[4], label + " must say it is estimated");
        long pcpu = Long.parseLong(f[7]);
        return new W(Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                WATTS_PER_CPU * Long.parseLong(f[3]) / 1e9, f[5], pcpu < 0 ? Double.NaN : WATTS_PER_CPU * pcpu / 1e9);
    }

    /**
     * The process also runs the agent's collector, GC and JIT threads: a few percent of CPU on top of the work.
     */
    static void assertNear(String label, W w) {
        double slack = w.bound() + 0.10 * w.truth() + 0.05;
        // Below: never less than the work's own CPU. Above: the work's CPU, or — where measured — the whole
        // process's CPU over the window (a C2 compile of the work right after warm-up runs on the other core).
        double upper = Double.isNaN(w.processTruth()) ? w.truth() : Math.max(w.truth(), w.processTruth());
        assertTrue(w.joules() >= w.truth() - slack && w.joules() <= upper + slack, String.format(
                "%s: window says %.3f J ±%.3f, the model's inputs say %.3f J (10 W × work CPU), %.3f J (10 W × process "
                        + "CPU)", label, w.joules(), w.bound(), w.truth(), w.processTruth()));
    }

    @Test
    void aWindowsJoulesAreTheModelsWattsTimesTheCpuTimeOfTheWorkInsideIt() {
        assertTrue(run.stdout().contains("available true reason=null"), run.stdout());
        for (int i = 0; i < 4; i++) {
            W w = w("spin" + i);
            assertTrue(w.truth() > 2.5, "the work must have run: " + w);
            assertNear("spin" + i, w);
            // finer than the whole interval grid: the bound is well under the window's energy
            assertTrue(w.bound() < 0.5 * w.joules(), "bound too wide to be useful: " + w);
        }
    }

    @Test
    void backToBackWindowsSharingIntervalsEachGetOnlyTheirOwnPart() {
        double sum = 0;
        double truth = 0;
        for (int i = 0; i < 5; i++) {
            W w = w("chain" + i);
            assertNear("chain" + i, w);
            sum += w.joules();
            truth += w.truth();
        }
        assertTrue(Math.abs(sum - truth) <= 0.1 * truth + 0.3, "chain total " + sum + " J vs " + truth + " J");
    }

    @Test
    void nestedWindowsAddUpToTheWindowAroundThem() {
        W outer = w("outer");
        assertNear("outer", outer);
        double inner = 0;
        double bounds = outer.bound();
        for (int i = 0; i < 3; i++) {
            W in = w("inner" + i);
            assertNear("inner" + i, in);
            inner += in.joules();
            bounds += in.bound();
        }
        assertTrue(Math.abs(outer.joules() - inner) <= bounds + 0.05 * outer.joules() + 0.05,
                "outer " + outer + " vs inner sum " + inner);
    }

    @Test
    void aWindowThatOnlySleepsCostsAlmostNothing() {
        W sleep = w("sleep");
        // The process is not quite idle (the agent's collector, the JIT finishing the work's compiles): what the
        // OS counted for the whole process over the window may land in it, and one step of the 10 ms process CPU
        // clock (0.1 J at 10 W). Spreading the neighbouring work in would cost joules, not tenths.
        double processJ = Double.isNaN(sleep.processTruth()) ? 0 : sleep.processTruth();
        assertTrue(sleep.joules() <= sleep.bound() + processJ + 0.15, "a 400 ms sleep cost " + sleep);
    }

    @Test
    void overlappingWindowsOnTwoThreadsAreIndependentAndTheWindowAroundBothSeesBoth() {
        W t0 = w("thread0");
        W t1 = w("thread1");
        W both = w("both");
        // each thread's window holds at least its own work (the other thread's overlap is process energy too)
        assertTrue(t0.joules() + t0.bound() >= 0.9 * t0.truth(), t0.toString());
        assertTrue(t1.joules() + t1.bound() >= 0.9 * t1.truth(), t1.toString());
        assertNear("both", both);
    }

    @Test
    void aGpuDomainsWindowEnergyFollowsWallTimeNotTheCpu(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        // A replayed trace: the GPU draws 100 W all along (cumulative joules every 10 ms for 120 s), the CPU 20 W.
        StringBuilder trace = new StringBuilder("time_s,package:0,gpu:0\n");
        for (int i = 0; i <= 12_000; i++) {
            double t = i / 100.0;
            trace.append(t).append(',').append(20 * t).append(',').append(100 * t).append('\n');
        }
        Path file = tmp.resolve("trace.csv");
        Files.writeString(file, trace);
        String apiJar = Path.of(Energy.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        ForkedJvm.Result r = ForkedJvm.run(tmp, 120, ForkedJvm.java(null),
                ForkedJvm.agentArg("include=io.energy.it.apps.WindowApp,source=replay,replay=" + file + ",out="
                        + tmp.resolve("out")),
                "-cp", ForkedJvm.TEST_CLASSES + java.io.File.pathSeparator + apiJar, "io.energy.it.apps.WindowApp",
                "gpu");
        assertEquals(0, r.exitCode(), r.stderr());
        Pattern p = Pattern.compile("domain (\\S+) gpu:0 J=(\\S+) bound=(\\S+) wall=(\\d+)");
        int seen = 0;
        for (String line : r.stdout().split("\n")) {
            Matcher m = p.matcher(line.trim());
            if (m.matches()) {
                seen++;
                double joules = Double.parseDouble(m.group(2));
                double truth = 100.0 * Long.parseLong(m.group(4)) / 1e9;
                // the sleeping window too: the GPU's energy is the GPU's power over the window's wall time
                assertEquals(truth, joules, 0.05 * truth + 1.0, line);
            }
        }
        assertEquals(2, seen, r.stdout() + r.stderr());
    }

    @Test
    void topMethodsNameTheMethodThatDidTheWork() {
        assertTrue(w("spin1").top().startsWith("io.energy.it.apps.WindowApp.spin"), w("spin1").top());
    }

    @Test
    void windowsAreListedInTheSummaryWithTheSameJoules() throws Exception {
        JsonNode s = new ObjectMapper().readTree(dir.resolve("out/energy-summary.json").toFile());
        Map<String, JsonNode> byLabel = new HashMap<>();
        for (JsonNode n : s.get("windows")) {
            byLabel.put(n.get("label").asText(), n);
        }
        for (String label : List.of("spin0", "outer", "sleep", "thread1", "both")) {
            JsonNode n = byLabel.get(label);
            assertTrue(n != null, label + " missing from " + s.get("windows"));
            assertEquals(w(label).joules(), n.get("processJ").asDouble(), 1e-6, label);
            assertEquals(w(label).bound(), n.get("boundJ").asDouble(), 1e-6, label);
            assertTrue(n.get("estimated").asBoolean());
            assertTrue(n.get("domains").has("package:0"));
        }
        assertEquals("worker-1", byLabel.get("thread1").get("thread").asText());
    }

    @Test
    void windowsAreJfrEventsWithTheirJoulesAndTheirOwnDuration() throws Exception {
        List<RecordedEvent> events = new ArrayList<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(dir.resolve("out/energy-live.jfr"))) {
            if (e.getEventType().getName().equals("energy.Window")) {
                events.add(e);
            }
        }
        assertFalse(events.isEmpty(), "no energy.Window events");
        RecordedEvent spin0 = events.stream().filter(e -> e.getString("label").equals("spin0")).findFirst()
                .orElseThrow();
        assertEquals(w("spin0").joules(), spin0.getDouble("energy"), 1e-6);
        assertEquals("Energy (J)", spin0.getEventType().getField("energy").getLabel());
        assertEquals("Energy", spin0.getEventType().getCategoryNames().get(0));
        // the event spans the window itself (begun and ended on the app's thread), not the wait for its reading
        long ms = spin0.getDuration().toMillis();
        assertTrue(ms >= 250, "energy.Window lasted " + ms + " ms for a window of 300 ms of CPU work");
        assertTrue(spin0.getBoolean("estimated"));
    }
}

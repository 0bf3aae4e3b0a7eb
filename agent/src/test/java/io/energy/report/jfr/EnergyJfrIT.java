package io.energy.report.jfr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sample app under the agent, recorded by the JVM's own flight recorder and by the agent's. */
class EnergyJfrIT {
    private static final String HASH = "io.energy.samples.CpuSample.hashBlocks";
    private static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

    @TempDir
    static Path dir;
    static Path agent;
    static Path samples;
    static Path jfc;

    @BeforeAll
    static void extractTheSettingsFile() throws Exception {
        agent = jar("energy.agent.jar");
        samples = jar("energy.samples.jar");
        jfc = dir.resolve("energy.jfc");
        String xml = JfrTestSupport.run(List.of(java(javaHome()), "-jar", agent.toString(), "jfc"), dir, 60, false);
        assertTrue(xml.startsWith("<?xml") && xml.strip().endsWith("</configuration>"), xml);
        Files.writeString(jfc, xml);
    }

    private static Path jar(String property) {
        String p = System.getProperty(property);
        assertNotNull(p, property + " is set by the failsafe configuration");
        Path path = Path.of(p);
        assertTrue(Files.isRegularFile(path), path + " exists (build sample-apps and agent first)");
        return path;
    }

    private static Path javaHome() {
        return Path.of(System.getProperty("java.home"));
    }

    private static String java(Path home) {
        return home.resolve("bin").resolve("java").toString();
    }

    private static String runSample(Path home, Path out, List<String> jvmOptions, String agentOptions) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(java(home));
        cmd.addAll(jvmOptions);
        cmd.add("-javaagent:" + agent + "=include=io.energy.samples.**,out=" + out + ",long.call=5ms" + agentOptions);
        // Seven seconds: live MethodEnergy windows carry method energy only after a harvest of the stack sampler, and
        // harvests are spaced by their cost, up to 5 s apart: a 2 s run once ended before its second harvest, with no
        // window on hashBlocks' paths (CI, 06:44; a cold first harvest set the next one seconds later, which
        // AsyncProfilerSampler.harvestGap now bounds by the run's age, but a loaded machine can still be slow).
        cmd.addAll(List.of("-jar", samples.toString(), "cpu", "7"));
        return JfrTestSupport.run(cmd, dir, 120);
    }

    @Test
    void theJvmsOwnRecordingWithEnergyJfcHoldsPowerMethodEnergyAndLongCallsWithTheApplicationsStack() throws Exception {
        Path out = dir.resolve("out-user");
        Path user = dir.resolve("user.jfr");
        runSample(javaHome(), out, List.of("-XX:StartFlightRecording:filename=" + user + ",settings=" + jfc), "");

        assertFalse(JfrTestSupport.events(user, "energy.PowerSample").isEmpty());
        List<RecordedEvent> windows = JfrTestSupport.events(user, "energy.MethodEnergy");
        // CPU energy follows samples of real stacks: hashBlocks' joules are on the paths through it (most of them
        // in the SHA-256 frames it calls), each window carrying the self energy of one path.
        assertTrue(windows.stream().anyMatch(e -> e.getString("path").contains(HASH) && e.getDouble("totalEnergy") > 0),
                "a MethodEnergy window gives joules to a path through hashBlocks");

        List<RecordedEvent> calls = JfrTestSupport.events(user, "energy.MethodCall");
        RecordedEvent call = calls.stream().filter(e -> e.getString("method").equals(HASH)).findFirst()
                .orElseThrow(() -> new AssertionError("no long call of hashBlocks among " + calls.size()));
        assertEquals("main", call.getThread().getJavaName());
        assertTrue(call.getDuration("callDuration").toMillis() >= 5);
        List<String> frames = new ArrayList<>();
        for (RecordedFrame f : call.getStackTrace().getFrames()) {
            frames.add(f.getMethod().getType().getName() + "." + f.getMethod().getName());
        }
        int exit = frames.indexOf("io.energy.bridge.EnergyBridge.exit");
        assertTrue(exit >= 0, frames.toString());
        assertEquals(List.of(HASH, "io.energy.samples.CpuSample.run", "io.energy.samples.Samples.run",
                "io.energy.samples.Samples.main"), frames.subList(exit + 1, exit + 5),
                "under the agent's frames: the application's own stack");

        checkAggregatedRecording(out);
    }

    /** energy.jfr of the same run: the JDK tool reads it, and JMC's flame graph total is the summary's. */
    private static void checkAggregatedRecording(Path out) throws Exception {
        Path energyJfr = out.resolve("energy.jfr");
        String summary = JfrTestSupport.run(List.of(javaHome().resolve("bin").resolve("jfr").toString(), "summary",
                energyJfr.toString()), dir, 60);
        assertTrue(summary.contains("energy.CallPathEnergy"), summary);

        JsonNode json = new ObjectMapper().readTree(out.resolve("energy-summary.json").toFile());
        double total = json.get("totals").get("measuredNanoJoules").asLong() / 1e9;
        assertTrue(total > 0);
        assertEquals(total, JfrTestSupport.jmcEnergyRootTotal(energyJfr), 1e-6,
                "JMC's energy flame graph adds up to energy-summary.json's total");

        RecordedEvent hash = JfrTestSupport.events(energyJfr, "energy.CallPathEnergy").stream()
                .filter(e -> e.getString("method").equals(HASH)).findFirst().orElseThrow();
        List<String> frames = new ArrayList<>();
        for (RecordedFrame f : hash.getStackTrace().getFrames()) {
            frames.add(f.getMethod().getType().getName() + "." + f.getMethod().getName());
        }
        assertEquals(List.of(HASH, "io.energy.samples.CpuSample.run", "io.energy.samples.Samples.run",
                "io.energy.samples.Samples.main"), frames, "the call path, innermost frame first");
    }

    @Test
    void withoutAFlightRecordingNoEventClassIsEverLoaded() throws Exception {
        Path out = dir.resolve("out-no-recording");
        String log = runSample(javaHome(), out, List.of("-Xlog:class+load=info"), "");
        assertTrue(log.contains("io.energy.report.jfr.JfrLiveEvents$LongCalls "), "the long-call sink was installed");
        for (String event : List.of("PowerSampleEvent", "MethodEnergyEvent", "MethodCallEvent")) {
            assertFalse(log.contains("io.energy.report.jfr." + event + " "), event + " stays unloaded");
        }
        assertTrue(Files.isRegularFile(out.resolve("energy.jfr")), "energy.jfr needs no flight recorder");
    }

    @Test
    void jfrRecordMakesTheAgentRecordItsOwnEventsIntoEnergyLiveJfr() throws Exception {
        List<Path> jdks = new ArrayList<>(List.of(javaHome()));
        // JDK 25 is part of the supported matrix: missing, it is a failure, not a silent skip (issue 14).
        assertTrue(Files.isExecutable(JDK25.resolve("bin").resolve("java")), "JDK 25 expected at " + JDK25
                + " (the README's JDK matrix; install temurin-25-jdk)");
        if (!JDK25.equals(javaHome())) {
            jdks.add(JDK25);
        }
        for (Path home : jdks) {
            Path out = dir.resolve("out-record-" + home.getFileName());
            runSample(home, out, List.of(), ",jfr.record=true");
            Path live = out.resolve(JfrLiveEvents.LIVE_FILE);
            assertTrue(Files.isRegularFile(live), live + " on " + home);
            assertFalse(JfrTestSupport.events(live, "energy.PowerSample").isEmpty(), home.toString());
            assertFalse(JfrTestSupport.events(live, "energy.MethodEnergy").isEmpty(), home.toString());
            assertTrue(JfrTestSupport.events(live, "energy.MethodCall").stream()
                    .anyMatch(e -> e.getString("method").equals(HASH)), home.toString());
            String summary = JfrTestSupport.run(List.of(home.resolve("bin").resolve("jfr").toString(), "summary",
                    out.resolve("energy.jfr").toString()), dir, 60);
            assertTrue(summary.contains("energy.CallPathEnergy"), summary);
        }
    }
}

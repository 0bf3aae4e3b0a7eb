package io.energy.command;

import io.energy.config.ConfigParser;
import io.energy.power.rapl.FakePowercap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertTrue;

class DoctorReportTest {
    @TempDir
    Path tmp;

    private static String doctor(String args) {
        return AgentCommandLine.doctorReport(ConfigParser.parse(args, new Properties()));
    }

    @Test
    void withNoRaplAndNoGpuTheReportSaysWhyAndThatTheEstimateIsUsed() throws IOException {
        Path root = tmp.resolve("powercap");
        Files.createDirectories(root);
        String r = doctor("rapl.root=" + root);
        assertTrue(r.startsWith("energy doctor: power sources on this machine\n"), r);
        assertTrue(r.contains("\nenergy doctor: stack samplers") && r.contains("\nasync-profiler\n")
                && r.contains("\njfr-cpu-time\n") && r.contains("\ncall-paths\n"), "the samplers are reported too: " + r);
        assertTrue(r.contains("\n[unusable] rapl\n    found: " + root + " holds nothing\n"
                + "    why:   no RAPL zones (intel-rapl:N) under " + root + "\n"
                + "    fix:   on bare-metal Linux with an Intel or AMD Zen CPU: sudo modprobe intel_rapl_msr\n"), r);
        assertTrue(r.contains("\n[unusable] nvml\n"), r);
        assertTrue(r.contains("\n[unusable] replay\n    found: no trace file given (replay=FILE)\n"), r);
        assertTrue(r.contains("\n[usable]   estimate\n    found: CPU-time model: 0.74 W idle, 3.50 W busy"), r);
        assertTrue(r.contains("\nwith these options the agent would use: estimate (CPU energy ESTIMATED from CPU time), "
                + "no GPU energy\n"), r);
    }

    @Test
    void withReadableRaplTheReportListsEveryZoneAndMeasuredCpuEnergy() {
        FakePowercap fake = new FakePowercap(tmp.resolve("powercap")).twoSockets();
        String r = doctor("rapl.root=" + fake.root);
        assertTrue(r.contains("\n[usable]   rapl\n"), r);
        assertTrue(r.contains("    found: intel-rapl:1    name 'psys'      -> psys:0,    energy_uj readable (5.000 J on the "
                + "counter), wraps at 262143.3 J\n"), r);
        assertTrue(r.contains("    found: intel-rapl:2:0  name 'dram'      -> dram:1,    energy_uj readable"), r);
        assertTrue(r.contains("would use: rapl (CPU energy measured)"), r);
    }

    @Test
    void aGivenReplayTraceIsCheckedAndWouldBeUsed() throws IOException {
        Path trace = tmp.resolve("t.csv");
        Files.writeString(trace, "time_s,package:0\n0,0\n1,50\n");
        String r = doctor("source=replay,replay=" + trace);
        assertTrue(r.contains("\n[usable]   replay\n    found: " + trace + ": 2 rows over 1.000 s"), r);
        assertTrue(r.contains("would use: replay of " + trace), r);
    }

    @Test
    void onThisMachineTheReportCoversEverySourceAndEndsWithTheChoice() {
        String r = doctor("");
        for (String source : new String[] {"rapl", "nvml", "replay", "estimate"}) {
            assertTrue(r.contains("\n[usable]   " + source + "\n") || r.contains("\n[unusable] " + source + "\n"),
                    source + " missing in\n" + r);
        }
        assertTrue(r.contains("\n[usable]   estimate\n"), r);
        assertTrue(r.contains("\nwith these options the agent would use: "), r);
        if (!Files.isDirectory(Path.of("/sys/class/powercap"))) {
            assertTrue(r.contains("why:   no powercap directory at /sys/class/powercap"), r);
        }
    }
}

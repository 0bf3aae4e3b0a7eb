package io.energy.power.nvml;

import io.energy.config.ConfigParser;
import io.energy.power.CompositePowerSource;
import io.energy.power.Domain;
import io.energy.power.PowerSource;
import io.energy.power.ProcStat;
import io.energy.power.rapl.FakePowercap;
import io.energy.power.select.SourceSelector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which sources the agent opens where a GPU answers, on the real NVML source over the gcc-built stand-in and the
 * real RAPL reader over a fake powercap tree: {@code auto} takes both, {@code source=rapl} leaves the GPU out,
 * {@code source=nvml} measures the GPU beside the estimated CPU package.
 */
class SourceSelectionWithNvmlTest {
    @TempDir
    Path dir;
    private final List<String> log = new ArrayList<>();

    private List<String> keys(PowerSource s) {
        List<String> keys = new ArrayList<>();
        for (Domain d : s.domains()) {
            keys.add(d.key() + (d.estimated() ? " (estimated)" : ""));
        }
        return keys;
    }

    private PowerSource select(String args) {
        return SourceSelector.select(ConfigParser.parse(args, new Properties()), new ProcStat(), log::add);
    }

    @Test
    void autoTakesRaplAndTheGpuRaplAloneLeavesTheGpuOutNvmlAloneIsBesideTheEstimate() throws Exception {
        FakePowercap fake = new FakePowercap(dir.resolve("powercap")).twoSockets();

        String lib = FakeNvml.script(dir, 0, "devices 1");
        try (PowerSource s = select("rapl.root=" + fake.root + ",nvml.library=" + lib)) {
            assertInstanceOf(CompositePowerSource.class, s);
            List<String> keys = keys(s);
            assertTrue(keys.contains("package:0") && keys.contains("gpu:0"), keys::toString);
        }
        assertEquals(0, FakeNvml.refcount(), "closing the source shuts NVML down");

        lib = FakeNvml.script(dir, 0, "devices 1");
        try (PowerSource s = select("source=rapl,rapl.root=" + fake.root + ",nvml.library=" + lib)) {
            List<String> keys = keys(s);
            assertTrue(keys.contains("package:0"), keys::toString);
            assertFalse(keys.stream().anyMatch(k -> k.startsWith("gpu:")), "source=rapl: no GPU: " + keys);
        }
        assertEquals(0, FakeNvml.refcount(), "NVML was not even initialised for source=rapl, or was shut down");

        lib = FakeNvml.script(dir, 0, "devices 1");
        try (PowerSource s = select("source=nvml,rapl.root=" + fake.root + ",nvml.library=" + lib)) {
            assertEquals(List.of("package:0 (estimated)", "gpu:0"), keys(s),
                    "source=nvml: the GPU measured, the CPU package from the model, RAPL not read");
        }
        assertEquals(0, FakeNvml.refcount());
        assertTrue(log.isEmpty(), log::toString);
    }
}

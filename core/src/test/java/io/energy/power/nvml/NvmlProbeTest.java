package io.energy.power.nvml;

import io.energy.power.ProbeResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the agent says, and does not do, when NVML is missing, broken or empty; and what doctor shows. */
class NvmlProbeTest {
    @TempDir
    Path dir;
    private final List<String> log = new ArrayList<>();

    private void assertOneLine(String... parts) {
        assertEquals(1, log.size(), () -> "expected one line, got " + log);
        for (String p : parts) {
            assertTrue(log.get(0).contains(p), () -> "'" + p + "' missing from: " + log.get(0));
        }
        assertFalse(log.get(0).contains("\n"), "one line");
    }

    @Test
    void anNvmlErrorAtInitIsOneClearLineAndNoSource() throws Exception {
        String lib = FakeNvml.script(dir, 0, "init_error 9");
        assertNull(NvmlProbe.open(lib, null, null, 0, log::add, false));
        assertOneLine("nvmlInit_v2 failed: Driver Not Loaded (9)", "carrying on without GPU");
        assertEquals(0, FakeNvml.refcount());

        ProbeResult r = NvmlProbe.probe(lib, null, null);
        assertFalse(r.usable());
        assertEquals("nvmlInit_v2 failed: Driver Not Loaded (9)", r.problem());
        assertTrue(r.fixes().get(0).contains("nvidia-smi"), r.fixes()::toString);
    }

    @Test
    void aMissingLibraryIsOneLineWhenAskedForAndSilentUnderAuto() {
        String name = "libnvidia-ml-not-installed-here.so.1";
        assertNull(NvmlProbe.open(name, null, null, 0, log::add, false));
        assertEquals(List.of(), log, "no NVIDIA driver is the common case: auto says nothing");

        assertNull(NvmlProbe.open(name, null, null, 0, log::add, true));
        assertOneLine("source=nvml:", name + " not found", "carrying on without GPU");

        ProbeResult r = NvmlProbe.probe(name, null, null);
        assertFalse(r.usable());
        assertTrue(r.problem().contains("not found"), r.problem());
        assertTrue(r.fixes().stream().anyMatch(f -> f.contains("install the NVIDIA driver")), r.fixes()::toString);
    }

    @Test
    void aLibraryPathThatDoesNotExistIsSaidPlainly() {
        String path = dir.resolve("nowhere/libnvidia-ml.so.1").toString();
        assertNull(NvmlProbe.open(path, null, null, 0, log::add, true));
        assertOneLine(path + " does not exist");
    }

    @Test
    void aLibraryThatIsNotNvmlIsOneLineEvenUnderAuto() {
        assertNull(NvmlProbe.open("libc.so.6", null, null, 0, log::add, false));
        assertOneLine("libc.so.6 has no nvmlInit_v2");
    }

    @Test
    void noDevicesIsOneLineAndNvmlIsShutDown() throws Exception {
        String lib = FakeNvml.script(dir, 0, "devices 0");
        assertNull(NvmlProbe.open(lib, null, null, 0, log::add, false));
        assertOneLine("NVML sees no GPU");
        assertEquals(0, FakeNvml.refcount());
    }

    @Test
    void cudaVisibleDevicesHidingEveryGpuIsOneLine() throws Exception {
        String lib = FakeNvml.script(dir, 0, "devices 2");
        assertNull(NvmlProbe.open(lib, "", null, 0, log::add, false));
        assertOneLine("no GPU is visible to CUDA here (CUDA_VISIBLE_DEVICES=)");
        assertEquals(0, FakeNvml.refcount());
    }

    @Test
    void aGpuWithNeitherCounterNorInstantPowerIsSkippedWithALine() throws Exception {
        String lib = FakeNvml.script(dir, 0, "devices 2", "fail nvmlDeviceGetTotalEnergyConsumption 4 1",
                "field_fail 1 4");
        try (NvmlPowerSource s = NvmlProbe.open(lib, null, null, 0, log::add, false)) {
            assertNotNull(s);
            assertEquals(1, s.domains().size());
            assertEquals("gpu:0", s.domains().get(0).key());
            assertOneLine("gpu:1", "Insufficient Permissions (4)", "not measured");
        }
    }

    @Test
    void doctorListsEachGpuWithWhatItCanRead() throws Exception {
        String lib = FakeNvml.script(dir, 0, "devices 2", "name 0 NVIDIA H100 80GB HBM3", "energy 0 0 150",
                "fail nvmlDeviceGetTotalEnergyConsumption 3 1", "instant 1 42.5");
        ProbeResult r = NvmlProbe.probe(lib, "1", null);
        assertEquals(0, FakeNvml.refcount(), "the probe shuts NVML down again");
        assertTrue(r.usable(), r::toString);
        String all = String.join("\n", r.found());
        assertTrue(all.contains("driver 999.99.99"), all);
        assertTrue(all.contains("NVML device 0: NVIDIA H100 80GB HBM3 (GPU-00000000-0000-0000-0000-000000000000) "
                + "not visible to CUDA here"), all);
        assertTrue(all.contains("NVML device 1: NVIDIA Fake GPU"), all);
        assertTrue(all.contains("is gpu:0; energy counter: no, Not Supported (3); instant power: 42.5 W"), all);
        assertTrue(all.contains("its energy will be integrated from instant power"), all);
        assertTrue(all.contains("nvmlDeviceGetPowerUsage") && all.contains("never used"), all);
        assertTrue(all.contains("CUDA_VISIBLE_DEVICES=1"), all);
    }

    @Test
    void doctorShowsTheCounterReadCostAndPolicy() throws Exception {
        String lib = FakeNvml.script(dir, 0, "energy 0 0 150");
        ProbeResult r = NvmlProbe.probe(lib, null, null);
        String all = String.join("\n", r.found());
        assertTrue(all.contains("energy counter: yes, one read took"), all);
        assertTrue(all.contains("instant power: 150.0 W"), all);
        assertTrue(all.contains("each energy counter every 100 ms"), all);
    }

    @Test
    void autoDoesNotLoadNvmlWhereNoNvidiaDriverIsInstalled() {
        assertFalse(NvmlProbe.worthLoading("libnvidia-ml.so.1", false, false), "auto, no driver: skip the 150 ms");
        assertTrue(NvmlProbe.worthLoading("libnvidia-ml.so.1", false, true));
        assertTrue(NvmlProbe.worthLoading("libnvidia-ml.so.1", true, false), "asked for: try, and say why not");
        assertTrue(NvmlProbe.worthLoading("/opt/nvidia/libnvidia-ml.so.1", false, false), "a library of one's own");
    }
}

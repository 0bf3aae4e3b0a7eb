package io.energy.power.nvml;

import io.energy.power.Domain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real JNA binding and source against the gcc-built stand-in, on the stand-in's scripted clock. */
class NvmlPowerSourceTest {
    private static final long MS = 1_000_000L;
    private static final long J = 1_000_000_000L;
    private static final String ENERGY = "nvmlDeviceGetTotalEnergyConsumption";

    @TempDir
    Path dir;
    private final List<String> log = new ArrayList<>();

    private NvmlPowerSource open(String visible, long periodNanos, String... script) throws Exception {
        String lib = FakeNvml.script(dir, 0, script);
        NvmlPowerSource s = NvmlProbe.open(lib, visible, null, periodNanos, log::add, true);
        assertNotNull(s, () -> "the source did not open: " + log);
        return s;
    }

    private static long[] readAt(NvmlPowerSource s, long ms) {
        FakeNvml.time(ms);
        long[] v = new long[s.domains().size()];
        s.read(ms * MS, v);
        return v;
    }

    /** Reads every 100 ms from 0 to {@code toMs}; returns device 0's values. */
    private static long[] readEvery100ms(NvmlPowerSource s, long toMs) {
        long[] out = new long[(int) (toMs / 100) + 1];
        for (int k = 0; k < out.length; k++) {
            out[k] = readAt(s, k * 100L)[0];
        }
        return out;
    }

    @Test
    void theEnergyCounterGivesScriptedWattsTimesTime() throws Exception {
        try (NvmlPowerSource s = open(null, 1000 * MS, "energy 0 5000 150", "name 0 NVIDIA H100 80GB HBM3",
                "uuid 0 GPU-8932f937-d72c-4106-c12f-20bd9faed9f6")) {
            Domain d = s.domains().get(0);
            assertEquals("gpu:0", d.key());
            assertEquals(false, d.estimated());
            assertEquals(100 * MS, d.grainNanos());
            assertEquals("NVML NVIDIA H100 80GB HBM3 (GPU-8932f937)", d.origin());
            long[] v = readEvery100ms(s, 10_000);
            assertEquals(1500 * J, v[100], J / 1000, "150 W for 10 s");
            assertEquals(750 * J, v[50], J / 1000);
            assertEquals(0, s.anomalies());
        }
    }

    @Test
    void theCounterIsReadOnlyAsOftenAsThePeriodAndInstantPowerFillsIn() throws Exception {
        try (NvmlPowerSource s = open(null, 1000 * MS, "energy 0 0 100", "phase 0 500 400 400")) {
            long before = FakeNvml.calls(ENERGY);
            long[] v = readEvery100ms(s, 2000);
            assertEquals(3, FakeNvml.calls(ENERGY) - before, "counter read at 0 s, 1 s and 2 s; 21 reads in all");
            assertEquals(120 * J, v[9] - v[6], J / 1000, "0.6 s to 0.9 s at 400 W, with no counter read between");
            assertEquals(30 * J, v[4] - v[1], J / 1000, "0.1 s to 0.4 s at 100 W");
            assertEquals((50 + 600) * J, v[20], J / 1000);
        }
    }

    @Test
    void extrapolationThatOvershootsHoldsAndNeverGoesBackwards() throws Exception {
        try (NvmlPowerSource s = open(null, 1000 * MS, "energy 0 0 100", "instant 0 300")) {
            long[] v = readEvery100ms(s, 10_000);
            for (int i = 1; i < v.length; i++) {
                assertTrue(v[i] >= v[i - 1], "went back at " + i * 100 + " ms");
            }
            assertTrue(s.holds(0) >= 1, "the counter was found behind the extrapolation at least once");
            assertEquals(1000 * J, v[100], J / 1000, "and the counter's total wins in the end");
        }
    }

    @Test
    void aCounterThatStepsBackIsAnAnomalyNotNegativeEnergy() throws Exception {
        try (NvmlPowerSource s = open(null, 1000 * MS, "energy 0 900000 100", "jump 0 3000 -800000")) {
            long[] v = readEvery100ms(s, 6000);
            for (int i = 1; i < v.length; i++) {
                assertTrue(v[i] >= v[i - 1], "went back at " + i * 100 + " ms");
            }
            assertTrue(s.anomalies() >= 1);
            assertEquals(600 * J, v[60], J / 1000, "the backward step is replaced by instant power");
        }
    }

    @Test
    void cudaVisibleDevicesChoosesAndRenumbersTheGpus() throws Exception {
        try (NvmlPowerSource s = open("2,GPU-00000000-0000-0000-0000-000000000001", 1000 * MS,
                "name 0 Card A", "name 1 Card B", "name 2 Card C",
                "energy 0 0 100", "energy 1 0 200", "energy 2 0 300")) {
            assertEquals(2, s.domains().size());
            assertEquals("gpu:0", s.domains().get(0).key());
            assertTrue(s.domains().get(0).origin().contains("Card C"), s.domains().get(0).origin());
            assertEquals("gpu:1", s.domains().get(1).key());
            assertTrue(s.domains().get(1).origin().contains("Card B"), s.domains().get(1).origin());
            long[] v = null;
            for (long t = 0; t <= 2000; t += 100) {
                v = readAt(s, t);
            }
            assertEquals(600 * J, v[0], J / 1000);
            assertEquals(400 * J, v[1], J / 1000);
        }
    }

    @Test
    void withoutAnEnergyCounterInstantPowerIsIntegratedAndTheOriginSaysSo() throws Exception {
        try (NvmlPowerSource s = open(null, 0, "energy 0 0 120", "fail " + ENERGY + " 3")) {
            String origin = s.domains().get(0).origin();
            assertTrue(origin.contains("instant power integrated") && origin.contains("Not Supported (3)"), origin);
            long before = FakeNvml.calls(ENERGY);
            long[] v = readEvery100ms(s, 2000);
            assertEquals(240 * J, v[20], J / 1000);
            assertEquals(before, FakeNvml.calls(ENERGY), "an unsupported counter is not asked again");
        }
    }

    @Test
    void aCounterThatStartsFailingIsAbandonedForInstantPowerWithOneLine() throws Exception {
        try (NvmlPowerSource s = open(null, 1000 * MS, "energy 0 0 100", "fail " + ENERGY + " 15 -1 2500")) {
            long[] v = readEvery100ms(s, 8000);
            assertEquals(800 * J, v[80], J / 1000, "instant power carried the energy on");
            assertEquals(1, log.size(), log::toString);
            assertTrue(log.get(0).contains("GPU is lost (15)") && log.get(0).contains("integrating instant power"),
                    log.get(0));
            assertTrue(s.anomalies() >= 3, "each failed read is counted");
        }
    }

    @Test
    void aFailingInstantFieldFallsBackToTheCountersLastRate() throws Exception {
        try (NvmlPowerSource s = open(null, 1000 * MS, "energy 0 0 100", "field_fail 0 3")) {
            long[] v = readEvery100ms(s, 3000);
            assertEquals(300 * J, v[30], J / 1000);
            assertEquals(150 * J, v[15], J / 1000, "1 s of counter, then its 100 W rate extrapolated");
        }
    }

    @Test
    void aSlowCounterReadIsReportedAndReadLessOften() throws Exception {
        try (NvmlPowerSource s = open(null, 0, "energy 0 0 100", "slow " + ENERGY + " 30")) {
            assertEquals(NvmlPowerSource.MAX_COUNTER_PERIOD_NANOS, s.lastCounterPeriodNanos(),
                    "30 ms per read is read no more than every 2 s");
            readAt(s, 0);
            long first = s.readCostNanos();
            assertTrue(first >= 30 * MS, "the first read included a counter read: " + first / 1e6 + " ms");
            for (long t = 100; t < 2000; t += 100) {
                readAt(s, t);
            }
            assertTrue(s.readCostNanos() - first < 30 * MS,
                    "19 reads of instant power cost less than one counter read: " + (s.readCostNanos() - first) / 1e6);
            readAt(s, 2000);
            assertTrue(s.readCostNanos() - first >= 30 * MS, "the counter was read again at 2 s");
        }
    }

    @Test
    void aCheapCounterIsReadAtItsOwnUpdateRate() throws Exception {
        try (NvmlPowerSource s = open(null, 0, "energy 0 0 100")) {
            for (long t = 0; t <= 5000; t += 100) {
                readAt(s, t);
            }
            assertEquals(NvmlPowerSource.COUNTER_UPDATE_NANOS, s.lastCounterPeriodNanos());
        }
    }

    @Test
    void processShareComesFromTheScriptedProcessList() throws Exception {
        try (NvmlPowerSource s = open(null, 1000 * MS, "devices 3", "process 0 0 60", "process 0 4242 20",
                "process 1 0 50")) {
            readAt(s, 0);
            assertEquals(0.75, s.processShare(0), 1e-9, "60 of 80 SM-utilisation points are ours");
            assertEquals(1.0, s.processShare(1), "alone on the GPU");
            assertEquals(io.energy.power.PowerSource.DEVICE_IDLE, s.processShare(2), "nobody on the GPU: idle");
        }
    }

    @Test
    void closeShutsNvmlDownOnce() throws Exception {
        long before = FakeNvml.calls("nvmlShutdown");
        NvmlPowerSource s = open(null, 0, "energy 0 0 100");
        assertEquals(1, FakeNvml.refcount());
        s.close();
        s.close();
        assertEquals(0, FakeNvml.refcount());
        assertEquals(before + 1, FakeNvml.calls("nvmlShutdown"));
    }

    @Test
    void theStructLayoutsMatchWhatACCompilerMakesOfThem() {
        long[] c = new long[14];
        int n = FakeNvml.control().fake_nvml_layout(c, c.length);
        assertEquals(14, n);
        long[] java = {Nvml.FV_SIZE, Nvml.FV_FIELD_ID, Nvml.FV_SCOPE_ID, Nvml.FV_TIMESTAMP, Nvml.FV_LATENCY,
                Nvml.FV_VALUE_TYPE, Nvml.FV_RETURN, Nvml.FV_VALUE, Nvml.PI_SIZE, Nvml.PI_PID, Nvml.PU_SIZE, Nvml.PU_PID,
                Nvml.PU_TIMESTAMP, Nvml.PU_SM_UTIL};
        assertEquals(java.length, c.length);
        for (int i = 0; i < c.length; i++) {
            assertEquals(c[i], java[i], "layout entry " + i);
        }
    }
}

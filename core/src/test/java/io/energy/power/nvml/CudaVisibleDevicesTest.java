package io.energy.power.nvml;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CudaVisibleDevicesTest {
    private static final List<String> UUIDS = List.of(
            "GPU-8932f937-d72c-4106-c12f-20bd9faed9f6",
            "GPU-1a2b3c4d-0000-1111-2222-333344445555",
            "GPU-1a2bffff-9999-8888-7777-666655554444",
            "GPU-deadbeef-0000-0000-0000-000000000000");
    private static final List<String> SAME = List.of("H100", "H100", "H100", "H100");

    private static List<CudaVisibleDevices.Visible> visible(String env) {
        return CudaVisibleDevices.select(env, null, UUIDS, SAME).visible();
    }

    private static CudaVisibleDevices.Visible v(int nvml, int cuda) {
        return new CudaVisibleDevices.Visible(nvml, cuda);
    }

    @Test
    void unsetMeansEveryGpuInNvmlOrder() {
        CudaVisibleDevices.Selection s = CudaVisibleDevices.select(null, null, UUIDS, SAME);
        assertEquals(List.of(v(0, 0), v(1, 1), v(2, 2), v(3, 3)), s.visible());
        assertNull(s.note());
    }

    @Test
    void indicesAreRenumberedInTheOrderListed() {
        assertEquals(List.of(v(2, 0), v(0, 1)), visible("2,0"));
        assertEquals(List.of(v(3, 0)), visible(" 3 "));
    }

    @Test
    void uuidsAndUniquePrefixesSelectThatGpu() {
        assertEquals(List.of(v(3, 0), v(0, 1)), visible("GPU-deadbeef-0000-0000-0000-000000000000,GPU-8932f937"));
        assertEquals(List.of(v(1, 0)), visible("gpu-1A2B3C4D"));
    }

    @Test
    void anAmbiguousUuidPrefixEndsTheListWithANote() {
        CudaVisibleDevices.Selection s = CudaVisibleDevices.select("0,GPU-1a2b", null, UUIDS, SAME);
        assertEquals(List.of(v(0, 0)), s.visible());
        assertTrue(s.note().contains("'GPU-1a2b' matches more than one GPU UUID"), s.note());
    }

    @Test
    void theFirstInvalidEntryHidesItselfAndEverythingAfter() {
        CudaVisibleDevices.Selection s = CudaVisibleDevices.select("1,7,0", null, UUIDS, SAME);
        assertEquals(List.of(v(1, 0)), s.visible());
        assertTrue(s.note().contains("'7'") && s.note().contains("every entry after it"), s.note());
        assertEquals(List.of(), visible("-1"));
        assertEquals(List.of(v(0, 0)), visible("0,abc,1"));
        assertEquals(List.of(v(0, 0)), visible("0,,1"));
        assertEquals(List.of(), visible("GPU-00000000"));
    }

    @Test
    void aRepeatedGpuIsNotCountedTwice() {
        CudaVisibleDevices.Selection s = CudaVisibleDevices.select("1,GPU-1a2b3c4d,2", null, UUIDS, SAME);
        assertEquals(List.of(v(1, 0)), s.visible());
        assertTrue(s.note().contains("already listed"), s.note());
    }

    @Test
    void emptyHidesEveryGpu() {
        CudaVisibleDevices.Selection s = CudaVisibleDevices.select("", null, UUIDS, SAME);
        assertEquals(List.of(), s.visible());
        assertTrue(s.note().contains("empty"), s.note());
    }

    @Test
    void migInstancesKeepTheirCudaNumberButAreNotMeasured() {
        CudaVisibleDevices.Selection s = CudaVisibleDevices.select("MIG-5c5a3f1e-aaaa-bbbb-cccc-000000000000,2", null,
                UUIDS, SAME);
        assertEquals(List.of(v(2, 1)), s.visible());
        assertTrue(s.note().contains("MIG"), s.note());
    }

    @Test
    void mixedModelsWarnThatCudaMayNumberThemDifferentlyUnlessPciOrder() {
        List<String> mixed = List.of("H100", "A10", "H100", "H100");
        assertTrue(CudaVisibleDevices.select("1,0", null, UUIDS, mixed).note().contains("CUDA_DEVICE_ORDER"));
        assertTrue(CudaVisibleDevices.select(null, "FASTEST_FIRST", UUIDS, mixed).note().contains("CUDA_DEVICE_ORDER"));
        assertNull(CudaVisibleDevices.select("1,0", "PCI_BUS_ID", UUIDS, mixed).note());
        assertNull(CudaVisibleDevices.select("GPU-deadbeef", null, UUIDS, mixed).note(), "a single UUID is exact");
    }
}

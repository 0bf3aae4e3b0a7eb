package io.energy.power.nvml;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessShareTest {
    private static final long SELF = 4711;

    @Test
    void aloneOnTheGpuMeansAllOfIt() {
        assertEquals(1.0, ProcessShare.of(SELF, new long[]{SELF}, null, true));
        assertEquals(1.0, ProcessShare.of(SELF, new long[]{SELF}, null, false));
    }

    @Test
    void sharedGpuSplitsBySmUtilisation() {
        long[] running = {SELF, 99, 100};
        long[] util = {SELF, 60, 99, 20, 100, 0, SELF, 0};
        assertEquals(0.75, ProcessShare.of(SELF, running, util, true), 1e-12);
    }

    @Test
    void sharedGpuWithoutUtilisationIsUnknown() {
        assertTrue(Double.isNaN(ProcessShare.of(SELF, new long[]{SELF, 99}, null, true)));
        assertTrue(Double.isNaN(ProcessShare.of(SELF, new long[]{SELF, 99}, new long[0], true)));
    }

    @Test
    void notOnTheListMeansNoneOfItOnlyWhenPidsAreComparable() {
        assertEquals(0.0, ProcessShare.of(SELF, new long[]{99}, null, true));
        assertTrue(Double.isNaN(ProcessShare.of(SELF, new long[]{99}, null, false)),
                "in a container NVML's PIDs are the host's: not finding ours proves nothing");
    }

    @Test
    void nobodyOnTheGpuMeansTheDeviceIsIdle() {
        assertEquals(io.energy.power.PowerSource.DEVICE_IDLE, ProcessShare.of(SELF, new long[0], null, true));
        assertEquals(io.energy.power.PowerSource.DEVICE_IDLE, ProcessShare.of(SELF, new long[0], null, false),
                "an empty list is empty in any PID namespace");
    }

    @Test
    void withoutAProcessListUtilisationStillSplits() {
        assertEquals(0.5, ProcessShare.of(SELF, null, new long[]{SELF, 30, 99, 30}, true), 1e-12);
        assertTrue(Double.isNaN(ProcessShare.of(SELF, null, null, true)));
        assertTrue(Double.isNaN(ProcessShare.of(SELF, null, new long[]{99, 30}, false)));
    }

    @Test
    void theInitialPidNamespaceHasOneNsPid() {
        assertTrue(ProcessShare.inInitialPidNamespace(List.of("Name:\tjava", "NSpid:\t4711", "NStgid:\t4711")));
        assertFalse(ProcessShare.inInitialPidNamespace(List.of("NSpid:\t81234\t17")));
        assertTrue(ProcessShare.inInitialPidNamespace(List.of("Name:\tjava")), "old kernels have no NSpid line");
    }
}

package io.energy.power.nvml;

import io.energy.attribute.EnergyLedger;
import io.energy.attribute.IntervalInput;
import io.energy.attribute.LedgerNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Issue 14, "a CPU-only service on a GPU host puts GPU idle energy on waiting methods": the real NVML source
 * (the gcc-built stand-in, on its scripted clock) feeds the real ledger as the collector does, every 100 ms,
 * while one instrumented method of the service waits (wall samples, never a running one). Where the GPU's
 * energy goes must be a named bucket whenever the process has nothing running on the GPU, whatever
 * {@code gpu.scope} says.
 */
class GpuIdleAttributionTest {
    private static final long MS = 1_000_000L;
    private static final int ACCEPT = 7;
    private static final int NEVER_RUNS = 8;

    @TempDir
    Path dir;
    private final List<String> log = new ArrayList<>();

    /** Runs 2 s at 100 ms intervals; returns {ledger, the waiting method's node}. */
    private Object[] run(IntPredicate gpuScope, String... script) throws Exception {
        String lib = FakeNvml.script(dir, 0, script);
        try (NvmlPowerSource s = NvmlProbe.open(lib, null, null, 100 * MS, log::add, true)) {
            assertNotNull(s, () -> "the source did not open: " + log);
            EnergyLedger ledger = new EnergyLedger(s.domains(), new EnergyLedger.Options(false, false,
                    new double[]{s.idleWatts(0)}, 1000, gpuScope));
            LedgerNode accept = ledger.child(ledger.root(), ACCEPT);
            long[] last = new long[1];
            FakeNvml.time(0);
            s.read(0, last);
            for (long t = 100; t <= 2000; t += 100) {
                FakeNvml.time(t);
                long[] now = new long[1];
                s.read(t * MS, now);
                // The service's one thread sits in accept() the whole interval: 10 wall samples, 0 running.
                IntervalInput.ThreadSlice waiting = new IntervalInput.ThreadSlice(0, 0, 0, new LedgerNode[]{accept},
                        new int[]{0}, new int[]{10}, 1);
                ledger.apply(new IntervalInput((t - 100) * MS, t * MS, new long[]{now[0] - last[0]}, 2 * MS, 50 * MS,
                        0, new double[]{s.processShare(0)}, 10 * MS, List.of(waiting)));
                last = now;
            }
            return new Object[]{ledger, accept};
        }
    }

    private static long bucket(EnergyLedger l, int id) {
        return l.bucketNode(id).selfNanoJoules[0];
    }

    @Test
    void anIdleGpuThatNoProcessUsesGoesToStaticIdleNotToTheMethodThatWaits() throws Exception {
        // A GPU host at 70 W idle, no compute process on it; the service has no gpu.scope (every method is in it).
        Object[] r = run(id -> true, "energy 0 0 70");
        EnergyLedger l = (EnergyLedger) r[0];
        LedgerNode accept = (LedgerNode) r[1];
        long measured = l.measuredNanoJoules(0);
        assertEquals(140.0, measured / 1e9, 0.5, "70 W for 2 s");
        assertEquals(0, accept.selfNanoJoules[0], "a method that only waits used none of the GPU's energy");
        assertEquals(measured, bucket(l, LedgerNode.STATIC_IDLE), "nobody holds a GPU context: it is all idle");
        assertEquals(0, l.conservationError(0));
    }

    @Test
    void aGpuOthersUseGoesToOtherProcesses() throws Exception {
        Object[] r = run(id -> true, "energy 0 0 250", "process 0 4242 90");
        EnergyLedger l = (EnergyLedger) r[0];
        assertEquals(0, ((LedgerNode) r[1]).selfNanoJoules[0]);
        assertEquals(l.measuredNanoJoules(0), bucket(l, LedgerNode.OTHER_PROCESSES));
    }

    @Test
    void aScopeNamingMethodsThatNeverRunSendsTheProcesssGpuEnergyToGpuOutsideScope() throws Exception {
        // This process holds a context, so the energy is its own; the scope names a method that never runs.
        Object[] r = run(id -> id == NEVER_RUNS, "energy 0 0 250", "process 0 0 90");
        EnergyLedger l = (EnergyLedger) r[0];
        assertEquals(0, ((LedgerNode) r[1]).selfNanoJoules[0]);
        assertEquals(l.measuredNanoJoules(0), bucket(l, LedgerNode.GPU_UNSCOPED));
    }
}

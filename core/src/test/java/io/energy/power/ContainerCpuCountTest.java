package io.energy.power;

import io.energy.attribute.EnergyLedger;
import io.energy.attribute.IntervalInput;
import io.energy.attribute.LedgerNode;
import io.energy.power.estimate.EstimatedPowerSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14, "in a container, idle uses the cgroup's CPU count while busy time is the host's": a container's
 * {@code /proc/stat} is the host's, while the JVM's CPU count ({@code availableProcessors}) is the container's
 * limit (cgroup {@code cpu.max}, cpuset). The real {@link ProcStat} reads a fake host's {@code /proc/stat} with
 * more CPUs than this JVM may use (so this JVM stands for the container), and the real estimate and ledger
 * must describe one machine: idle power and busy time over the same CPUs, the process's share and the idle
 * split over the same CPUs.
 */
class ContainerCpuCountTest {
    private static final long S = 1_000_000_000L;
    private static final double IDLE = 1.0;
    private static final double BUSY = 4.0;
    /** The host: six CPUs more than this JVM may use. */
    private static final int HOST = Runtime.getRuntime().availableProcessors() + 6;

    @TempDir
    Path proc;

    /** The host's /proc/stat: every CPU with the same busy and idle jiffies (user and idle columns). */
    private void writeStat(long busyJiffiesPerCpu, long idleJiffiesPerCpu) throws Exception {
        FakeProcStat.write(proc.resolve("stat"), HOST, busyJiffiesPerCpu, idleJiffiesPerCpu);
    }

    @Test
    void theEstimateCountsTheCpusOfTheFileItReadsBusyTimeFrom() throws Exception {
        writeStat(1000, 1000);
        ProcStat stat = new ProcStat(proc.resolve("stat"), 0);
        assertEquals(HOST, stat.machineCpus(), "the cpuN lines of the host's /proc/stat");
        EstimatedPowerSource e = new EstimatedPowerSource(stat, IDLE, BUSY);
        assertEquals(IDLE * HOST, e.idleWatts(0), "idle power of the CPUs whose busy time is counted");
        assertTrue(e.domains().get(0).origin().contains("x " + HOST + " CPUs (this JVM may use "
                + Runtime.getRuntime().availableProcessors()), e.domains().get(0).origin());
        long[] j = new long[1];
        e.read(0, j);
        // One second with every CPU of the host busy: a machine of HOST CPUs draws BUSY W on each.
        writeStat(1000 + 100, 1000);
        Thread.sleep(2); // past ProcStat's 1 ms sharing of reads
        e.read(S, j);
        assertEquals(BUSY * HOST, j[0] / 1e9, 1e-6, "all busy: busy W x the machine's CPUs");
        // One second with every CPU idle: idle W on each.
        writeStat(1000 + 100, 1000 + 100);
        Thread.sleep(2);
        e.read(2 * S, j);
        assertEquals(BUSY * HOST + IDLE * HOST, j[0] / 1e9, 1e-6, "all idle: idle W x the machine's CPUs");
    }

    @Test
    void theProcesssShareAndTheIdleSplitCountTheSameCpus() throws Exception {
        writeStat(1000, 1000);
        ProcStat stat = new ProcStat(proc.resolve("stat"), 0);
        EstimatedPowerSource e = new EstimatedPowerSource(stat, IDLE, BUSY);
        EnergyLedger l = new EnergyLedger(e.domains(), new EnergyLedger.Options(false, false,
                new double[]{e.idleWatts(0)}, 1000, id -> false));
        long[] j0 = new long[1];
        e.read(0, j0);
        long busy0 = stat.machineBusyNanos();
        // One second: the host's CPUs half busy (others' containers); this process used 0.5 CPU-seconds of it.
        writeStat(1000 + 50, 1000 + 50);
        Thread.sleep(2);
        long[] j1 = new long[1];
        e.read(S, j1);
        long hostBusy = stat.machineBusyNanos() - busy0;
        assertEquals(HOST * S / 2, hostBusy);
        l.apply(new IntervalInput(0, S, new long[]{j1[0] - j0[0]}, S / 2, hostBusy, 0, new double[]{Double.NaN},
                10_000_000L, List.of()));
        double idleJ = l.bucketNode(LedgerNode.STATIC_IDLE).selfNanoJoules[0] / 1e9;
        double processJ = l.bucketNode(LedgerNode.UNINSTRUMENTED).selfNanoJoules[0] / 1e9;
        double othersJ = l.bucketNode(LedgerNode.OTHER_PROCESSES).selfNanoJoules[0] / 1e9;
        assertEquals(IDLE * HOST, idleJ, 1e-6, "the idle power of every CPU the busy time was counted over");
        assertEquals((BUSY - IDLE) * 0.5, processJ, 1e-6, "the process: (busy - idle) W x its 0.5 CPU-seconds");
        assertEquals((BUSY - IDLE) * (HOST / 2.0 - 0.5), othersJ, 1e-6, "the others: the rest of the busy time");
        assertEquals(0, l.conservationError(0));
    }
}

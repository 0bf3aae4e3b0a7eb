package io.energy.power;

import io.energy.attribute.EnergyLedger;
import io.energy.attribute.IntervalInput;
import io.energy.attribute.LedgerNode;
import io.energy.power.rapl.FakePowercap;
import io.energy.power.rapl.RaplPowerSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14, "per-socket package domains are split by the machine-wide share": the real RAPL source on a fake
 * powercap tree of two packages, the real {@link SocketShares} on a fake {@code /proc} (per-CPU {@code stat}
 * lines, this process's threads' {@code stat} with their CPU time and the CPU they last ran on) and a fake
 * {@code /sys/devices/system/cpu} (CPUs 0-1 on socket 0, 2-3 on socket 1), and the real ledger.
 */
class SocketSharesTest {
    private static final long S = 1_000_000_000L;
    private static final long UJ_PER_J = 1_000_000L;

    @TempDir
    Path dir;
    private final List<String> log = new ArrayList<>();
    private FakePowercap cap;
    private Path proc;
    private Path cpuRoot;
    /** Busy jiffies per CPU so far. */
    private final long[] busy = new long[4];
    private final long[] taskJiffies = new long[2];
    private final int[] taskCpu = new int[2];

    private RaplPowerSource twoPackages() throws Exception {
        cap = new FakePowercap(dir.resolve("powercap"));
        cap.zone("intel-rapl:0", "package-0", FakePowercap.INTEL_RANGE_UJ, 0);
        cap.zone("intel-rapl:0:0", "dram", FakePowercap.INTEL_RANGE_UJ, 0);
        cap.zone("intel-rapl:1", "package-1", FakePowercap.INTEL_RANGE_UJ, 0);
        cap.zone("intel-rapl:2", "psys", FakePowercap.INTEL_RANGE_UJ, 0);
        proc = dir.resolve("proc");
        cpuRoot = dir.resolve("cpu");
        for (int c = 0; c < 4; c++) {
            Path id = cpuRoot.resolve("cpu" + c).resolve("topology").resolve("physical_package_id");
            Files.createDirectories(id.getParent());
            Files.writeString(id, (c < 2 ? 0 : 1) + "\n");
        }
        writeProc();
        RaplPowerSource s = RaplPowerSource.open(cap.root, log::add, true);
        assertNotNull(s, () -> "the fake tree did not open: " + log);
        return s;
    }

    private void writeProc() throws Exception {
        StringBuilder sb = new StringBuilder("cpu  " + Arrays.stream(busy).sum() + " 0 0 99999 0 0 0 0 0 0\n");
        for (int c = 0; c < busy.length; c++) {
            sb.append("cpu").append(c).append(' ').append(busy[c]).append(" 0 0 99999 0 0 0 0 0 0\n");
        }
        Files.createDirectories(proc);
        Files.writeString(proc.resolve("stat"), sb.toString());
        for (int t = 0; t < taskJiffies.length; t++) {
            Path f = proc.resolve("self/task/" + (101 + t) + "/stat");
            Files.createDirectories(f.getParent());
            // fields: pid (comm) state ppid ... utime(14) stime(15) ... processor(39); a comm with a space and a ')'
            StringBuilder line = new StringBuilder((101 + t) + " (pool) worker) S 1");
            for (int field = 5; field <= 52; field++) {
                long v = field == 14 ? taskJiffies[t] * 3 / 4 : field == 15 ? taskJiffies[t] - taskJiffies[t] * 3 / 4
                        : field == 39 ? taskCpu[t] : 0;
                line.append(' ').append(v);
            }
            Files.writeString(f, line + "\n");
        }
    }

    /** One second: package joules, then each CPU's busy jiffies and each thread's CPU jiffies and CPU it ran on. */
    private IntervalInput second(RaplPowerSource s, SocketShares shares, long t, long[] energyLast, double pkg0, double dram0,
                                 double pkg1, double psys, long[] cpuBusy, long[] threadJiffies, int[] threadCpu)
            throws Exception {
        cap.set("intel-rapl:0", Math.round((energyLast[0] / 1e9 + pkg0) * UJ_PER_J));
        cap.set("intel-rapl:0:0", Math.round((energyLast[1] / 1e9 + dram0) * UJ_PER_J));
        cap.set("intel-rapl:1", Math.round((energyLast[2] / 1e9 + pkg1) * UJ_PER_J));
        cap.set("intel-rapl:2", Math.round((energyLast[3] / 1e9 + psys) * UJ_PER_J));
        long machine = 0;
        long processJiffies = 0;
        for (int c = 0; c < 4; c++) {
            busy[c] += cpuBusy[c];
            machine += cpuBusy[c];
        }
        for (int k = 0; k < 2; k++) {
            taskJiffies[k] += threadJiffies[k];
            taskCpu[k] = threadCpu[k];
            processJiffies += threadJiffies[k];
        }
        writeProc();
        long[] now = new long[4];
        s.read(t, now);
        long[] delta = new long[4];
        for (int d = 0; d < 4; d++) {
            delta[d] = now[d] - energyLast[d];
        }
        System.arraycopy(now, 0, energyLast, 0, 4);
        double[] share = new double[4];
        Arrays.fill(share, Double.NaN);
        shares.fill(t, processJiffies * 10_000_000L, share);
        return new IntervalInput(t - S, t, delta, processJiffies * 10_000_000L, machine * 10_000_000L, 0, share,
                10_000_000L, List.of());
    }

    private static double processJ(EnergyLedger l, int d) {
        return l.bucketNode(LedgerNode.UNINSTRUMENTED).selfNanoJoules[d] / 1e9;
    }

    @Test
    void eachPackageIsSplitByThisProcesssShareOfItsOwnSocketsBusyTime() throws Exception {
        RaplPowerSource s = twoPackages();
        assertEquals(List.of("package:0", "dram:0", "package:1", "psys:0"), s.domains().stream().map(Domain::key).toList());
        assertEquals(List.of(0, 0, 1, -1), List.of(s.socket(0), s.socket(1), s.socket(2), s.socket(3)));
        SocketShares shares = SocketShares.open(s, proc, cpuRoot, 0, log::add);
        assertNotNull(shares, () -> "no per-socket shares: " + log);
        EnergyLedger l = new EnergyLedger(s.domains(), new EnergyLedger.Options(false, false,
                new double[]{Double.NaN, Double.NaN, Double.NaN, Double.NaN}, 1000, id -> false));
        long[] last = new long[4];
        s.read(0, last);
        shares.fill(0, -1, new double[4]);
        // This process's two threads run on socket 0 only (CPUs 1 and 0), 1 CPU-second between them: all of socket 0's
        // busy time. Other processes keep socket 1's two CPUs busy. Socket 0 draws 30 J (its memory 10 J), socket 1 50 J.
        l.apply(second(s, shares, S, last, 30, 10, 50, 120, new long[]{40, 60, 100, 100}, new long[]{60, 40},
                new int[]{1, 0}));
        assertEquals(30, processJ(l, 0), 1e-6, "package:0: its only busy CPU time was this process's");
        assertEquals(10, processJ(l, 1), 1e-6, "dram:0 follows its socket");
        assertEquals(0, processJ(l, 2), 1e-6, "package:1: this process never ran there");
        assertEquals(40, processJ(l, 3), 1e-6, "psys is the machine's: 1 of 3 busy CPU-seconds");
        assertEquals(50, l.bucketNode(LedgerNode.OTHER_PROCESSES).selfNanoJoules[2] / 1e9, 1e-6);
        // Next second the threads sit on both sockets, half a CPU-second each: socket 0 also carries 0.5 s of others'
        // work (half of its busy time is this process's), socket 1 only this process's.
        l.apply(second(s, shares, 2 * S, last, 20, 8, 12, 60, new long[]{50, 50, 0, 50}, new long[]{50, 50},
                new int[]{0, 3}));
        assertEquals(30 + 10, processJ(l, 0), 1e-6, "half of socket 0's 20 J");
        assertEquals(10 + 4, processJ(l, 1), 1e-6);
        assertEquals(12, processJ(l, 2), 1e-6, "all of socket 1's 12 J");
        // The clocks behind those shares, for (other processes)' bound: each socket's busy time, the part of the
        // process's CPU put on it, its CPU count; none for psys, whose share is the machine's.
        assertArrayEquals(new double[]{1e9, 0.5, 2}, shares.lastClocks(0), 1e-9);
        assertArrayEquals(new double[]{0.5e9, 0.5, 2}, shares.lastClocks(2), 1e-9);
        assertNull(shares.lastClocks(3));
        for (int d = 0; d < 4; d++) {
            assertEquals(0, l.conservationError(d));
        }
        assertEquals(0, shares.failures());
    }

    @Test
    void aThreadBornSinceTheLastLookCountsAllItsCpuAndProportionsHoldBetweenLooks() throws Exception {
        RaplPowerSource s = twoPackages();
        SocketShares shares = SocketShares.open(s, proc, cpuRoot, S, log::add); // threads looked at once a second
        assertNotNull(shares, log::toString);
        shares.fill(0, -1, new double[4]);
        // A thread born after the baseline, now on CPU 2 (socket 1), with 1 CPU-second: all of it is new.
        Path born = proc.resolve("self/task/103/stat");
        Files.createDirectories(born.getParent());
        Files.writeString(born, taskLine(103, 100, 2));
        busy[2] += 100;
        writeProc();
        double[] share = new double[4];
        Arrays.fill(share, Double.NaN);
        shares.fill(S, S, share);
        assertEquals(0.0, share[0], "socket 0: this process did not run there");
        assertEquals(1.0, share[2], "socket 1: all its busy time was the new thread's");
        assertTrue(Double.isNaN(share[3]), "psys is left to the machine-wide share");
        // Half a second later the thread is on CPU 0, but the threads are not looked at again before a second has
        // passed: the last proportions hold, and socket 1's new busy time (0.5 CPU-s, others') is weighed with them.
        Files.writeString(born, taskLine(103, 150, 0));
        busy[2] += 50;
        writeProc();
        shares.fill(S + S / 2, S / 2, share);
        assertEquals(1.0, share[2], "0.5 s of this process on socket 1 by the held proportions, of 0.5 s busy");
        assertEquals(0.0, share[0]);
        assertEquals(0, shares.failures());
    }

    private static String taskLine(long tid, long jiffies, int cpu) {
        StringBuilder line = new StringBuilder(tid + " (java) S 1");
        for (int field = 5; field <= 52; field++) {
            line.append(' ').append(field == 14 ? jiffies : field == 39 ? cpu : 0);
        }
        return line + "\n";
    }

    @Test
    void aThreadsStatLineGivesItsCpuJiffiesAndTheCpuItLastRanOn() {
        // A real line's shape: a command with a space and parentheses, negative priority and nice, field 39 = 13.
        String line = "4242 (C2 Compiler) (x)) S 1 4200 4200 0 -1 4194368 120 0 0 0 1234 56 0 0 -2 -5 40 0 99 "
                + "1000000 500 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 -1 13 0 0 0 0 0 0 0 0 0 0 0 0 0\n";
        byte[] b = line.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        long[] parsed = SocketShares.taskCpuAndProcessor(b, b.length);
        assertNotNull(parsed);
        assertEquals(1234 + 56, parsed[0], "utime + stime");
        assertEquals(13, parsed[1], "processor");
        byte[] cut = "4242 (java) S 1 2 3".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertNull(SocketShares.taskCpuAndProcessor(cut, cut.length), "a line too short is no reading");
    }

    @Test
    void theRealProcAndSysFilesOfThisMachineParse() throws Exception {
        Path sys = Path.of("/sys/devices/system/cpu/cpu0/topology/physical_package_id");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(sys) && Files.isReadable(Path.of("/proc/self/task")),
                "a Linux /proc and /sys");
        int socket = Integer.parseInt(Files.readString(sys).trim());
        SocketShares shares = new SocketShares(Path.of("/proc"), Path.of("/sys/devices/system/cpu"), new int[]{socket}, 0);
        double[] share = {Double.NaN};
        ProcStat stat = new ProcStat();
        long cpu0 = stat.processCpuNanos();
        shares.fill(System.nanoTime(), -1, share);
        long x = 0;
        for (long end = System.nanoTime() + 300_000_000L; System.nanoTime() < end; ) {
            x += x * 31 + 7; // 0.3 s of this thread's CPU
        }
        shares.fill(System.nanoTime(), stat.processCpuNanos() - cpu0, share);
        assertEquals(0, shares.failures(), "this JVM's /proc/self/task/*/stat and /proc/stat read and parsed");
        assertTrue(x != 1 && share[0] > 0 && share[0] <= 1, "this process's share of its socket: " + share[0]);
    }

    @Test
    void withOneSocketOrNoTopologyTheMachineWideShareIsKept() throws Exception {
        RaplPowerSource two = twoPackages();
        assertNull(SocketShares.open(two, proc, dir.resolve("no-such-sys"), 0, log::add));
        assertTrue(log.stream().anyMatch(m -> m.contains("per-socket shares unavailable")), log::toString);
        cap.remove("intel-rapl:1");
        RaplPowerSource one = RaplPowerSource.open(cap.root, log::add, true);
        assertNull(SocketShares.open(one, proc, cpuRoot, 0, log::add), "one socket: nothing to split");
    }
}

package io.energy.power;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcStatTest {
    private static long parse(String text) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        return ProcStat.parseCpuLine(b, b.length);
    }

    @Test
    void busyJiffiesAreUserNiceSystemIrqSoftirqButNotIdleIowaitOrSteal() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        assertEquals(1 + 2 + 3 + 6 + 7, parse("cpu  1 2 3 4 5 6 7 8 9 10\ncpu0 1 1 1 1 1 1 1 1 1 1\n"));
        assertEquals(406306 + 651 + 35282 + 156, parse("cpu  406306 651 35282 242545 520 0 156 199 0 0\n"));
    }

    @Test
    void stealTimeInAVmIsNotThisMachinesBusyTime() {
        // Same guest work, one line with 5000 jiffies stolen by the hypervisor: the busy time must not move.
        assertEquals(parse("cpu  100 0 50 900 0 0 10 0 0 0\n"), parse("cpu  100 0 50 900 0 0 10 5000 0 0\n"));
    }

    @Test
    void oneBadReadGivesTheLastGoodValueAndTheCounterComesBack(@TempDir Path dir) throws Exception {
        Path stat = dir.resolve("stat");
        Files.writeString(stat, "cpu  100 0 50 900 0 0 0 0 0 0\n");
        ProcStat ps = new ProcStat(stat, 0);
        assertEquals(150 * 10_000_000L, ps.machineBusyNanos());
        Files.writeString(stat, "garbage\n"); // a torn or odd read
        Thread.sleep(2); // past the 1 ms sharing window
        assertEquals(150 * 10_000_000L, ps.machineBusyNanos(), "the last good value, not 'unknown'");
        assertEquals(1, ps.failedReads());
        Files.delete(stat); // even a vanished file
        Thread.sleep(2);
        assertEquals(150 * 10_000_000L, ps.machineBusyNanos());
        Files.writeString(stat, "cpu  300 0 50 900 0 0 0 0 0 0\n");
        Thread.sleep(2);
        assertEquals(350 * 10_000_000L, ps.machineBusyNanos(), "read again after the failure: the counter is back");
        assertTrue(ps.machineStatReadable());
    }

    @Test
    void afterAFailureTheFileIsNotReadAgainUntilTheRetryDelay(@TempDir Path dir) throws Exception {
        Path stat = dir.resolve("stat");
        Files.writeString(stat, "cpu  100 0 50 900 0 0 0 0 0 0\n");
        ProcStat ps = new ProcStat(stat, 60_000_000_000L);
        ps.machineBusyNanos();
        Files.writeString(stat, "garbage\n");
        Thread.sleep(2);
        ps.machineBusyNanos();
        Files.writeString(stat, "cpu  300 0 50 900 0 0 0 0 0 0\n");
        Thread.sleep(2);
        assertEquals(150 * 10_000_000L, ps.machineBusyNanos(), "still waiting out the retry delay");
        assertEquals(1, ps.failedReads());
    }

    @Test
    void aCounterThatNeverReadWellIsUnknown(@TempDir Path dir) throws Exception {
        Path stat = dir.resolve("stat");
        Files.writeString(stat, "intr 1 2 3\n");
        assertEquals(-1, new ProcStat(stat, 0).machineBusyNanos());
        assertEquals(-1, new ProcStat(dir.resolve("missing"), 0).machineBusyNanos());
        assertFalse(new ProcStat(dir.resolve("missing"), 0).machineStatReadable());
    }

    @Test
    void aSmallerValueNeverMovesTheCounterBackwards(@TempDir Path dir) throws Exception {
        Path stat = dir.resolve("stat");
        Files.writeString(stat, "cpu  300 0 50 900 0 0 0 0 0 0\n");
        ProcStat ps = new ProcStat(stat, 0);
        ps.machineBusyNanos();
        Files.writeString(stat, "cpu  10 0 0 900 0 0 0 0 0 0\n");
        Thread.sleep(2);
        assertEquals(350 * 10_000_000L, ps.machineBusyNanos());
    }

    @Test
    void onlyTheBytesReadCountNotWhatIsLeftInTheBuffer() {
        // The buffer is reused: bytes past the read's length are from an earlier read and must be ignored.
        byte[] b = "cpu  12 34 56 78 90 1 2 3\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(-1, ProcStat.parseCpuLine(b, "cpu  12 34 5".length()), "three fields: not a cpu line");
        assertEquals(12 + 34 + 56, ProcStat.parseCpuLine(b, "cpu  12 34 56 7".length()));
        assertEquals(12 + 34 + 56 + 1 + 2, ProcStat.parseCpuLine(b, "cpu  12 34 56 78 90 1 2".length()));
        assertEquals(-1, ProcStat.parseCpuLine(b, 3));
        assertEquals(-1, ProcStat.parseCpuLine("cpu0 1 2 3 4\n".getBytes(StandardCharsets.US_ASCII), 13));
    }

    @Test
    void olderKernelsWithFewerColumnsStillCount() {
        assertEquals(10 + 20 + 30, parse("cpu  10 20 30 40\n"));
    }

    @Test
    void anythingElseIsUnknown() {
        assertEquals(-1, parse("intr 1 2 3\n"));
        assertEquals(-1, parse("cpu"));
        assertEquals(-1, parse("cpu  1 2\n"));
        assertEquals(-1, parse(""));
    }

    @Test
    void theMachineCounterMatchesTheKernelsFirstLineWhereThereIsOne() throws Exception {
        Path stat = Path.of("/proc/stat");
        if (!Files.isReadable(stat)) {
            assertEquals(-1, new ProcStat().machineBusyNanos());
            return;
        }
        long before = parse(Files.readString(stat)) * 10_000_000L;
        long read = new ProcStat().machineBusyNanos();
        long after = parse(Files.readString(stat)) * 10_000_000L;
        assertTrue(before <= read && read <= after, before + " <= " + read + " <= " + after);
    }
}

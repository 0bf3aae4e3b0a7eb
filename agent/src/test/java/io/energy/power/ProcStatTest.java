package io.energy.power;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcStatTest {
    private static long parse(String text) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        return ProcStat.parseCpuLine(b, b.length);
    }

    @Test
    void busyJiffiesAreUserNiceSystemIrqSoftirqStealButNotIdleOrIowait() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        assertEquals(1 + 2 + 3 + 6 + 7 + 8, parse("cpu  1 2 3 4 5 6 7 8 9 10\ncpu0 1 1 1 1 1 1 1 1 1 1\n"));
        assertEquals(406306 + 651 + 35282 + 156 + 199, parse("cpu  406306 651 35282 242545 520 0 156 199 0 0\n"));
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

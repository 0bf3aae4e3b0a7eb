package io.energy.sampling;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two reads of a process's threads tell where its CPU went by kind of thread (BackgroundSampler's start-up). */
class ThreadCpuSnapshotTest {
    private static void task(Path dir, String id, String name, String schedstat) throws IOException {
        Path t = Files.createDirectories(dir.resolve(id));
        Files.writeString(t.resolve("comm"), name + "\n");
        Files.writeString(t.resolve("schedstat"), schedstat);
    }

    @Test
    void hotSpotsThreadNamesAreSortedIntoTheLedgersKindsOfThread() {
        assertEquals(ThreadKind.JIT, ThreadCpuSnapshot.kindOf("C2 CompilerThre"));
        assertEquals(ThreadKind.JIT, ThreadCpuSnapshot.kindOf("C1 CompilerThre"));
        assertEquals(ThreadKind.GC, ThreadCpuSnapshot.kindOf("GC Thread#1"));
        assertEquals(ThreadKind.GC, ThreadCpuSnapshot.kindOf("G1 Refine#0"));
        assertEquals(ThreadKind.VM, ThreadCpuSnapshot.kindOf("VM Thread"));
        assertEquals(ThreadKind.VM, ThreadCpuSnapshot.kindOf("VM Periodic Tas"));
        assertEquals(ThreadKind.AGENT, ThreadCpuSnapshot.kindOf("energy-start"));
        assertEquals(ThreadKind.AGENT, ThreadCpuSnapshot.kindOf("energy-collecto"));
        assertEquals(ThreadKind.JAVA, ThreadCpuSnapshot.kindOf("main"));
        assertEquals(ThreadKind.JAVA, ThreadCpuSnapshot.kindOf("pool-1-thread-1"));
        assertEquals(ThreadKind.JAVA, ThreadCpuSnapshot.kindOf(null));
    }

    @Test
    void cpuSinceAnEarlierReadIsSummedPerKindNewThreadsWhollyEndedOnesNot(@TempDir Path dir) throws IOException {
        task(dir, "10", "main", "1000 5 6\n");
        task(dir, "11", "C2 CompilerThre", "2000 5 6\n");
        task(dir, "12", "pool-1-thread-1", "500 5 6\n");
        ThreadCpuSnapshot before = ThreadCpuSnapshot.take(dir);
        task(dir, "10", "main", "1700 5 6\n");
        task(dir, "11", "C2 CompilerThre", "2300 5 6\n");
        task(dir, "13", "C1 CompilerThre", "400 5 6\n");
        task(dir, "14", "worker", "not a number\n");
        org.junit.jupiter.api.Assertions.assertTrue(Files.deleteIfExists(dir.resolve("12/schedstat")));
        ThreadCpuSnapshot after = ThreadCpuSnapshot.take(dir);
        Map<Long, ThreadCpuSnapshot.Used> used = new java.util.TreeMap<>();
        for (ThreadCpuSnapshot.Used u : after.since(before)) {
            used.put(u.tid(), u);
        }
        assertEquals(java.util.Set.of(10L, 11L, 13L), used.keySet(), "the ended thread and the unreadable one add nothing");
        assertEquals(new ThreadCpuSnapshot.Used(10, ThreadKind.JAVA, 700), used.get(10L));
        assertEquals(new ThreadCpuSnapshot.Used(11, ThreadKind.JIT, 300), used.get(11L), "C2's since");
        assertEquals(new ThreadCpuSnapshot.Used(13, ThreadKind.JIT, 400), used.get(13L), "C1's since it began");
        assertEquals(1700L, after.cpuOf(10));
        assertEquals(-1L, after.cpuOf(12));
    }

    @Test
    void aThreadIdleSinceIsNotListedAThreadAtZeroIsStillKnownAndAnUnreadableOneIsNot(@TempDir Path dir)
            throws IOException {
        task(dir, "10", "main", "1000 5 6\n");
        task(dir, "20", "pool-1-thread-1", "0 0 0\n");
        task(dir, "30", "worker", "not a number\n");
        ThreadCpuSnapshot before = ThreadCpuSnapshot.take(dir);
        assertEquals(0L, before.cpuOf(20), "a thread that has not run yet reads 0, not unknown");
        assertEquals(-1L, before.cpuOf(30), "a schedstat that does not parse is unknown");
        task(dir, "20", "pool-1-thread-1", "250 1 1\n");
        task(dir, "task", "odd", "90 1 1\n"); // not a thread id: kept, under an id no thread has
        java.util.List<ThreadCpuSnapshot.Used> used = ThreadCpuSnapshot.take(dir).since(before);
        assertEquals(java.util.Set.of(new ThreadCpuSnapshot.Used(20, ThreadKind.JAVA, 250),
                new ThreadCpuSnapshot.Used(-1, ThreadKind.JAVA, 90)), java.util.Set.copyOf(used),
                "main used nothing since: not listed");
    }

    @Test
    void withoutAnEarlierReadNothingIsMadeUp(@TempDir Path dir) throws IOException {
        ThreadCpuSnapshot none = ThreadCpuSnapshot.take(dir.resolve("absent"));
        assertTrue(none.isEmpty());
        task(dir, "10", "main", "1000 5 6\n");
        ThreadCpuSnapshot now = ThreadCpuSnapshot.take(dir);
        assertFalse(now.isEmpty());
        assertTrue(now.since(none).isEmpty(), "a thread's whole life is not the stretch since premain");
    }

    @Test
    void thisProcessReadsItsOwnThreadsOnLinux() {
        ThreadCpuSnapshot a = ThreadCpuSnapshot.take();
        if (!Files.isDirectory(Path.of("/proc/self/task"))) {
            assertTrue(a.isEmpty());
            return;
        }
        long x = 0;
        long end = System.nanoTime() + 30_000_000L;
        while (System.nanoTime() < end) {
            x += Long.numberOfTrailingZeros(x + System.nanoTime());
        }
        long[] me = ThreadCpuSnapshot.currentThread();
        org.junit.jupiter.api.Assertions.assertNotNull(me);
        long mine = 0;
        for (ThreadCpuSnapshot.Used u : ThreadCpuSnapshot.take().since(a)) {
            mine += u.tid() == me[0] ? u.cpuNanos() : 0;
        }
        assertTrue(mine >= 10_000_000L, "this thread's spin: " + mine + " " + (x & 1));
        assertTrue(me[1] >= 10_000_000L);
    }
}

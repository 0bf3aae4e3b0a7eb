package io.energy.sampling;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The sampled threads' own CPU clocks, read from a fake {@code /proc/self/task} whose figures the test sets. */
class ThreadClocksTest {
    private static final Stack S = new Stack(ThreadKind.JAVA, new int[]{1});

    private static void clock(Path task, long tid, long nanos) throws IOException {
        Path d = task.resolve(Long.toString(tid));
        Files.createDirectories(d);
        Files.writeString(d.resolve("schedstat"), nanos + " 0 0\n");
    }

    /** Threads 100, 101, ... with their clocks at {@code nanos}. */
    private static long[] threads(Path task, int count, long nanos) throws IOException {
        long[] tids = new long[count];
        for (int i = 0; i < count; i++) {
            tids[i] = 100 + i;
        }
        clocks(task, tids, nanos);
        return tids;
    }

    private static void clocks(Path task, long[] tids, long nanos) throws IOException {
        for (long t : tids) {
            clock(task, t, nanos);
        }
    }

    private static StackSamples harvest(long... tids) {
        StackSamples s = new StackSamples(10_000_000L, true);
        for (long t : tids) {
            s.add(S, 1, t);
        }
        return s;
    }

    @Test
    void aThreadNamedByTwoHarvestsIsPaidWhatItsClockMovedBetweenThem(@TempDir Path task) throws IOException {
        ThreadClocks c = new ThreadClocks(task);
        clock(task, 10, 100_000_000L);
        StackSamples first = harvest(10);
        c.read(first);
        assertEquals(StackSamples.CPU_UNKNOWN, first.threadCpuNanos(10), "no earlier reading: not known");
        assertFalse(first.hasThreadCpu());
        clock(task, 10, 137_000_000L);
        StackSamples second = harvest(10);
        c.read(second);
        assertEquals(37_000_000L, second.threadCpuNanos(10));
    }

    @Test
    void aThreadWhoseClockIsGoneHadEnded(@TempDir Path task) throws IOException {
        ThreadClocks c = new ThreadClocks(task);
        org.junit.jupiter.api.Assertions.assertTrue(c.available());
        clock(task, 10, 5_000_000L);
        c.read(harvest(10));
        Files.delete(task.resolve("10").resolve("schedstat"));
        StackSamples s = harvest(10);
        c.read(s);
        assertEquals(StackSamples.CPU_ENDED, s.threadCpuNanos(10));
    }

    @Test
    void aThreadReadWhileUnnamedIsLaterPaidForTheLastSpanOnlyNotEverySpanSince(@TempDir Path task)
            throws IOException {
        ThreadClocks c = new ThreadClocks(task);
        clock(task, 10, 50_000_000L);
        clock(task, 11, 0); // a clock at zero is a thread that has not run yet, not one that ended
        c.read(harvest(10, 11));
        clock(task, 10, 58_000_000L); // 8 ms and no tick: the harvest does not name it
        clock(task, 11, 300_000_000L);
        StackSamples between = harvest(11);
        c.read(between);
        assertEquals(300_000_000L, between.threadCpuNanos(11));
        clock(task, 10, 61_000_000L); // 3 ms more, and a tick
        clock(task, 11, 600_000_000L);
        StackSamples s = harvest(10, 11);
        c.read(s);
        assertEquals(3_000_000L, s.threadCpuNanos(10), "the 8 ms of the span without its samples are not paid here");
        assertEquals(300_000_000L, s.threadCpuNanos(11));
    }

    @Test
    void aThreadUnnamedForOneHarvestLessThanTheRecentOnesIsStillReadAtEachHarvest(@TempDir Path task)
            throws IOException {
        ThreadClocks c = new ThreadClocks(task);
        clock(task, 10, 1_000_000L);
        clock(task, 11, 1_000_000L);
        c.read(harvest(10, 11));
        for (int i = 1; i < ThreadClocks.RECENT_HARVESTS; i++) {
            clock(task, 10, 1_000_000L + i * 2_000_000L);
            c.read(harvest(11));
        }
        clock(task, 10, 90_000_000L);
        StackSamples s = harvest(10, 11);
        c.read(s);
        assertEquals(90_000_000L - (1_000_000L + (ThreadClocks.RECENT_HARVESTS - 1) * 2_000_000L),
                s.threadCpuNanos(10), "the span since the last harvest's reading");
    }

    @Test
    void aClockThatDidNotMoveIsKnownToHaveUsedNothing(@TempDir Path task) throws IOException {
        ThreadClocks c = new ThreadClocks(task);
        clock(task, 10, 7_000_000L);
        c.read(harvest(10));
        StackSamples s = harvest(10);
        c.read(s);
        assertEquals(0, s.threadCpuNanos(10));
    }

    @Test
    void aHarvestThatNamesExactlyTheCapIsRead(@TempDir Path task) throws IOException {
        ThreadClocks c = new ThreadClocks(task);
        long[] tids = threads(task, ThreadClocks.MAX_THREADS, 1_000_000L);
        c.read(harvest(tids));
        clocks(task, tids, 4_000_000L);
        StackSamples s = harvest(tids);
        c.read(s);
        assertEquals(3_000_000L, s.threadCpuNanos(tids[tids.length - 1]));
    }

    @Test
    void aThreadUnnamedForLongerThanTheRecentHarvestsStartsAfresh(@TempDir Path task) throws IOException {
        ThreadClocks c = new ThreadClocks(task);
        clock(task, 10, 1_000_000L);
        clock(task, 11, 1_000_000L);
        c.read(harvest(10, 11));
        for (int i = 0; i <= ThreadClocks.RECENT_HARVESTS; i++) {
            c.read(harvest(11));
        }
        clock(task, 10, 90_000_000L);
        StackSamples s = harvest(10, 11);
        c.read(s);
        assertEquals(15_000_000L, s.threadCpuNanos(10),
                "read afresh: an old thread (its clock is past its one sample and a period) gets its sample and half");
    }

    @Test
    void theFirstHarvestOnlyTakesTheReadingsItsSamplesAlsoCarryTheStartUp(@TempDir Path task) throws IOException {
        ThreadClocks c = new ThreadClocks(task);
        clock(task, 10, 5_000_000L);
        StackSamples s = harvest(10, 99); // 99 has no clock: it ended, but nothing is recorded yet
        c.read(s);
        assertFalse(s.hasThreadCpu());
    }

    @Test
    void aThreadFirstNamedAfterTheFirstHarvestThatBeganInItsSpanIsPaidItsWholeClock(@TempDir Path task)
            throws IOException {
        ThreadClocks c = new ThreadClocks(task);
        clock(task, 10, 5_000_000L);
        c.read(harvest(10));
        clock(task, 12, 17_000_000L); // one tick at 10 ms, 7 ms after it
        clock(task, 13, 0);
        StackSamples s = harvest(10, 12, 99);
        c.read(s);
        assertEquals(17_000_000L, s.threadCpuNanos(12));
        assertEquals(StackSamples.CPU_ENDED, s.threadCpuNanos(99), "gone before its first reading: ended");
    }

    @Test
    void aHarvestWithoutSamplesMovesNoReadingItsSpanGoesOnToTheNext(@TempDir Path task) throws IOException {
        ThreadClocks c = new ThreadClocks(task);
        clock(task, 10, 10_000_000L);
        c.read(harvest(10));
        clock(task, 10, 20_000_000L);
        c.read(new StackSamples(10_000_000L, true));
        clock(task, 10, 30_000_000L);
        StackSamples s = harvest(10);
        c.read(s);
        assertEquals(20_000_000L, s.threadCpuNanos(10));
    }

    @Test
    void afterAHarvestOverTheCapEveryReadingStartsAfresh(@TempDir Path task) throws IOException {
        ThreadClocks c = new ThreadClocks(task);
        clock(task, 10, 1_000_000L);
        c.read(harvest(10));
        long[] many = threads(task, ThreadClocks.MAX_THREADS + 1, 1_000_000L);
        many[0] = 10;
        clock(task, 10, 500_000_000L);
        c.read(harvest(many));
        clock(task, 10, 510_000_000L);
        StackSamples s = harvest(10);
        c.read(s);
        assertEquals(15_000_000L, s.threadCpuNanos(10),
                "not 509 ms since the reading before the harvest that was paid by count");
    }

    @Test
    void aClockThatWentBackIsANewThreadWithAReusedIdAndIsPaidItsOwnClock(@TempDir Path task) throws IOException {
        ThreadClocks c = new ThreadClocks(task);
        clock(task, 10, 500_000_000L);
        c.read(harvest(10));
        clock(task, 10, 12_000_000L);
        StackSamples s = harvest(10);
        c.read(s);
        assertEquals(12_000_000L, s.threadCpuNanos(10), "a new thread: its whole clock, not 12 - 500 ms");
    }

    @Test
    void withoutProcNoThreadIsReadAndNoneIsTakenForEnded(@TempDir Path tmp) {
        ThreadClocks c = new ThreadClocks(tmp.resolve("no-such-task-dir"));
        assertFalse(c.available());
        StackSamples s = harvest(10);
        c.read(s);
        c.read(s);
        assertFalse(s.hasThreadCpu());
        assertEquals(StackSamples.CPU_UNKNOWN, s.threadCpuNanos(10));
    }

    @Test
    void aHarvestThatNamesMoreThreadsThanTheCapIsNotRead(@TempDir Path task) throws IOException {
        ThreadClocks c = new ThreadClocks(task);
        long[] tids = threads(task, ThreadClocks.MAX_THREADS + 1, 1_000_000L);
        c.read(harvest(tids));
        clocks(task, tids, 2_000_000L);
        StackSamples s = harvest(tids);
        c.read(s);
        assertFalse(s.hasThreadCpu());
    }

    @Test
    void aRecentThreadLeftUnreadBecauseTheCapIsFullIsForgottenNotPaidForSeveralSpansLater(@TempDir Path task)
            throws IOException {
        ThreadClocks c = new ThreadClocks(task);
        long[] first = threads(task, ThreadClocks.MAX_THREADS, 1_000_000L); // 100..227
        first[0] = 10;
        clock(task, 10, 1_000_000L);
        c.read(harvest(first));
        long[] others = new long[ThreadClocks.MAX_THREADS];
        for (int i = 0; i < others.length; i++) {
            others[i] = 1000 + i;
        }
        clocks(task, others, 1_000_000L);
        c.read(harvest(others)); // the cap is full with the threads it names: thread 10 is not read
        clock(task, 10, 500_000_000L);
        StackSamples s = harvest(10);
        c.read(s);
        assertEquals(15_000_000L, s.threadCpuNanos(10),
                "read afresh (its sample and half a period), not the 499 ms since a reading two spans back");
    }

    @Test
    void thisProcessesOwnClocksAreRead() {
        ThreadClocks c = new ThreadClocks();
        long[] self = ThreadCpuSnapshot.currentThread();
        org.junit.jupiter.api.Assertions.assertNotNull(self, "Linux's /proc/thread-self (the agent's platform)");
        c.read(harvest(self[0]));
        long x = 0;
        for (int i = 0; i < 20_000_000; i++) {
            x += i ^ (x >>> 3);
        }
        StackSamples s = harvest(self[0]);
        c.read(s);
        assertEquals(true, s.threadCpuNanos(self[0]) > 0, "the busy loop's CPU (" + x + ")");
    }
}

package io.energy.session;

import io.energy.sampling.SamplerSelector;
import io.energy.sampling.Stack;
import io.energy.sampling.StackSampler;
import io.energy.sampling.StackSamples;
import io.energy.sampling.ThreadKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The launch's stack sampler starts on its own thread: nothing is harvested, stopped or lost before it has. */
class BackgroundSamplerTest {
    private static final long PERIOD = 10_000_000L;
    private static final Stack APP = new Stack(ThreadKind.JAVA, new int[]{1, 2});

    /** A sampler that has one sample of APP at every harvest. */
    private static class Fake implements StackSampler {
        final AtomicBoolean stopped = new AtomicBoolean();
        final AtomicBoolean drained = new AtomicBoolean();

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public String describe() {
            return "fake sampler";
        }

        @Override
        public long periodNanos() {
            return PERIOD;
        }

        @Override
        public StackSamples harvest(long nowNanos, boolean force) {
            StackSamples s = new StackSamples(PERIOD);
            s.add(APP, 1);
            return s;
        }

        @Override
        public String problem() {
            return null;
        }

        @Override
        public long harvestCpuNanos() {
            return 0;
        }

        @Override
        public void drain() {
            drained.set(true);
        }

        @Override
        public void stop() {
            stopped.set(true);
        }
    }

    private static long count(StackSamples s, ThreadKind kind) {
        long n = 0;
        for (int i = 0; i < s.size(); i++) {
            if (s.stack(i).kind == kind) {
                n += s.count(i);
            }
        }
        return n;
    }

    @Test
    void nothingIsHarvestedUntilTheSamplerRunsThenTheStartsOwnCpuGoesToTheAgentOnce() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        Fake fake = new Fake();
        AtomicReference<SamplerSelector.Choice> heard = new AtomicReference<>();
        BackgroundSampler b = new BackgroundSampler(PERIOD);
        b.begin(() -> {
            try {
                go.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            // CPU on the start thread, as loading and starting async-profiler is: ~30 ms, three samples' worth.
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long x = 0;
            while (threads.getCurrentThreadCpuTime() < 30_000_000L) {
                x += Long.numberOfTrailingZeros(x + System.nanoTime());
            }
            return new SamplerSelector.Choice(fake, "fake sampler " + (x & 1), List.of("a note"));
        }, heard::set);
        assertEquals("starting", b.name());
        assertNull(b.harvest(System.nanoTime(), true), "before the start: the energy waits in the ledger");
        go.countDown();
        b.drain();
        assertTrue(fake.drained.get(), "drain waits for the start, then drains the sampler");
        assertSame(fake, heard.get().sampler(), "the session heard the choice before any harvest");
        assertEquals("fake", b.name());
        assertEquals("fake sampler", b.describe());
        StackSamples first = b.harvest(System.nanoTime(), false);
        assertEquals(1, count(first, ThreadKind.JAVA) - countNoMethod(first), "the sampler's own sample");
        assertTrue(count(first, ThreadKind.AGENT) >= 1, "the start thread's CPU is the agent's: " + count(first, ThreadKind.AGENT));
        StackSamples second = b.harvest(System.nanoTime(), false);
        assertEquals(0, count(second, ThreadKind.AGENT), "given once");
        b.stop();
        assertTrue(fake.stopped.get());
    }

    private static void task(java.nio.file.Path dir, int id, String name, long cpuNanos) throws java.io.IOException {
        java.nio.file.Path t = java.nio.file.Files.createDirectories(dir.resolve(Integer.toString(id)));
        java.nio.file.Files.writeString(t.resolve("comm"), name + "\n");
        java.nio.file.Files.writeString(t.resolve("schedstat"), cpuNanos + " 1234 56\n");
    }

    private static long countNoMethod(StackSamples s) {
        long n = 0;
        for (int i = 0; i < s.size(); i++) {
            if (s.stack(i).kind == ThreadKind.JAVA && s.stack(i).frames.length == 0) {
                n += s.count(i);
            }
        }
        return n;
    }

    private static final Stack APP2 = new Stack(ThreadKind.JAVA, new int[]{1, 3});

    private static long countOf(StackSamples s, Stack stack) {
        long n = 0;
        for (int i = 0; i < s.size(); i++) {
            if (s.stack(i) == stack) {
                n += s.count(i);
            }
        }
        return n;
    }

    @Test
    void theCpuEveryThreadUsedBeforeTheSamplerRanComesOnceWithTheFirstHarvestAsItsKindOfThreadOrItsThreadsSamples(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path proc) throws Exception {
        task(proc, 1, "main", 100_000_000L);
        task(proc, 2, "C2 CompilerThre", 400_000_000L);
        task(proc, 3, "GC Thread#0", 0);
        task(proc, 5, "worker", 0);
        // The premain thread is task 1: premain's own work ends when it has used 130 ms.
        long[] premainCpu = {100_000_000L};
        Fake fake = new Fake() {
            @Override
            public StackSamples harvest(long nowNanos, boolean force) {
                StackSamples s = new StackSamples(PERIOD, true);
                s.add(APP, 3, 1);
                s.add(APP2, 1, 1);
                return s;
            }
        };
        BackgroundSampler b = new BackgroundSampler(PERIOD, proc, () -> new long[]{1, premainCpu[0]});
        b.windowStarts();
        CountDownLatch premainDone = new CountDownLatch(1);
        b.begin(() -> {
            try {
                premainDone.await(10, TimeUnit.SECONDS);
                // While the sampler starts: premain uses 30 ms more and the application's main then 40 ms, the JIT
                // 50 ms, GC 10 ms, a worker thread 20 ms, and the start thread (new since premain) 30 ms.
                task(proc, 1, "main", 170_000_000L);
                task(proc, 2, "C2 CompilerThre", 450_000_000L);
                task(proc, 3, "GC Thread#0", 10_000_000L);
                task(proc, 4, "energy-start", 30_000_000L);
                task(proc, 5, "worker", 20_000_000L);
            } catch (java.io.IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return new SamplerSelector.Choice(fake, "fake sampler", List.of());
        }, c -> { });
        premainCpu[0] = 130_000_000L;
        b.premainDone();
        premainDone.countDown();
        assertTrue(b.awaitReady());
        StackSamples first = b.harvest(System.nanoTime(), false);
        assertEquals(5, count(first, ThreadKind.JIT), "the compilers' 50 ms: (JIT compiler), not the first samples");
        assertEquals(1, count(first, ThreadKind.GC));
        assertEquals(6, count(first, ThreadKind.AGENT), "the start thread's 30 ms and premain's own 30 ms");
        assertEquals(3 + 3, countOf(first, APP), "main's 40 ms after premain follow its own samples, 3:1");
        assertEquals(1 + 1, countOf(first, APP2));
        assertEquals(2, countNoMethod(first), "the worker's 20 ms: it has no samples here, so no method's");
        StackSamples second = b.harvest(System.nanoTime(), false);
        assertEquals(4, second.total(), "given once: only the sampler's own samples");
        b.stop();
    }

    @Test
    void whenNoSamplerCanRunTheEnergyGoesToNoMethodWithNoCpuTime() {
        BackgroundSampler b = new BackgroundSampler(PERIOD);
        b.begin(() -> new SamplerSelector.Choice(null, "call-paths (fallback: no stack sampler could run)", List.of()),
                c -> { });
        b.stop();
        StackSamples s = b.harvest(System.nanoTime(), false);
        assertEquals(1, s.total());
        assertEquals(0, s.stack(0).frames.length);
        assertEquals(ThreadKind.JAVA, s.stack(0).kind);
        assertEquals(0, s.periodNanos(), "no CPU time is made up");
        assertEquals("call-paths", b.name());
    }

    @Test
    void aStartThatThrowsIsReportedAndStopsNothing() {
        BackgroundSampler b = new BackgroundSampler(PERIOD);
        b.begin(() -> {
            throw new IllegalStateException("boom");
        }, c -> { });
        b.stop();
        assertTrue(b.describe().contains("boom"), b.describe());
        assertEquals(1, b.harvest(System.nanoTime(), false).total());
    }
}

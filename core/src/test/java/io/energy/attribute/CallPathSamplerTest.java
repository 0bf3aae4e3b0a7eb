package io.energy.attribute;

import io.energy.bridge.EnergyBridge;
import io.energy.bridge.PathNode;
import io.energy.bridge.ThreadContext;
import io.energy.power.Domain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The call-path sampler on the real bridge, one tick at a time (issue 14: only the minute-long accuracy suite
 * ran it, so no mutation test did). The test thread moves its own shadow stack with real
 * {@link EnergyBridge#enter}/{@link EnergyBridge#exit} calls between samples, and the activity the sampler sees
 * is set by the test: every count expected below is the number of ticks the test took at that place.
 */
class CallPathSamplerTest {
    private static final int A = 101;
    private static final int B = 102;
    private static final int C = 103;

    private CallPathSampler.Activity activity = CallPathSampler.Activity.RUNNING;
    private final AtomicInteger activityLooks = new AtomicInteger();

    @BeforeEach
    void startBridge() {
        EnergyBridge.start(256, 100_000, 0, null);
    }

    @AfterEach
    void stopBridge() {
        EnergyBridge.stop();
        while (EnergyBridge.pollNewContext() != null) {
            // forget this test's threads
        }
    }

    private CallPathSampler sampler(long cpuAtFirstSight) {
        return new CallPathSampler(ctx -> {
            activityLooks.incrementAndGet();
            return activity;
        }, ctx -> cpuAtFirstSight);
    }

    private static EnergyLedger ledger() {
        return new EnergyLedger(List.of(new Domain(Domain.PACKAGE, 0, false, 1_000_000L, "test")),
                new EnergyLedger.Options(false, false, new double[]{0}, 1000, id -> false));
    }

    private void tick(CallPathSampler s, CallPathSampler.Activity a, int times) {
        activity = a;
        for (int i = 0; i < times; i++) {
            s.sample();
        }
    }

    /** Runs {@code body} on a new thread to its end: its context stays behind, its thread is dead. */
    private static void onEndedThread(Runnable body) throws InterruptedException {
        Thread t = new Thread(body, "sampler-test-helper");
        t.start();
        t.join(10_000);
        assertFalse(t.isAlive(), "helper thread finished");
    }

    @Test
    void runningSamplesAndWallSamplesAreCountedPerPathAndAtTheRoot() {
        CallPathSampler s = sampler(1_000);
        PathNode outer = EnergyBridge.enter(A);
        tick(s, CallPathSampler.Activity.RUNNING, 1);
        tick(s, CallPathSampler.Activity.WAITING, 3);
        PathNode inner = EnergyBridge.enter(B);
        tick(s, CallPathSampler.Activity.RUNNING, 2);
        tick(s, CallPathSampler.Activity.WAITING, 1);
        EnergyBridge.exit(inner);
        EnergyBridge.exit(outer);
        tick(s, CallPathSampler.Activity.WAITING, 4);
        tick(s, CallPathSampler.Activity.RUNNING, 5);

        EnergyLedger ledger = ledger();
        List<IntervalInput.ThreadSlice> slices = s.closeInterval(ledger, new long[]{1_000 + 7_000});
        assertEquals(1, slices.size());
        IntervalInput.ThreadSlice t = slices.get(0);
        assertEquals(7_000, t.cpuNanos(), "CPU since the sampler first saw the thread");
        assertEquals(5, t.rootSamples(), "running ticks outside any instrumented method");
        assertEquals(9, t.rootWallSamples(), "all ticks outside any instrumented method");
        assertEquals(2, t.count());
        LedgerNode a = ledger.child(ledger.root(), A);
        LedgerNode ab = ledger.child(a, B);
        assertSame(a, t.nodes()[0], "first path touched: A under the root");
        assertSame(ab, t.nodes()[1], "then B under A");
        assertEquals(1, t.samples()[0]);
        assertEquals(4, t.wallSamples()[0]);
        assertEquals(2, t.samples()[1]);
        assertEquals(3, t.wallSamples()[1]);
        assertEquals(1, s.threadsSeen());
        assertEquals(1, s.contexts().size());
        ThreadContext ctx = s.contexts().get(0);
        assertSame(Thread.currentThread(), ctx.thread);
        assertEquals(0, ctx.intervalSamples, "counters start over after the close");
        assertEquals(0, ctx.intervalRootSamples);
        assertEquals(0, ctx.intervalRootWallSamples);
    }

    @Test
    void aClosedIntervalStartsFromZeroAndAQuietIntervalGivesNoSlice() {
        CallPathSampler s = sampler(0);
        PathNode outer = EnergyBridge.enter(A);
        tick(s, CallPathSampler.Activity.RUNNING, 3);
        EnergyLedger ledger = ledger();
        IntervalInput.ThreadSlice firstSlice = s.closeInterval(ledger, new long[]{100}).get(0);
        assertEquals(3, firstSlice.samples()[0]);
        assertEquals(100, firstSlice.cpuNanos(), "first seen at 0 ns of CPU");

        // Nothing sampled since: no slice, but the CPU clock still moves on to this close's reading.
        assertTrue(s.closeInterval(ledger, new long[]{400}).isEmpty(), "no samples, no slice");

        tick(s, CallPathSampler.Activity.WAITING, 2);
        IntervalInput.ThreadSlice t = s.closeInterval(ledger, new long[]{450}).get(0);
        assertEquals(50, t.cpuNanos(), "CPU since the previous close (400), not since the last slice (100)");
        assertEquals(1, t.count(), "only the path sampled in this interval");
        assertEquals(0, t.samples()[0], "the earlier interval's running samples do not carry over");
        assertEquals(2, t.wallSamples()[0]);
        EnergyBridge.exit(outer);
    }

    @Test
    void aThreadSampledOnlyAtItsRootStillGivesASlice() {
        CallPathSampler s = sampler(0);
        EnergyBridge.exit(EnergyBridge.enter(A)); // makes the context; the thread is back at its root
        tick(s, CallPathSampler.Activity.WAITING, 2);
        List<IntervalInput.ThreadSlice> slices = s.closeInterval(ledger(), new long[]{30});
        assertEquals(1, slices.size(), "wall samples at the root count");
        assertEquals(0, slices.get(0).count());
        assertEquals(2, slices.get(0).rootWallSamples());
        assertEquals(0, slices.get(0).rootSamples());
        assertEquals(30, slices.get(0).cpuNanos());
    }

    @Test
    void cpuTimeIsZeroWhenUnknownOrGoingBackwards() {
        CallPathSampler s = sampler(500);
        PathNode outer = EnergyBridge.enter(A);
        EnergyLedger ledger = ledger();
        tick(s, CallPathSampler.Activity.RUNNING, 1);
        assertEquals(0, s.closeInterval(ledger, new long[]{-1}).get(0).cpuNanos(), "thread ended: no reading");
        tick(s, CallPathSampler.Activity.RUNNING, 1);
        assertEquals(0, s.closeInterval(ledger, new long[0]).get(0).cpuNanos(), "no reading for this context");
        tick(s, CallPathSampler.Activity.RUNNING, 1);
        // The missing readings left the last one (500) in place.
        assertEquals(200, s.closeInterval(ledger, new long[]{700}).get(0).cpuNanos());
        tick(s, CallPathSampler.Activity.RUNNING, 1);
        assertEquals(0, s.closeInterval(ledger, new long[]{650}).get(0).cpuNanos(), "a clock going back gives 0");
        tick(s, CallPathSampler.Activity.RUNNING, 1);
        assertEquals(10, s.closeInterval(ledger, new long[]{660}).get(0).cpuNanos(), "from the latest reading");
        EnergyBridge.exit(outer);
    }

    @Test
    void cpuTimeIsZeroWhenTheFirstReadingWasUnknown() {
        CallPathSampler s = sampler(-1);
        PathNode outer = EnergyBridge.enter(A);
        EnergyLedger ledger = ledger();
        tick(s, CallPathSampler.Activity.RUNNING, 1);
        assertEquals(0, s.closeInterval(ledger, new long[]{5_000}).get(0).cpuNanos(),
                "no start reading: nothing to subtract from");
        tick(s, CallPathSampler.Activity.RUNNING, 1);
        assertEquals(300, s.closeInterval(ledger, new long[]{5_300}).get(0).cpuNanos());
        EnergyBridge.exit(outer);
    }

    @Test
    void aCpuReadingOfZeroIsAReadingTheNextIntervalCountsFrom() {
        CallPathSampler s = sampler(-1);
        PathNode outer = EnergyBridge.enter(A);
        EnergyLedger ledger = ledger();
        tick(s, CallPathSampler.Activity.RUNNING, 1);
        assertEquals(0, s.closeInterval(ledger, new long[]{0}).get(0).cpuNanos());
        tick(s, CallPathSampler.Activity.RUNNING, 1);
        assertEquals(40, s.closeInterval(ledger, new long[]{40}).get(0).cpuNanos());
        EnergyBridge.exit(outer);
    }

    @Test
    void anEndedThreadIsNotSampledAgainAndIsForgottenAtTheNextSync() {
        CallPathSampler s = sampler(0);
        PathNode outer = EnergyBridge.enter(A);
        tick(s, CallPathSampler.Activity.RUNNING, 2);
        ThreadContext ctx = s.contexts().get(0);
        assertFalse(CallPathSampler.ended(ctx));
        tick(s, CallPathSampler.Activity.ENDED, 1);
        assertTrue(CallPathSampler.ended(ctx));
        int looks = activityLooks.get();
        tick(s, CallPathSampler.Activity.RUNNING, 4);
        assertEquals(looks, activityLooks.get(), "an ended thread costs no more looks");
        IntervalInput.ThreadSlice t = s.closeInterval(ledger(), new long[]{-1}).get(0);
        assertEquals(2, t.samples()[0], "only the samples before the end");
        assertEquals(2, t.wallSamples()[0]);
        EnergyBridge.exit(outer);

        s.syncCalls(ledger());
        assertTrue(s.contexts().isEmpty(), "an ended thread is forgotten, though its Java thread lives on");
        assertEquals(1, s.threadsSeen(), "but still counted as seen");
    }

    @Test
    void aContextWithoutSamplerStateIsNotEnded() throws InterruptedException {
        ThreadContext[] made = new ThreadContext[1];
        onEndedThread(() -> made[0] = EnergyBridge.enter(A).owner);
        assertNotNull(made[0]);
        assertFalse(CallPathSampler.ended(made[0]), "never sampled, so never found ended");
    }

    @Test
    void callsAreMovedToTheLedgerOnceAndOnlyTheNewOnesNextTime() {
        CallPathSampler s = sampler(0);
        for (int i = 0; i < 3; i++) {
            PathNode outer = EnergyBridge.enter(A);
            EnergyBridge.exit(EnergyBridge.enter(B));
            EnergyBridge.exit(outer);
        }
        EnergyBridge.exit(EnergyBridge.enter(C));
        EnergyLedger ledger = ledger();
        s.syncCalls(ledger);
        LedgerNode a = ledger.child(ledger.root(), A);
        LedgerNode ab = ledger.child(a, B);
        LedgerNode c = ledger.child(ledger.root(), C);
        assertEquals(3, a.calls);
        assertEquals(3, ab.calls);
        assertEquals(1, c.calls);

        s.syncCalls(ledger);
        assertEquals(3, a.calls, "a second sync without new calls adds nothing");
        EnergyBridge.exit(EnergyBridge.enter(A));
        EnergyBridge.exit(EnergyBridge.enter(A));
        s.syncCalls(ledger);
        assertEquals(5, a.calls, "then only the calls since the last sync");
        assertEquals(3, ab.calls);
        assertEquals(1, s.contexts().size(), "a live, running thread stays");
    }

    @Test
    void aThreadThatStartedCalledAndEndedBetweenTicksHasItsCallsCountedAndIsForgotten() throws InterruptedException {
        CallPathSampler s = sampler(0);
        onEndedThread(() -> {
            for (int i = 0; i < 4; i++) {
                EnergyBridge.exit(EnergyBridge.enter(C));
            }
        });
        EnergyLedger ledger = ledger();
        s.syncCalls(ledger);
        assertEquals(4, ledger.child(ledger.root(), C).calls);
        assertEquals(1, s.threadsSeen());
        assertTrue(s.contexts().isEmpty(), "its thread is dead: forgotten");
    }

    @Test
    void pathsOverTheCapAndCallsBeyondTheDepthCapAreCountedForLiveAndEndedThreads() throws InterruptedException {
        // Per thread: one path, depth one.
        EnergyBridge.start(1, 1, 0, null);
        CallPathSampler s = sampler(0);
        // This thread: A is its one path; B inside A is beyond the depth; C is a path over the cap.
        PathNode outer = EnergyBridge.enter(A);
        EnergyBridge.exit(EnergyBridge.enter(B));
        EnergyBridge.exit(outer);
        EnergyBridge.exit(EnergyBridge.enter(C));
        // A helper thread: two calls beyond the depth, five paths over the cap; then it ends.
        onEndedThread(() -> {
            PathNode one = EnergyBridge.enter(1);
            EnergyBridge.exit(EnergyBridge.enter(2));
            EnergyBridge.exit(EnergyBridge.enter(2));
            EnergyBridge.exit(one);
            for (int id = 3; id < 8; id++) {
                EnergyBridge.exit(EnergyBridge.enter(id));
            }
        });
        s.sample();
        assertArrayEquals(new long[]{1 + 5, 1 + 2}, s.overCap(), "both threads, live");
        s.syncCalls(ledger());
        assertEquals(1, s.contexts().size(), "the helper is forgotten");
        assertArrayEquals(new long[]{6, 3}, s.overCap(), "its counts are kept after it is forgotten");
        EnergyBridge.exit(EnergyBridge.enter(Integer.MAX_VALUE));
        assertArrayEquals(new long[]{7, 3}, s.overCap(), "and the live thread's new ones are added");
    }

    @Test
    void samplesAndCallsInOtherPathsGoToTheLedgersOtherPathsBucket() {
        EnergyBridge.start(256, 1, 0, null);
        CallPathSampler s = sampler(0);
        EnergyBridge.exit(EnergyBridge.enter(A)); // the one path this thread may have
        PathNode prev = EnergyBridge.enter(B); // over the cap
        tick(s, CallPathSampler.Activity.RUNNING, 3);
        EnergyLedger ledger = ledger();
        IntervalInput.ThreadSlice t = s.closeInterval(ledger, new long[]{0}).get(0);
        assertEquals(1, t.count());
        assertSame(ledger.bucketNode(LedgerNode.OTHER_PATHS), t.nodes()[0]);
        assertEquals(3, t.samples()[0]);
        EnergyBridge.exit(prev);
        EnergyBridge.exit(EnergyBridge.enter(C)); // over the cap again
        s.syncCalls(ledger);
        assertEquals(2, ledger.bucketNode(LedgerNode.OTHER_PATHS).calls);
        assertEquals(1, ledger.child(ledger.root(), A).calls);
    }

    @Test
    void aPathIsResolvedToTheSameLedgerNodeEveryTime() {
        PathNode outer = EnergyBridge.enter(A);
        PathNode inner = EnergyBridge.enter(B);
        ThreadContext ctx = inner.owner;
        PathNode ab = ctx.current();
        EnergyLedger ledger = ledger();
        LedgerNode first = CallPathSampler.resolve(ledger, ab);
        assertSame(first, ab.ledgerNode, "cached on the path");
        assertSame(first, CallPathSampler.resolve(ledger, ab));
        assertEquals(B, first.methodId);
        assertSame(ledger.child(ledger.root(), A), first.parent);
        assertEquals(2, ledger.nodeCount(), "A and A;B, made once");
        EnergyBridge.exit(inner);
        EnergyBridge.exit(outer);
    }

    @Test
    void realThreadsAreRunningWhenRunnableWaitingWhenBlockedAndEndedWhenTerminated() throws Exception {
        CallPathSampler s = new CallPathSampler(ctx -> 0L);
        CountDownLatch release = new CountDownLatch(1);
        Thread blocked = new Thread(() -> {
            PathNode p = EnergyBridge.enter(B);
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            EnergyBridge.exit(p);
        }, "sampler-test-blocked");
        blocked.setDaemon(true);
        blocked.start();
        onEndedThread(() -> EnergyBridge.enter(C));
        PathNode mine = EnergyBridge.enter(A);
        // Wait (bounded) until the blocked thread is parked in the latch, inside B.
        for (int i = 0; i < 10_000_000 && blocked.getState() != Thread.State.TIMED_WAITING; i++) {
            Thread.onSpinWait();
        }
        assertEquals(Thread.State.TIMED_WAITING, blocked.getState());
        try {
            s.sample();
            s.sample();
            EnergyLedger ledger = ledger();
            List<ThreadContext> ctxs = s.contexts();
            assertEquals(3, ctxs.size());
            long[] cpu = new long[ctxs.size()];
            List<IntervalInput.ThreadSlice> slices = s.closeInterval(ledger, cpu);
            // The ended thread gives no slice; the other two do, in the order the sampler adopted them.
            assertEquals(2, slices.size());
            for (int i = 0, k = 0; i < ctxs.size(); i++) {
                ThreadContext c = ctxs.get(i);
                if (c.thread == Thread.currentThread()) {
                    IntervalInput.ThreadSlice t = slices.get(k++);
                    assertEquals(2, t.samples()[0], "this thread is runnable");
                    assertEquals(2, t.wallSamples()[0]);
                } else if (c.thread == blocked) {
                    IntervalInput.ThreadSlice t = slices.get(k++);
                    assertEquals(0, t.samples()[0], "a blocked thread is never running");
                    assertEquals(2, t.wallSamples()[0]);
                } else {
                    assertTrue(CallPathSampler.ended(c), "a terminated thread is ended");
                }
            }
        } finally {
            release.countDown();
            blocked.join(10_000);
            EnergyBridge.exit(mine);
        }
    }
}

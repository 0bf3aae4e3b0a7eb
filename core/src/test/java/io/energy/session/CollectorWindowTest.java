package io.energy.session;

import io.energy.attribute.CallPathSampler;
import io.energy.attribute.EnergyLedger;
import io.energy.attribute.IntervalInput;
import io.energy.power.Domain;
import io.energy.power.PowerSource;
import io.energy.power.ProcStat;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ledger's window begins where the collector takes its first readings, and the stack sampler's start-up
 * account (where each thread's CPU went until the sampler ran) is told so there: taken earlier (it was taken on
 * premain's thread before the collector thread ran), it counted CPU with no energy in the ledger, and the first
 * harvest's samples then stood for more CPU than the harvest's energy paid for (130 ms more in an a-blocked run).
 */
class CollectorWindowTest {
    @Test
    void theWindowStartsOnceOnTheCollectorThreadAfterTheSourceIsReadAndBeforeAnyInterval() throws Exception {
        Domain d = new Domain(Domain.PACKAGE, 0, false, 1_000_000L, "test");
        EnergyLedger ledger = new EnergyLedger(List.of(d),
                new EnergyLedger.Options(true, false, new double[]{Double.NaN}, 1000, id -> false, false));
        AtomicInteger sourceReads = new AtomicInteger();
        PowerSource source = new PowerSource() {
            @Override
            public String name() {
                return "test";
            }

            @Override
            public List<Domain> domains() {
                return List.of(d);
            }

            @Override
            public void read(long nowNanos, long[] cumulativeNanoJoules) {
                sourceReads.incrementAndGet();
                cumulativeNanoJoules[0] = nowNanos;
            }
        };
        AtomicInteger starts = new AtomicInteger();
        AtomicInteger readsAtStart = new AtomicInteger(-1);
        AtomicLong intervalsAtStart = new AtomicLong(-1);
        AtomicReference<Thread> startThread = new AtomicReference<>();
        CountDownLatch intervals = new CountDownLatch(2);
        Collector c = new Collector(new Collector.Listener() {
            @Override
            public long agentCpuNanos() {
                return 0;
            }

            @Override
            public void intervalClosed(IntervalInput in) {
                intervals.countDown();
            }

            @Override
            public void flushed(long nowNanos) {
            }

            @Override
            public void internalError(String where, Throwable t) {
                throw new AssertionError(where, t);
            }

            @Override
            public void windowStarted() {
                starts.incrementAndGet();
                readsAtStart.set(sourceReads.get());
                intervalsAtStart.set(ledger.intervals());
                startThread.set(Thread.currentThread());
            }
        }, ledger, new CallPathSampler(ctx -> 0L), null, source, new ProcStat(), 1_000_000L, 5_000_000L,
                1_000_000_000L);
        c.start();
        try {
            assertTrue(intervals.await(10, TimeUnit.SECONDS), "the collector closes intervals");
        } finally {
            c.stopAndJoin();
        }
        assertEquals(1, starts.get(), "once");
        assertEquals(1, readsAtStart.get(), "right after the first readings");
        assertEquals(0, intervalsAtStart.get(), "before the first interval");
        assertEquals("energy-collector", startThread.get().getName(), "on the collector thread");
        assertNotEquals(0, ledger.intervals());
    }
}

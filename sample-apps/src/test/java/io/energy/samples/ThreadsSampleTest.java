package io.energy.samples;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThreadsSampleTest {
    @Test
    void shortRunDoesHeavyLightAndEventWorkConcurrently() throws Exception {
        ThreadsSample.Result result = ThreadsSample.runFor(300_000_000L, 3);
        assertTrue(result.crunches() >= 1, "crunch ran: " + result);
        assertTrue(result.lights() >= 1, "light ran: " + result);
        assertTrue(result.events() >= 1, "events handled: " + result);
        assertTrue(result.lights() > result.crunches(), "light is the frequent task: " + result);
    }

    @Test
    void zeroSecondsStillRunsEachWorkerOnceAndStops() throws Exception {
        TestIo out = new TestIo();
        assertEquals(0, ThreadsSample.run(new String[] {"0", "workers=2"}, out.stream));
        assertTrue(out.text().startsWith("threads sample: 2 workers, 1 crunch, 1 light, "), out.text());
    }

    @Test
    void waitForEventsIsLongInWallTimeButNearlyFreeInCpuTime() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        BlockingQueue<Long> events = new LinkedBlockingQueue<>();
        Thread producer = new Thread(() -> {
            try {
                for (long e = 0; e < 4; e++) {
                    events.put(e);
                    Thread.sleep(200);
                }
                events.put(-1L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        AtomicLong handled = new AtomicLong();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        producer.start();
        long sum = ThreadsSample.waitForEvents(events, System.nanoTime() + 5_000_000_000L, handled);
        long wall = System.nanoTime() - wall0;
        long cpu = threads.getCurrentThreadCpuTime() - cpu0;
        producer.join();
        assertEquals(4, handled.get());
        assertEquals((0 + 1 + 2 + 3) * 31 + 4 * 7, sum);
        assertTrue(wall >= 600_000_000L, "it waited for all events: " + wall + " ns");
        assertTrue(cpu < wall / 10, "mostly blocked: cpu " + cpu + " ns of " + wall + " ns wall");
    }

    @Test
    void crunchIsAHundredTimesTheArithmeticOfLight() {
        assertEquals(100, ThreadsSample.CRUNCH_STEPS / ThreadsSample.LIGHT_STEPS);
        assertEquals(ThreadsSample.crunch(5), ThreadsSample.mix(5, ThreadsSample.CRUNCH_STEPS));
        assertTrue(ThreadsSample.mix(1, 1_000) != ThreadsSample.mix(2, 1_000));
    }
}

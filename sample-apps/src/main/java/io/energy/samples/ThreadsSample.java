package io.energy.samples;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code threads [seconds] [workers=N] [tasks=N]}: a worker pool running tasks of different intensity at the same
 * time, plus one thread that is alive for the whole run but almost never on a CPU.
 *
 * <p>Each pool worker takes tasks from one shared sequence: every {@value #CRUNCH_EVERY}th task is
 * {@link #crunch} (tens of milliseconds of pure arithmetic), the rest are {@link #light} (a fraction of
 * a millisecond of arithmetic, then a short wait as if for I/O). Both kinds therefore run concurrently on
 * the same threads, and per-thread attribution alone cannot tell them apart: only per-method attribution
 * can. {@code crunch} should get most of the energy though {@code light} gets most of the calls.
 *
 * <p>A separate thread runs {@link #waitForEvents} for the whole run, blocking on a queue and handling an
 * event a few times per second. Its method is the longest in wall time and must get very little energy:
 * attribution by wall time (or by stack samples of all threads) would wrongly give it a large share.
 */
public final class ThreadsSample {
    /** One task in this many is a {@link #crunch}. */
    static final int CRUNCH_EVERY = 5;
    /** Arithmetic steps in one {@link #crunch}: tens of milliseconds on a current core. */
    static final int CRUNCH_STEPS = 20_000_000;
    /** Arithmetic steps in one {@link #light}: about 1% of a crunch. */
    static final int LIGHT_STEPS = 200_000;
    /** The wait after each light task, standing in for a call to a database or another service. */
    static final long LIGHT_PAUSE_MILLIS = 2;
    /** How often the event thread is woken up. */
    static final long EVENT_PERIOD_MILLIS = 200;

    private ThreadsSample() {
    }

    public static void main(String[] args) throws Exception {
        int code = run(args, System.out);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs the sample and returns its exit code (tests call this in-process). */
    public static int run(String[] args, PrintStream out) throws Exception {
        Args parsed = new Args("threads", args).allow("seconds", "workers", "tasks").maxPositional(1);
        double seconds = parsed.seconds(0, 3.0);
        int workers = (int) parsed.option("workers", 4, 1, 256);
        long tasks = parsed.option("tasks", 0, 0, 1_000_000_000L);
        long start = System.nanoTime();
        Result result = tasks > 0 ? runTasks(tasks, workers) : runFor((long) (seconds * 1e9), workers);
        double took = tasks > 0 ? (System.nanoTime() - start) / 1e9 : seconds;
        out.println("threads sample: " + workers + " workers, " + result.crunches + " crunch, " + result.lights
                + " light, " + result.events + " events in " + String.format(Locale.ROOT, "%.1f", took)
                + " s, checksum " + Long.toHexString(result.checksum));
        return 0;
    }

    /** What one run did; the counts let tests check that every kind of work really happened. */
    record Result(long crunches, long lights, long events, long checksum) {
    }

    /**
     * Runs the pool and the event thread for {@code nanos} and returns what they did. Every worker does at
     * least one task and the event thread handles at least one event even for a zero-length run, so the
     * methods always appear in a profile.
     */
    static Result runFor(long nanos, int workers) throws Exception {
        return runWork(System.nanoTime() + nanos, Long.MAX_VALUE, workers);
    }

    /**
     * Fixed work instead of a fixed time: exactly {@code tasks} tasks (the same mix of crunch and light),
     * however long they take, so that runs with and without a profiler can be timed against each other.
     */
    static Result runTasks(long tasks, int workers) throws Exception {
        return runWork(System.nanoTime() + (1L << 62), tasks, workers);
    }

    private static Result runWork(long end, long taskLimit, int workers) throws Exception {
        boolean fixedWork = taskLimit != Long.MAX_VALUE;
        AtomicLong taskSequence = new AtomicLong();
        AtomicLong crunches = new AtomicLong();
        AtomicLong lights = new AtomicLong();
        AtomicLong checksum = new AtomicLong();
        BlockingQueue<Long> events = new LinkedBlockingQueue<>();

        AtomicLong handled = new AtomicLong();
        Thread waiter = new Thread(() -> {
            try {
                checksum.addAndGet(waitForEvents(events, end, handled));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "event-waiter");
        waiter.start();

        ExecutorService pool = Executors.newFixedThreadPool(workers, named("worker"));
        CountDownLatch workersLeft = new CountDownLatch(workers);
        try {
            List<Future<?>> loops = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                loops.add(pool.submit(() -> {
                    do {
                        long task = taskSequence.getAndIncrement();
                        if (task >= taskLimit) {
                            break;
                        }
                        if (task % CRUNCH_EVERY == 0) {
                            checksum.addAndGet(crunch(task));
                            crunches.incrementAndGet();
                        } else {
                            checksum.addAndGet(light(task));
                            lights.incrementAndGet();
                        }
                    } while (fixedWork || System.nanoTime() < end);
                    workersLeft.countDown();
                    return null;
                }));
            }
            // The producer side of the event queue: a timer-like loop on the main thread
            long sent = 0;
            do {
                events.put(sent++);
                long sleep = Math.min(EVENT_PERIOD_MILLIS, Math.max(0, (end - System.nanoTime()) / 1_000_000));
                if (workersLeft.await(sleep, TimeUnit.MILLISECONDS) && fixedWork) {
                    break; // the work is done: end now, not at the next period
                }
            } while (System.nanoTime() < end);
            events.put(-1L); // stop marker: wakes the waiter at once instead of at its next timeout
            for (Future<?> loop : loops) {
                loop.get();
            }
        } finally {
            pool.shutdownNow();
        }
        waiter.join();
        return new Result(crunches.get(), lights.get(), handled.get(), checksum.get());
    }

    /**
     * Heavy CPU work: a long chain of integer arithmetic (an xorshift generator) that the JIT cannot
     * remove or vectorise away, seeded by the task number so results are not constant.
     */
    static long crunch(long task) {
        return mix(task, CRUNCH_STEPS);
    }

    /**
     * Light work: a hundredth of a crunch of arithmetic, then a short wait such as a real service spends
     * on I/O. High call count, low power.
     */
    static long light(long task) throws InterruptedException {
        long value = mix(task, LIGHT_STEPS);
        Thread.sleep(LIGHT_PAUSE_MILLIS);
        return value;
    }

    /**
     * Waits for events until {@code endNanos} and handles each with a trivial computation. It is the
     * longest method of the run in wall time yet nearly all of that time is spent blocked in
     * {@link BlockingQueue#poll}, off the CPU. Counts the events it handled in {@code handled} and
     * returns a checksum of them. A negative event is the stop marker.
     */
    static long waitForEvents(BlockingQueue<Long> events, long endNanos, AtomicLong handled)
            throws InterruptedException {
        long sum = 0;
        while (true) {
            long remaining = endNanos - System.nanoTime();
            // After the deadline, wait briefly for the stop marker so a late producer is still drained
            Long event = events.poll(Math.max(remaining, 50_000_000L), TimeUnit.NANOSECONDS);
            if (event == null || event < 0) {
                break;
            }
            sum += event * 31 + 7;
            handled.incrementAndGet();
        }
        return sum;
    }

    /** {@code steps} rounds of xorshift64: pure ALU work, a fixed amount per call. */
    static long mix(long seed, int steps) {
        long x = seed * 0x9E3779B97F4A7C15L + 1;
        for (int i = 0; i < steps; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        return x;
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger next = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + next.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}

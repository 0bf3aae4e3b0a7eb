package io.energy.api;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One measurement window, from {@link Energy#begin(String)} to {@link #end()}. Thread-safe; ending twice
 * returns the first reading.
 *
 * <p>The agent attributes energy per interval ({@code interval}, 100 ms by default), so {@link #end()} waits
 * until the interval that contains the window's end has been closed: at most about one interval, bounded by
 * two intervals (the agent answers with an unavailable reading then), and at most {@link #END_WAIT_MILLIS}
 * if the agent does not answer at all. {@link #endAsync()} does not wait.
 */
public final class EnergyWindow implements AutoCloseable {
    /** The longest {@link #end()} waits for the agent before returning an unavailable reading. */
    public static final long END_WAIT_MILLIS = 30_000;

    private final String label;
    private final Function<Object[], Object> hook;
    private final Object id;
    private final String beginProblem;
    private final long beginNanos;
    private final long beginProcessCpu;
    private final long beginThreadCpu;
    private final Thread beginThread;
    private CompletableFuture<EnergyReading> result;

    private EnergyWindow(String label, Function<Object[], Object> hook, Object id, String beginProblem) {
        this.label = label;
        this.hook = hook;
        this.id = id;
        this.beginProblem = beginProblem;
        this.beginThread = Thread.currentThread();
        this.beginThreadCpu = threadCpu();
        this.beginProcessCpu = processCpu();
        this.beginNanos = System.nanoTime();
    }

    static EnergyWindow begin(String label, Function<Object[], Object> hook) {
        if (hook == null) {
            return new EnergyWindow(label, null, null, Energy.unavailableReason());
        }
        try {
            Object r = hook.apply(new Object[] {"begin", label});
            if (r instanceof Long) {
                return new EnergyWindow(label, hook, r, null);
            }
            return new EnergyWindow(label, null, null, r instanceof String s ? s : Energy.NOT_MEASURING);
        } catch (RuntimeException e) {
            return new EnergyWindow(label, null, null, "the energy agent refused the window: " + e);
        }
    }

    public String label() {
        return label;
    }

    /** True if the agent is measuring this window (the reading may still come back unavailable). */
    public boolean measured() {
        return id != null;
    }

    /** Ends the window and waits for its reading (about one attribution interval at most). Never throws. */
    public EnergyReading end() {
        CompletableFuture<EnergyReading> f = endAsync();
        try {
            return f.get(END_WAIT_MILLIS + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable("interrupted while waiting for the agent's reading");
        } catch (ExecutionException | TimeoutException e) {
            return unavailable("no reading from the agent: " + e);
        }
    }

    /**
     * Ends the window now and returns its reading when the agent has it. The future completes on a
     * common-pool thread, never on the agent's own thread.
     */
    public synchronized CompletableFuture<EnergyReading> endAsync() {
        if (result != null) {
            return result;
        }
        long endNanos = System.nanoTime();
        long threadCpu = Thread.currentThread() == beginThread ? threadCpu() : -1;
        long processCpu = processCpu();
        Timing t = new Timing(endNanos - beginNanos,
                beginProcessCpu >= 0 && processCpu >= 0 ? processCpu - beginProcessCpu : -1,
                beginThreadCpu >= 0 && threadCpu >= 0 ? threadCpu - beginThreadCpu : -1);
        if (hook == null) {
            result = CompletableFuture.completedFuture(EnergyReading.unavailable(label, beginProblem, t));
            return result;
        }
        Object r;
        try {
            r = hook.apply(new Object[] {"end", id});
        } catch (RuntimeException e) {
            r = "the energy agent failed to end the window: " + e;
        }
        if (r instanceof Future<?> fut) {
            CompletableFuture<?> cf = fut instanceof CompletableFuture<?> c ? c
                    : CompletableFuture.supplyAsync(() -> {
                        try {
                            return fut.get();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
            result = cf.orTimeout(END_WAIT_MILLIS, TimeUnit.MILLISECONDS)
                    .handleAsync((v, err) -> err != null
                            ? EnergyReading.unavailable(label, "no reading from the agent: " + rootCause(err), t)
                            : EnergyReading.fromAgent(label, asMap(v), t));
        } else {
            result = CompletableFuture.completedFuture(EnergyReading.unavailable(label,
                    r instanceof String s ? s : Energy.NOT_MEASURING, t));
        }
        return result;
    }

    /** Ends the window (if not yet ended), discarding the reading: for try-with-resources. */
    @Override
    public void close() {
        endAsync();
    }

    private EnergyReading unavailable(String why) {
        return EnergyReading.unavailable(label, why, new Timing(System.nanoTime() - beginNanos, -1, -1));
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object v) {
        return v instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of("available", false,
                "reason", "the agent answered with " + v);
    }

    /** Wall and CPU time measured here, with or without an agent. */
    record Timing(long wallNanos, long processCpuNanos, long threadCpuNanos) {
    }

    private static long threadCpu() {
        try {
            ThreadMXBean b = ManagementFactory.getThreadMXBean();
            return b.isCurrentThreadCpuTimeSupported() ? b.getCurrentThreadCpuTime() : -1;
        } catch (RuntimeException | LinkageError e) {
            return -1;
        }
    }

    private static long processCpu() {
        try {
            return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                    ? os.getProcessCpuTime() : -1;
        } catch (RuntimeException | LinkageError e) {
            return -1;
        }
    }
}

package io.energy.sampling;

import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingStream;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU-time samples from JDK 25's JFR CPU-time sampler ({@code jdk.CPUTimeSample}, JEP 509): the fallback
 * where async-profiler cannot run. It samples Java threads by their CPU time, but only Java frames (the
 * JVM's own threads are not sampled, so GC and JIT energy lands on the application's samples), its stacks
 * are cut at the recording's stack depth (64 frames unless the JVM was started with
 * {@code -XX:FlightRecorderOptions:stackdepth=N}), and its events arrive about a second late (JFR flushes
 * its stream once a second), so CPU energy waits in the ledger for them.
 */
public final class JfrCpuTimeSampler implements StackSampler {
    static final String EVENT = "jdk.CPUTimeSample";

    private final RecordingStream stream;
    private final StackClassifier classifier;
    private final long periodNanos;
    private final Map<String, Stack> parsed = new HashMap<>();
    private Map<String, long[]> arrived = new HashMap<>();
    private long lost;
    private volatile String problem;
    private long harvestCpu;

    private JfrCpuTimeSampler(RecordingStream stream, StackClassifier classifier, long periodNanos) {
        this.stream = stream;
        this.classifier = classifier;
        this.periodNanos = periodNanos;
    }

    /** True if this JVM has the CPU-time sampler (JDK 25 and later, on Linux). */
    public static boolean available() {
        try {
            for (EventType t : FlightRecorder.getFlightRecorder().getEventTypes()) {
                if (t.getName().equals(EVENT)) {
                    return true;
                }
            }
        } catch (Throwable t) {
            return false;
        }
        return false;
    }

    public static JfrCpuTimeSampler start(FrameIds ids, int maxDepth, long periodNanos) {
        if (!available()) {
            throw new IllegalStateException("this JVM has no JFR CPU-time sampler (" + EVENT + " needs JDK 25+ on Linux)");
        }
        RecordingStream rs = new RecordingStream();
        JfrCpuTimeSampler s = new JfrCpuTimeSampler(rs, new StackClassifier(ids, maxDepth), periodNanos);
        rs.enable(EVENT).with("throttle", Math.max(1, periodNanos / 1_000_000) + "ms").withStackTrace();
        rs.enable("jdk.CPUTimeSamplesLost");
        rs.onEvent(EVENT, s::take);
        rs.onEvent("jdk.CPUTimeSamplesLost", e -> s.lost(e));
        rs.onError(t -> s.problem = "JFR CPU-time sampling failed (" + t + ")");
        // The stream's thread must be a daemon: a JVM whose main method ended must not wait for it. start()
        // runs the stream on the calling thread until it is closed, so it gets a daemon thread of its own.
        Thread t = new Thread(() -> {
            try {
                rs.start();
            } catch (Throwable e) {
                s.problem = "JFR CPU-time sampling stopped (" + e + ")";
            }
        }, "energy-jfr-sampler");
        t.setDaemon(true);
        t.start();
        return s;
    }

    private void take(RecordedEvent e) {
        RecordedStackTrace st = e.getStackTrace();
        if (st == null) {
            return;
        }
        List<RecordedFrame> frames = st.getFrames();
        StringBuilder key = new StringBuilder(frames.size() * 32);
        for (int i = frames.size() - 1; i >= 0; i--) {
            RecordedFrame f = frames.get(i);
            if (f.getMethod() == null || !f.isJavaFrame()) {
                continue;
            }
            if (key.length() > 0) {
                key.append(';');
            }
            key.append(f.getMethod().getType().getName()).append('.').append(f.getMethod().getName());
        }
        // The sampled thread goes in front of the stack (digits and a '#', which no class name starts with):
        // samples of one thread share its CPU clock, which the ledger's bounds use.
        long tid = StackSamples.NO_THREAD;
        try {
            jdk.jfr.consumer.RecordedThread t = e.getThread("sampledThread");
            if (t != null) {
                tid = t.getJavaThreadId();
            }
        } catch (RuntimeException ignored) {
            // An event without the field: the sample still counts, with no thread.
        }
        String k = (tid < 0 ? "" : Long.toString(tid)) + '#' + key;
        synchronized (this) {
            arrived.computeIfAbsent(k, x -> new long[1])[0]++;
        }
    }

    private synchronized void lost(RecordedEvent e) {
        try {
            lost += e.getLong("lostSamples");
        } catch (RuntimeException ignored) {
            lost++;
        }
    }

    @Override
    public String name() {
        return "jfr-cpu-time";
    }

    @Override
    public String describe() {
        return "JFR CPU-time sampler (jdk.CPUTimeSample), one sample per " + periodNanos / 1_000_000.0
                + " ms of CPU time per thread (Java threads and frames only; stacks cut at JFR's stack depth)";
    }

    @Override
    public long periodNanos() {
        return periodNanos;
    }

    @Override
    public StackSamples harvest(long nowNanos, boolean force) {
        long cpu0 = cpuNow();
        Map<String, long[]> batch;
        synchronized (this) {
            batch = arrived;
            arrived = new HashMap<>();
        }
        // JFR's CPU-time sampler arms one CPU-time timer per thread: each thread ticks on its own clock.
        StackSamples out = new StackSamples(periodNanos, true);
        for (Map.Entry<String, long[]> e : batch.entrySet()) {
            String key = e.getKey();
            int hash = key.indexOf('#');
            long tid = hash > 0 ? Long.parseLong(key.substring(0, hash)) : StackSamples.NO_THREAD;
            Stack s = parsed.computeIfAbsent(key.substring(hash + 1), k -> k.isEmpty()
                    ? new Stack(ThreadKind.VM, new int[0]) : classifier.classify(k));
            out.add(s, e.getValue()[0], tid);
        }
        if (parsed.size() > 100_000) {
            parsed.clear();
        }
        harvestCpu += Math.max(0, cpuNow() - cpu0);
        return out;
    }

    private static long cpuNow() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    /** Samples the JVM reported as lost (its queue was full). */
    public synchronized long lostSamples() {
        return lost;
    }

    @Override
    public String problem() {
        return problem;
    }

    @Override
    public long harvestCpuNanos() {
        return harvestCpu;
    }

    /** {@code RecordingStream.stop()} (JDK 20+) ends the recording and hands every event over before returning. */
    @Override
    public void drain() {
        try {
            Thread t = new Thread(() -> {
                try {
                    RecordingStream.class.getMethod("stop").invoke(stream);
                } catch (Throwable ignored) {
                    // older JDK or already closed: what arrived is what there is
                }
            }, "energy-jfr-drain");
            t.setDaemon(true);
            t.start();
            t.join(3_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        try {
            stream.close();
        } catch (Throwable ignored) {
            // best effort
        }
    }
}

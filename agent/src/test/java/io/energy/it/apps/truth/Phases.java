package io.energy.it.apps.truth;

import io.energy.it.apps.Truth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-method-power case: methods that draw different power per CPU-second. The suite writes a
 * schedule ({@code phase <A|B> <startEpochNs> <endEpochNs>} lines) and a replay trace in Unix epoch time
 * with {@link #phaseA}'s windows at one power and {@link #phaseB}'s at another (0 W elsewhere); this
 * program runs each method exactly in its windows, on the wall clock, and writes what happened: for each
 * phase, when it really ran, its thread's CPU time and the CPU time of every thread of the process over the
 * phase (so the truth can give the other threads, the JIT and the agent, their CPU share of the phase's
 * energy, as the physics does). Phases start within a few microseconds of their window (sleep, then spin).
 *
 * <p>Truth file lines: {@code phase <method> <startEpochNs> <endEpochNs> <methodCpuNs> <processCpuNs>}.
 */
public final class Phases {
    private static volatile long sink;

    private Phases() {
    }

    record Phase(String method, long start, long end) {
    }

    public static void main(String[] args) throws Exception {
        Truth.start();
        List<Phase> schedule = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8)) {
            String[] f = line.trim().split(" ");
            if (f[0].equals("phase")) {
                schedule.add(new Phase(f[1], Long.parseLong(f[2]), Long.parseLong(f[3])));
            }
        }
        // Warm both methods up (while the trace says 0 W) so that the JIT is done before the first window.
        long warm = Math.min(epochNanos() + 1_000_000_000L, schedule.get(0).start() - 50_000_000L);
        while (epochNanos() < warm) {
            phaseA(epochNanos() + 5_000_000L);
            phaseB(epochNanos() + 5_000_000L);
        }
        StringBuilder out = new StringBuilder();
        for (Phase p : schedule) {
            // The other threads' CPU is read before the last few milliseconds of waiting (reading /proc takes
            // a while on a loaded machine, and the phase must start on time); this thread's own CPU is read
            // from its CPU clock right at the start and end of the phase.
            sleepUntil(p.start() - 3_000_000L);
            long others0 = processCpuNanos() - Truth.cpu();
            sleepUntil(p.start());
            long cpu0 = Truth.cpu();
            long t0 = epochNanos();
            if (p.method().equals("A")) {
                phaseA(p.end());
            } else {
                phaseB(p.end());
            }
            long t1 = epochNanos();
            long cpu1 = Truth.cpu();
            long others1 = processCpuNanos() - Truth.cpu();
            long proc = (cpu1 - cpu0) + Math.max(0, others1 - others0);
            out.append("phase ").append(Truth.PKG).append(p.method().equals("A") ? "Phases.phaseA" : "Phases.phaseB")
                    .append(' ').append(t0).append(' ').append(t1).append(' ').append(cpu1 - cpu0).append(' ')
                    .append(proc).append('\n');
        }
        Truth.fact("phases", Integer.toString(schedule.size()));
        Truth.finish(args[0]);
        Files.writeString(Path.of(args[0]), out.toString(), StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
    }

    /** Computes until the wall clock reaches {@code endEpochNs}. */
    static void phaseA(long endEpochNs) {
        long x = endEpochNs | 1;
        do {
            for (int i = 0; i < 500; i++) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
            }
        } while (epochNanos() < endEpochNs);
        sink += x;
    }

    /** The same kind of work as {@link #phaseA}, in other windows at another power. */
    static void phaseB(long endEpochNs) {
        long x = endEpochNs | 3;
        do {
            for (int i = 0; i < 500; i++) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
            }
        } while (epochNanos() < endEpochNs);
        sink += x;
    }

    private static final long OFFSET;

    static {
        Instant now = Instant.now();
        long nano = System.nanoTime();
        OFFSET = now.getEpochSecond() * 1_000_000_000L + now.getNano() - nano;
    }

    /** Wall-clock time in ns, paired with nanoTime once (the agent's replay does the same). */
    static long epochNanos() {
        return System.nanoTime() + OFFSET;
    }

    /** Sleeps to 2 ms before {@code t}, then spins to it: phases start within microseconds of their window. */
    static void sleepUntil(long t) throws InterruptedException {
        long left;
        while ((left = t - epochNanos()) > 2_000_000L) {
            Thread.sleep((left - 2_000_000L) / 1_000_000L, 0);
        }
        while (epochNanos() < t) {
            Thread.onSpinWait();
        }
    }

    /**
     * CPU time of every thread of the process, ns, from /proc/self/task/N/schedstat (nanosecond counters;
     * this thread's own from its CPU clock, since schedstat lags by up to a tick for a running thread).
     */
    static long processCpuNanos() throws IOException {
        long own = Truth.cpu();
        String self = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
        long sum = own;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : tasks) {
                if (t.getFileName().toString().equals(self)) {
                    continue;
                }
                try {
                    String s = Files.readString(t.resolve("schedstat"));
                    sum += Long.parseLong(s.substring(0, s.indexOf(' ')));
                } catch (IOException | RuntimeException gone) {
                    // the thread ended between the listing and the read
                }
            }
        }
        return sum;
    }
}

package io.energy.it.apps.truth;

import io.energy.it.apps.Truth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * The per-method-power case: methods that draw different power per CPU-second. The suite writes a
 * schedule ({@code phase <A|B> <startEpochNs> <endEpochNs>} lines) and a replay trace in Unix epoch time
 * with {@link #phaseA}'s windows at one power and {@link #phaseB}'s at another (0 W elsewhere); this
 * program runs each method exactly in its windows, on the wall clock, and writes what happened: for each
 * phase, when it really ran, its thread's CPU time and the CPU time of every thread of the process over the
 * phase (so the truth can give the other threads, the JIT and the agent, their CPU share of the phase's
 * energy, as the physics does). Phases start within a few microseconds of their window (park, then spin).
 *
 * <p>Truth file lines: {@code phase <method> <startEpochNs> <endEpochNs> <methodCpuNs> <processCpuNs> <threadsBorn>
 * <threadsEnded>} (other threads found new by the read after the phase, or found ended by the reads beside it).
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
        // Warm both methods up (while the trace says 0 W) so that the JIT is done before the first window. The
        // warm-up ends a second before it: the agent splits the energy between two harvests of its stack sampler
        // over the samples taken between them, and harvests early when the power changes, so samples taken at 0 W
        // since the last harvest share the first interval of the first phase (warm-up samples of both methods, at
        // phaseA's watts). Harvests are a few hundred milliseconds apart once the harvest's code is warm.
        long warm = Math.min(epochNanos() + 1_000_000_000L, schedule.get(0).start() - 1_000_000_000L);
        while (epochNanos() < warm) {
            phaseA(epochNanos() + 5_000_000L);
            phaseB(epochNanos() + 5_000_000L);
        }
        StringBuilder out = new StringBuilder();
        OtherThreads others = new OtherThreads();
        for (Phase p : schedule) {
            // The other threads are listed and their files opened in the middle of the gap, far from any phase;
            // before the phase only the open files are read again, after it the task list too (listing, opening and
            // reading /proc as strings took 1-2.5 ms a phase, CPU at 0 W that the agent gave the phase's watts).
            // This thread's own CPU is read from its CPU clock right at the start and end of the phase.
            sleepUntil(p.start() - 75_000_000L);
            others.refresh();
            sleepUntil(p.start() - 1_000_000L);
            others.read(false);
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
            // After the phase the task list is read again (no file opened unless a thread is new): a thread born
            // during the phase (the agent's writer, started at the budget's first unweave; a compiler thread the JVM
            // adds) used CPU in it.
            long proc = (cpu1 - cpu0) + others.read(true);
            out.append("phase ").append(Truth.PKG).append(p.method().equals("A") ? "Phases.phaseA" : "Phases.phaseB")
                    .append(' ').append(t0).append(' ').append(t1).append(' ').append(cpu1 - cpu0).append(' ')
                    .append(proc).append(' ').append(others.born).append(' ').append(others.ended).append('\n');
            others.born = 0;
            others.ended = 0;
        }
        Truth.fact("phases", Integer.toString(schedule.size()));
        Truth.finish(args[0]);
        Files.writeString(Path.of(args[0]), out.toString(), StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
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

    /**
     * Parks to {@link #SPIN_NANOS} before {@code t}, then spins to it: phases start within microseconds of their
     * window. The spin is short because it is CPU of this process at 0 W right beside a phase: the agent, which reads
     * power once per interval, cannot tell it from the phase it precedes and gives it the phase's watts (a 2 ms spin
     * plus the sleep's wake-up took about 0.8% of the windows' energy, measured on 2026-12-03).
     */
    static void sleepUntil(long t) {
        long left;
        while ((left = t - epochNanos()) > SPIN_NANOS) {
            LockSupport.parkNanos(left - SPIN_NANOS);
        }
        while (epochNanos() < t) {
            Thread.onSpinWait();
        }
    }

    /** How long before a phase the wait stops parking and spins (parkNanos wakes within ~0.1 ms here). */
    private static final long SPIN_NANOS = 300_000L;

    /**
     * The CPU time of every other thread of the process, from {@code /proc/self/task/N/schedstat} (nanosecond
     * counters), with each file opened once and read again in place ({@code pread} at offset 0 makes procfs
     * produce the line anew).
     */
    static final class OtherThreads {
        private final String self;
        private final Map<String, FileChannel> files = new HashMap<>();
        private final Map<String, Long> last = new HashMap<>();
        private final ByteBuffer buf = ByteBuffer.allocate(128);
        /** Threads found new, and threads found ended, by {@link #read} since these were last reset (the truth
         * file says so for each phase: a thread that ended took the CPU it used since the last read with it). */
        int born;
        int ended;

        OtherThreads() throws IOException {
            self = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
        }

        /** Opens the files of threads that started since the last call, and closes those of threads that ended. */
        void refresh() throws IOException {
            Set<String> alive = openNew(null);
            for (Iterator<Map.Entry<String, FileChannel>> it = files.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, FileChannel> e = it.next();
                if (!alive.contains(e.getKey())) {
                    e.getValue().close();
                    last.remove(e.getKey());
                    it.remove();
                }
            }
        }

        /**
         * Lists the task directory and opens the file of every thread not open yet.
         *
         * @param opened where to put the tids opened now, or null
         * @return the tids listed (this thread's excepted)
         */
        private Set<String> openNew(Set<String> opened) throws IOException {
            Set<String> alive = new HashSet<>();
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
                for (Path t : tasks) {
                    String tid = t.getFileName().toString();
                    if (tid.equals(self)) {
                        continue;
                    }
                    alive.add(tid);
                    if (!files.containsKey(tid)) {
                        try {
                            files.put(tid, FileChannel.open(t.resolve("schedstat"), StandardOpenOption.READ));
                            if (opened != null) {
                                opened.add(tid);
                            }
                        } catch (IOException gone) {
                            alive.remove(tid); // ended between the listing and the open
                        }
                    }
                }
            }
            return alive;
        }

        /**
         * Reads every open file; returns the CPU the other threads used since the previous read. A thread read for
         * the first time counts from that read on, except one found by {@code adoptNew}: it was born since the last
         * listing, and all its CPU counts. A thread that ended since keeps its last value (counted in
         * {@link #ended}).
         */
        long read(boolean adoptNew) throws IOException {
            Set<String> bornNow = new HashSet<>();
            if (adoptNew) {
                openNew(bornNow);
                born += bornNow.size();
            }
            long sum = 0;
            for (Map.Entry<String, FileChannel> e : files.entrySet()) {
                buf.clear();
                long ns = 0;
                int digits = 0;
                try {
                    e.getValue().read(buf, 0);
                    for (int i = 0; i < buf.position() && buf.get(i) >= '0' && buf.get(i) <= '9'; i++) {
                        ns = ns * 10 + (buf.get(i) - '0');
                        digits++;
                    }
                } catch (IOException gone) {
                    if (last.remove(e.getKey()) != null) {
                        ended++; // once: its file stays open, unread, until the next refresh closes it
                    }
                    continue;
                }
                if (digits == 0) {
                    continue; // not a schedstat line: leave the last value as it was
                }
                Long before = last.put(e.getKey(), ns);
                if (before != null) {
                    sum += Math.max(0, ns - before);
                } else if (bornNow.contains(e.getKey())) {
                    sum += ns;
                }
            }
            return sum;
        }
    }
}

package io.energy.sampling;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Reads, at each harvest, the CPU clock of the threads the harvest has samples of ({@code /proc/self/task/T/schedstat},
 * nanoseconds on a CPU), and tells the harvest what each used since its last reading
 * ({@link StackSamples#setThreadCpu}).
 *
 * <p>Why: a CPU-time sampler ticks each thread once per period of that thread's CPU, so a harvest's samples stand
 * for the process's CPU less the part no tick fell in: a thread's last part of a period, and threads that ran less
 * than a period between harvests. Split by count, that CPU's energy followed whatever was sampled beside it; in a
 * program whose busy thread shares the process with a few lightly used ones (a server, the JIT, GC) the busy method
 * read 4–7 share points high under constant power (docs/accuracy.md, "CPU that no sample stands for"). With each
 * sampled thread's own CPU, the ledger pays its samples for what it used, and the rest of the process's CPU goes to
 * no method.
 *
 * <p>Only the threads a harvest names are read (a walk of every thread costs 1.4–19 ms of CPU with 20–620
 * threads), at most {@link #MAX_THREADS} of them; a harvest that names more is paid by count, as before.
 */
public final class ThreadClocks {
    /** Most threads read per harvest: a few hundred file reads are ~5 ms of CPU, a harvest's whole budget. */
    static final int MAX_THREADS = 128;
    /** Harvests a thread may go unnamed and still be read at each harvest (its reading kept current). */
    static final int RECENT_HARVESTS = 8;

    private final Path taskDir;
    private final boolean available;
    /** Per thread: its CPU clock at its last reading, the harvest that read it, the last harvest that named it. */
    private final Map<Long, long[]> last = new HashMap<>();
    private long harvests;

    public ThreadClocks() {
        this(Path.of("/proc/self/task"));
    }

    /** @param taskDir a {@code /proc/PID/task} directory (a test's fake one) */
    public ThreadClocks(Path taskDir) {
        this.taskDir = taskDir;
        this.available = java.nio.file.Files.isDirectory(taskDir);
    }

    /**
     * Reads the clocks of the threads {@code s} names, and of those named by the last {@link #RECENT_HARVESTS}
     * harvests, and records in {@code s} what each named thread used since its last reading. A thread read while it
     * has no samples only moves its reading on: the CPU it used then is in no harvest's samples and goes to no
     * method, and the next harvest that names it pays it for that harvest's span alone, not for every span since.
     * <ul>
     *   <li>The first harvest records nothing, it only takes the readings: its samples carry the start-up's CPU as
     *   well (see the session's background start), which no clock reading here could tell apart.</li>
     *   <li>A harvest with no samples moves no reading: its energy waits for the next samples, and so does the
     *   span the next readings cover.</li>
     *   <li>A thread named for the first time (or whose id the kernel reused): if its clock is below its samples
     *   plus one period it began within the span, and its clock is what it used; else it is an old thread that
     *   ran less than a period at a time until now, and it is paid its samples and half a period.</li>
     *   <li>A harvest that names more than {@link #MAX_THREADS} threads is paid by count, and every reading starts
     *   afresh after it (a reading left behind would pay its thread for several spans at once).</li>
     * </ul>
     */
    public void read(StackSamples s) {
        harvests++;
        boolean first = harvests == 1;
        Map<Long, Long> named = s.samplesByThread();
        if (!available || named.isEmpty()) {
            return;
        }
        if (named.size() > MAX_THREADS) {
            last.clear();
            return;
        }
        Set<Long> toRead = new HashSet<>(named.keySet());
        for (Iterator<Map.Entry<Long, long[]>> it = last.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, long[]> e = it.next();
            if (harvests - e.getValue()[2] > RECENT_HARVESTS) {
                it.remove(); // not named for a while: its next reading starts afresh
            } else if (!toRead.contains(e.getKey())) {
                if (toRead.size() < MAX_THREADS) {
                    toRead.add(e.getKey());
                } else {
                    it.remove(); // not read now: a reading left behind would pay for several spans later
                }
            }
        }
        long period = s.periodNanos();
        for (long tid : toRead) {
            long now = ThreadCpuSnapshot.schedstatCpuNanos(taskDir.resolve(Long.toString(tid)).resolve("schedstat"));
            Long samples = named.get(tid);
            long[] before = last.get(tid);
            if (now < 0) {
                // Gone: the thread ended after its last tick.
                if (samples != null && !first) {
                    s.setThreadCpu(tid, StackSamples.CPU_ENDED);
                }
                last.remove(tid);
                continue;
            }
            long lastNamed = samples != null ? harvests : before[2];
            last.put(tid, new long[]{now, harvests, lastNamed});
            if (samples == null || first) {
                continue;
            }
            if (before != null && now >= before[0]) {
                s.setThreadCpu(tid, now - before[0]);
            } else {
                // First reading (or a clock that went back: a new thread with a reused id).
                long ticks = samples * period;
                s.setThreadCpu(tid, now < ticks + period ? now : ticks + period / 2);
            }
        }
    }

    /** Whether this machine has per-thread clocks to read (Linux's {@code /proc/self/task}); else nothing is read. */
    public boolean available() {
        return available;
    }
}

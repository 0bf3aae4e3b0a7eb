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
     */
    public void read(StackSamples s) {
        harvests++;
        Set<Long> named = new HashSet<>();
        for (int i = 0; i < s.size(); i++) {
            if (s.thread(i) != StackSamples.NO_THREAD) {
                named.add(s.thread(i));
            }
        }
        if (!available || named.isEmpty() || named.size() > MAX_THREADS) {
            return;
        }
        Set<Long> toRead = new HashSet<>(named);
        for (Iterator<Map.Entry<Long, long[]>> it = last.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, long[]> e = it.next();
            if (harvests - e.getValue()[2] > RECENT_HARVESTS) {
                it.remove(); // not named for a while: its next reading starts afresh
            } else if (toRead.size() < MAX_THREADS) {
                toRead.add(e.getKey());
            }
        }
        for (long tid : toRead) {
            long now = ThreadCpuSnapshot.schedstatCpuNanos(taskDir.resolve(Long.toString(tid)).resolve("schedstat"));
            boolean isNamed = named.contains(tid);
            long[] before = last.get(tid);
            if (now < 0) {
                // Gone: the thread ended after its last reading.
                if (isNamed) {
                    s.setThreadCpu(tid, StackSamples.CPU_ENDED);
                }
                last.remove(tid);
                continue;
            }
            long lastNamed = isNamed ? harvests : before[2];
            last.put(tid, new long[]{now, harvests, lastNamed});
            // A clock that went back is a new thread with a reused id: what it used before this is not known.
            if (isNamed && before != null && now >= before[0]) {
                s.setThreadCpu(tid, now - before[0]);
            }
        }
    }

    /** Whether this machine has per-thread clocks to read (Linux's {@code /proc/self/task}); else nothing is read. */
    public boolean available() {
        return available;
    }
}

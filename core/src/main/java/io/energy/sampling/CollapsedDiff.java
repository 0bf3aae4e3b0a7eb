package io.energy.sampling;

import java.util.HashMap;
import java.util.Map;

/**
 * Turns successive dumps of a profiler's running counts (collapsed stacks: {@code frame;frame;... count} per
 * line, counts since the profiler started) into the samples taken between two dumps.
 *
 * <p>A dump has one line per call trace, and two traces can print the same text (they differ only in bytecode
 * index, line, or whether a frame was interpreted, compiled or inlined): the lines of one text are added up
 * before the difference is taken — otherwise the second line's count would overwrite the first's, and every
 * later difference of that stack would be wrong (measured: SHA-256 got 49% of a process's energy instead of
 * 28% before this was done).
 */
final class CollapsedDiff {
    private final StackClassifier classifier;
    /** Running count per (thread, stack) at the last dump, keyed by {@link #key}: no stack text is kept. */
    private Map<Long, Long> seen = new HashMap<>();
    /** Classified stacks by the 64-bit hash of their frames' text. */
    private final Map<Long, Stack> parsed = new HashMap<>();

    CollapsedDiff(StackClassifier classifier) {
        this.classifier = classifier;
    }

    /** Adds to {@code out} every stack's samples since the last dump. */
    void collect(String collapsed, StackSamples out) {
        // Per key: count, thread id, hash of the frames, and where one line with those frames is (from, to).
        Map<Long, long[]> now = new HashMap<>(Math.max(16, seen.size() * 2));
        int from = 0;
        int len = collapsed.length();
        while (from < len) {
            int end = collapsed.indexOf('\n', from);
            if (end < 0) {
                end = len;
            }
            int space = collapsed.lastIndexOf(' ', end - 1);
            if (space > from) {
                long count = parseCount(collapsed, space + 1, end);
                if (count >= 0) {
                    int cut = threadFrameEnd(collapsed, from, space);
                    long tid = cut < 0 ? StackSamples.NO_THREAD : threadId(collapsed, from, cut);
                    int frames = cut < 0 ? from : Math.min(space, cut + 2);
                    long hash = hash(collapsed, frames, space);
                    long[] e = now.computeIfAbsent(key(tid, hash), k -> new long[]{0, tid, hash, frames, space});
                    e[0] += count;
                }
            }
            from = end + 1;
        }
        Map<Long, Long> next = new HashMap<>(Math.max(16, now.size() * 2));
        for (Map.Entry<Long, long[]> e : now.entrySet()) {
            long[] v = e.getValue();
            next.put(e.getKey(), v[0]);
            Long before = seen.get(e.getKey());
            long delta = v[0] - (before == null ? 0 : before);
            if (delta > 0) {
                Stack s = parsed.get(v[2]);
                if (s == null) {
                    s = classifier.classify(collapsed.substring((int) v[3], (int) v[4]));
                    parsed.put(v[2], s);
                }
                out.add(s, delta, v[1]);
            }
        }
        seen = next;
    }

    /**
     * The key a (thread, stack)'s running count is kept under. With async-profiler's {@code threads} option a
     * line starts with its thread, {@code [name tid=123];frames}: the thread is kept (it tells the ledger which
     * samples share a clock) by its id alone, because async-profiler prints a thread's name as it is at the time
     * of the dump — a main thread is renamed {@code DestroyJavaVM} when main returns, and keyed by name all of
     * its counts would be new at the next dump and taken twice. The stack is kept as a 64-bit hash of its text,
     * not the text: a 4 s H2 run under async-profiler has 500 distinct lines of 577 characters on average, and at
     * the rotation cap (2 × max.paths, 40,000 stacks) the texts alone would hold ~23 MB of heap; the keys hold
     * ~2.5 MB. Two distinct stacks of one thread share a key with a chance of about n²/2^64.
     */
    static long key(long tid, long frameHash) {
        return frameHash * 0x9E3779B97F4A7C15L + tid;
    }

    /** FNV-1a, 64 bits, over {@code s[from, to)}. */
    static long hash(String s, int from, int to) {
        long h = 0xcbf29ce484222325L;
        for (int i = from; i < to; i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    /**
     * Where the line {@code s[from, to)}'s leading thread frame {@code [name tid=N]} ends (the index in {@code s}
     * of its {@code ]}), or -1. The name may hold any character, so the frame is found by its end: the first
     * {@code " tid=<digits>]"}.
     */
    static int threadFrameEnd(String s, int from, int to) {
        if (from >= to || s.charAt(from) != '[') {
            return -1;
        }
        int at = s.indexOf(TID, from);
        while (at > from && at < to) {
            int i = at + TID.length();
            int digits = i;
            while (i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            if (i > digits && i < to && s.charAt(i) == ']' && (i + 1 == to || s.charAt(i + 1) == ';')) {
                return i;
            }
            at = s.indexOf(TID, at + 1);
        }
        return -1;
    }

    private static final String TID = " tid=";

    /** The N of the thread frame of the line starting at {@code from} that ends at {@code end} (see above). */
    static long threadId(String s, int from, int end) {
        int at = s.lastIndexOf(TID, end);
        if (at < from) {
            return StackSamples.NO_THREAD;
        }
        long n = parseCount(s, at + TID.length(), end);
        return n < 0 ? StackSamples.NO_THREAD : n;
    }

    /** Distinct stacks in the last dump. */
    int size() {
        return seen.size();
    }

    /** The profiler restarted: its counts start from zero again. */
    void restart() {
        seen = new HashMap<>();
    }

    /** Frees the classified stacks (kept across dumps so a repeated stack is not classified again). */
    void forgetStacks() {
        parsed.clear();
    }

    /** The count at the end of a line, or -1 if it is not a number. */
    private static long parseCount(String s, int from, int to) {
        if (from >= to) {
            return -1;
        }
        long n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }
}

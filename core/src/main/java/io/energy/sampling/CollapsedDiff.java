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
    private Map<String, Long> seen = new HashMap<>();
    private final Map<String, Stack> parsed = new HashMap<>();

    CollapsedDiff(StackClassifier classifier) {
        this.classifier = classifier;
    }

    /** Adds to {@code out} every stack's samples since the last dump. */
    void collect(String collapsed, StackSamples out) {
        Map<String, long[]> now = new HashMap<>(Math.max(16, seen.size() * 2));
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
                    now.computeIfAbsent(key(collapsed.substring(from, space)), k -> new long[1])[0] += count;
                }
            }
            from = end + 1;
        }
        Map<String, Long> next = new HashMap<>(Math.max(16, now.size() * 2));
        for (Map.Entry<String, long[]> e : now.entrySet()) {
            String key = e.getKey();
            long count = e.getValue()[0];
            next.put(key, count);
            Long before = seen.get(key);
            long delta = count - (before == null ? 0 : before);
            if (delta > 0) {
                int sep = key.indexOf(THREAD_SEPARATOR);
                long tid = sep < 0 ? StackSamples.NO_THREAD : Long.parseLong(key.substring(0, sep));
                String frames = sep < 0 ? key : key.substring(sep + 1);
                Stack s = parsed.get(frames);
                if (s == null) {
                    s = classifier.classify(frames);
                    parsed.put(frames, s);
                }
                out.add(s, delta, tid);
            }
        }
        seen = next;
    }

    /** Between a thread's id and its frames in the keys of {@link #seen}; never in a frame's text. */
    private static final char THREAD_SEPARATOR = '\u0001';

    /**
     * The key a line's count is kept under. With async-profiler's {@code threads} option a line starts with
     * its thread, {@code [name tid=123];frames}: the thread is kept (it tells the ledger which samples share
     * a clock) by its id alone, because async-profiler prints a thread's name as it is at the time of the
     * dump — a main thread is renamed {@code DestroyJavaVM} when main returns, and keyed by name all of its
     * counts would be new at the next dump and taken twice. The stack is classified without the thread, once
     * for every thread that runs it.
     */
    static String key(String line) {
        int cut = threadFrameEnd(line);
        if (cut < 0) {
            return line;
        }
        return threadId(line, cut) + String.valueOf(THREAD_SEPARATOR) + line.substring(Math.min(line.length(), cut + 2));
    }

    /**
     * Where a leading thread frame {@code [name tid=N]} ends (the index of its {@code ]}), or -1. The name
     * may hold any character, so the frame is found by its end: the first {@code " tid=<digits>]"}.
     */
    static int threadFrameEnd(String line) {
        if (line.isEmpty() || line.charAt(0) != '[') {
            return -1;
        }
        int at = line.indexOf(TID);
        while (at > 0) {
            int i = at + TID.length();
            int digits = i;
            while (i < line.length() && line.charAt(i) >= '0' && line.charAt(i) <= '9') {
                i++;
            }
            if (i > digits && i < line.length() && line.charAt(i) == ']'
                    && (i + 1 == line.length() || line.charAt(i + 1) == ';')) {
                return i;
            }
            at = line.indexOf(TID, at + 1);
        }
        return -1;
    }

    private static final String TID = " tid=";

    /** The N of a thread frame that ends at {@code end} (see {@link #threadFrameEnd}). */
    static long threadId(String line, int end) {
        int from = line.lastIndexOf(TID, end) + TID.length();
        long n = parseCount(line, from, end);
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

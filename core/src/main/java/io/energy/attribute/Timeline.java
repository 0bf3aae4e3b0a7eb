package io.energy.attribute;

import java.util.ArrayList;
import java.util.List;

/**
 * Power over time, per domain: the measured energy of each interval and the part that went to this
 * process. Bounded: past {@link #MAX_POINTS} points, neighbours are merged (resolution halves), so a
 * service that runs for days keeps a whole-run picture in fixed memory.
 */
public final class Timeline {
    public static final int MAX_POINTS = 4096;

    /** One stretch of time: energy per domain, measured and this process's part, and the method that got most. */
    public record Point(long startNanos, long endNanos, long[] nanoJoules, long[] processNanoJoules,
                        int topMethodId) {
        public double watts(int d) {
            double s = (endNanos - startNanos) / 1e9;
            return s > 0 ? nanoJoules[d] / 1e9 / s : 0;
        }
    }

    private final int domains;
    private final List<Point> points = new ArrayList<>();

    Timeline(int domains) {
        this.domains = domains;
    }

    void add(long start, long end, long[] nanoJoules, long[] processNanoJoules, int topMethodId) {
        points.add(new Point(start, end, nanoJoules.clone(), processNanoJoules.clone(), topMethodId));
        if (points.size() > MAX_POINTS) {
            List<Point> merged = new ArrayList<>(MAX_POINTS / 2 + 1);
            for (int i = 0; i + 1 < points.size(); i += 2) {
                Point a = points.get(i);
                Point b = points.get(i + 1);
                long[] e = new long[domains];
                long[] p = new long[domains];
                for (int d = 0; d < domains; d++) {
                    e[d] = a.nanoJoules[d] + b.nanoJoules[d];
                    p[d] = a.processNanoJoules[d] + b.processNanoJoules[d];
                }
                merged.add(new Point(a.startNanos, b.endNanos, e, p, a.topMethodId != 0 ? a.topMethodId : b.topMethodId));
            }
            if (points.size() % 2 == 1) {
                merged.add(points.get(points.size() - 1));
            }
            points.clear();
            points.addAll(merged);
        }
    }

    public List<Point> points() {
        return List.copyOf(points);
    }
}

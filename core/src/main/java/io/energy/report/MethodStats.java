package io.energy.report;

/**
 * One method over all the call paths it appears on. Energies in nanojoules per domain; bounds in joules.
 */
public record MethodStats(String name, EnergyProfile.Kind kind, long calls, long wallNanos, long cpuNanos,
                          long selfWallNanos, long[] selfNanoJoules, long[] inclusiveNanoJoules, double[] selfBoundJoules,
                          boolean[] inTotal, long selfCpuNanos, double[] inclusiveBoundJoules) {

    /** Bound of the inclusive total, in joules: per-domain bounds added in quadrature. */
    public double inclusiveBoundTotal() {
        double v = 0;
        for (int d = 0; d < inclusiveBoundJoules.length; d++) {
            if (inTotal[d]) {
                v += inclusiveBoundJoules[d] * inclusiveBoundJoules[d];
            }
        }
        return Math.sqrt(v);
    }

    private long sum(long[] v) {
        long s = 0;
        for (int d = 0; d < v.length; d++) {
            if (inTotal[d]) {
                s += v[d];
            }
        }
        return s;
    }

    /** Self energy over the domains that add up (RAPL core, uncore and psys are inside others). */
    public long selfTotal() {
        return sum(selfNanoJoules);
    }

    public long inclusiveTotal() {
        return sum(inclusiveNanoJoules);
    }

    /** Bound of the self total, in joules: per-domain bounds added in quadrature. */
    public double selfBoundTotal() {
        double v = 0;
        for (int d = 0; d < selfBoundJoules.length; d++) {
            if (inTotal[d]) {
                v += selfBoundJoules[d] * selfBoundJoules[d];
            }
        }
        return Math.sqrt(v);
    }

    static final class Builder {
        private final String name;
        private final EnergyProfile.Kind kind;
        private long calls;
        private long wall;
        private long cpu;
        private long selfWall;
        private long selfCpu;
        private final double[] inclVar;
        private final long[] self;
        private final long[] incl;
        private final double[] var;
        private final boolean[] inTotal;

        Builder(EnergyProfile.Node n, int domains, boolean[] inTotal) {
            this.inTotal = inTotal;
            name = n.name();
            kind = n.kind();
            self = new long[domains];
            incl = new long[domains];
            var = new double[domains];
            inclVar = new double[domains];
        }

        void addSelf(EnergyProfile.Node n) {
            calls += n.calls();
            selfWall += n.wallNanos();
            selfCpu += n.cpuNanos();
            for (int d = 0; d < self.length; d++) {
                self[d] += n.selfNanoJoules()[d];
                var[d] += n.selfBoundJoules()[d] * n.selfBoundJoules()[d];
            }
        }

        void addInclusive(EnergyProfile.Node n) {
            wall += n.inclusiveWallNanos();
            cpu += n.inclusiveCpuNanos();
            for (int d = 0; d < incl.length; d++) {
                incl[d] += n.inclusive(d);
                inclVar[d] += n.inclusiveVariance(d);
            }
        }

        MethodStats build() {
            double[] bound = new double[var.length];
            for (int d = 0; d < var.length; d++) {
                bound[d] = Math.sqrt(var[d]);
            }
            double[] inclBound = new double[inclVar.length];
            for (int d = 0; d < inclVar.length; d++) {
                inclBound[d] = 2 * Math.sqrt(inclVar[d]);
            }
            return new MethodStats(name, kind, calls, wall, cpu, selfWall, self, incl, bound, inTotal, selfCpu,
                    inclBound);
        }
    }
}

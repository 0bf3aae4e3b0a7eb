package io.energy.report.jfr;

import io.energy.power.Domain;

import java.util.List;

/**
 * Domains differ per machine (package and DRAM per socket, a GPU or none, psys…), while an event type's
 * fields are fixed. Every domain lands in one of four energy columns, all devices of a kind summed:
 * package, DRAM, GPU, and "other" for the rest (core, uncore, psys). A total is package + DRAM + GPU, as in the
 * other outputs: the "other" domains lie inside package ({@code Domain.inTotal}), and adding them would count
 * their joules twice.
 */
final class DomainColumns {
    static final int PACKAGE = 0;
    static final int DRAM = 1;
    static final int GPU = 2;
    static final int OTHER = 3;
    static final int COUNT = 4;

    private DomainColumns() {
    }

    static int column(String kind) {
        return switch (kind) {
            case Domain.PACKAGE -> PACKAGE;
            case Domain.DRAM -> DRAM;
            case Domain.GPU -> GPU;
            default -> OTHER;
        };
    }

    /** The column of each domain, index-aligned with {@code kinds}. */
    static int[] of(List<String> kinds) {
        int[] c = new int[kinds.size()];
        for (int i = 0; i < c.length; i++) {
            c[i] = column(kinds.get(i));
        }
        return c;
    }

    /** Nanojoules per domain folded into joules per column. */
    static double[] joules(int[] columns, long[] nanoJoules) {
        double[] out = new double[COUNT];
        for (int d = 0; d < columns.length; d++) {
            out[columns[d]] += nanoJoules[d] / 1e9;
        }
        return out;
    }
}

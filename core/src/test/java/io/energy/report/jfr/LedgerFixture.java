package io.energy.report.jfr;

import io.energy.attribute.EnergyLedger;
import io.energy.attribute.IntervalInput;
import io.energy.attribute.LedgerNode;
import io.energy.instrument.MethodRegistry;
import io.energy.power.Domain;
import io.energy.power.PowerSource;
import io.energy.report.EnergyProfile;
import io.energy.report.ProfileBuilder;

import java.util.List;

/**
 * A real ledger fed made-up intervals: package (with idle power, so there is a static bucket), DRAM and
 * a GPU, two threads, paths main > work > hash, main > work > sort, main > io, and time outside any
 * instrumented frame.
 */
final class LedgerFixture {
    final MethodRegistry registry = new MethodRegistry();
    final EnergyLedger ledger;
    final int main = registry.register("com.acme.App", "main", "([Ljava/lang/String;)V");
    final int work = registry.register("com.acme.Worker", "work", "()V");
    final int hash = registry.register("com.acme.Worker", "hash", "([B)J");
    final int sort = registry.register("com.acme.util.Sorter", "sort", "([D)V");
    final int io = registry.register("com.acme.App", "io", "()I");
    final LedgerNode mainNode;
    final LedgerNode workNode;
    final LedgerNode hashNode;
    final LedgerNode sortNode;
    final LedgerNode ioNode;

    LedgerFixture() {
        List<Domain> domains = List.of(
                new Domain(Domain.PACKAGE, 0, false, 1_000_000L, "test package"),
                new Domain(Domain.DRAM, 0, false, 1_000_000L, "test dram"),
                new Domain(Domain.GPU, 0, false, 100_000_000L, "test gpu"));
        ledger = new EnergyLedger(domains, new EnergyLedger.Options(false, false,
                new double[]{2.0, Double.NaN, Double.NaN}, 1000, id -> id == hash));
        mainNode = ledger.child(ledger.root(), main);
        workNode = ledger.child(mainNode, work);
        hashNode = ledger.child(workNode, hash);
        sortNode = ledger.child(workNode, sort);
        ioNode = ledger.child(mainNode, io);
    }

    /**
     * Nanojoules fed in per domain, counted here as they go in: the truth the tests compare the outputs with
     * (issue 14: they compared with the ledger's own measured counter, which a lossy ledger also lowers).
     */
    final long[] fed = new long[3];

    /** Applies one 100 ms interval at {@code startMs}, energy per domain in nJ; returns what was applied. */
    IntervalInput interval(long startMs, long packageNj, long dramNj, long gpuNj) {
        fed[0] += packageNj;
        fed[1] += dramNj;
        fed[2] += gpuNj;
        long start = startMs * 1_000_000L;
        IntervalInput.ThreadSlice t1 = new IntervalInput.ThreadSlice(60_000_000L, 5, 5,
                new LedgerNode[]{hashNode, sortNode, workNode}, new int[]{50, 30, 5}, new int[]{50, 30, 5}, 3);
        IntervalInput.ThreadSlice t2 = new IntervalInput.ThreadSlice(20_000_000L, 40, 40,
                new LedgerNode[]{ioNode, mainNode}, new int[]{50, 10}, new int[]{50, 10}, 2);
        IntervalInput in = new IntervalInput(start, start + 100_000_000L, new long[]{packageNj, dramNj, gpuNj},
                100_000_000L, 160_000_000L, 3_000_000L, new double[]{Double.NaN, Double.NaN, 0.5},
                1_000_000L, List.of(t1, t2));
        ledger.apply(in);
        return in;
    }

    /** A power source that only names the fixture's domains: the ledger is fed by hand. */
    PowerSource source() {
        return new PowerSource() {
            @Override
            public String name() {
                return "replay";
            }

            @Override
            public List<Domain> domains() {
                return ledger.domains();
            }

            @Override
            public void read(long nowNanos, long[] cumulativeNanoJoules) {
            }
        };
    }

    static long sum(long[] values) {
        long s = 0;
        for (long v : values) {
            s += v;
        }
        return s;
    }

    LedgerFixture run() {
        interval(0, 3_000_000_001L, 400_000_003L, 20_000_000_007L);
        interval(100, 2_500_000_000L, 350_000_000L, 0);
        interval(200, 2_777_777_777L, 333_333_333L, 19_999_999_999L);
        ledger.addCalls(mainNode, 1);
        ledger.addCalls(workNode, 3);
        ledger.addCalls(hashNode, 30);
        ledger.addCalls(sortNode, 300);
        ledger.addCalls(ioNode, 7);
        return this;
    }

    EnergyProfile profile() {
        return ProfileBuilder.build(ledger, registry, "test", 1_700_000_000_000L, "replay",
                new EnergyProfile.Health(0, 0, 0, 3_000_000L, 0, 300_000_000L, registry.size(), 2,
                        ledger.nodeCount()), List.of("a note"));
    }

    /** All the energy fed in, over every domain. */
    long totalNanoJoules() {
        return sum(fed);
    }
}

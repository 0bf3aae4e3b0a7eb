package io.energy.attribute;

import io.energy.power.Domain;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Conservation over randomised event streams and traces: every measured nanojoule lands in exactly one bucket. */
class EnergyLedgerPropertyTest {
    private static final Random RANDOM = new Random(2026);

    private static EnergyLedger randomLedger(Random r) {
        List<Domain> domains = new ArrayList<>();
        domains.add(new Domain(Domain.PACKAGE, 0, r.nextBoolean(), 1_000_000, "test"));
        if (r.nextBoolean()) {
            domains.add(new Domain(Domain.DRAM, 0, false, 1_000_000, "test"));
        }
        if (r.nextBoolean()) {
            domains.add(new Domain(Domain.GPU, 0, false, 100_000_000, "test"));
        }
        double[] idle = new double[domains.size()];
        for (int i = 0; i < idle.length; i++) {
            idle[i] = r.nextInt(3) == 0 ? Double.NaN : r.nextDouble() * 50;
        }
        return new EnergyLedger(domains, new EnergyLedger.Options(r.nextBoolean(), r.nextBoolean(), idle,
                50 + r.nextInt(200), id -> id % 2 == 0));
    }

    private static IntervalInput randomInterval(Random r, EnergyLedger ledger, long start, List<LedgerNode> known) {
        int nd = ledger.domains().size();
        long end = start + 1 + r.nextInt(200_000_000);
        long[] energy = new long[nd];
        double[] share = new double[nd];
        for (int d = 0; d < nd; d++) {
            energy[d] = r.nextInt(10) == 0 ? 0 : (long) (r.nextDouble() * Math.pow(10, 3 + r.nextInt(10)));
            share[d] = r.nextBoolean() ? Double.NaN : r.nextDouble() * 1.2 - 0.1;
        }
        List<IntervalInput.ThreadSlice> slices = new ArrayList<>();
        int threads = r.nextInt(6);
        for (int t = 0; t < threads; t++) {
            int count = r.nextInt(8);
            LedgerNode[] nodes = new LedgerNode[count];
            int[] samples = new int[count];
            int[] wall = new int[count];
            for (int i = 0; i < count; i++) {
                if (known.isEmpty() || r.nextInt(3) == 0) {
                    LedgerNode parent = known.isEmpty() || r.nextBoolean() ? ledger.root()
                            : known.get(r.nextInt(known.size()));
                    LedgerNode made = ledger.child(parent, 1 + r.nextInt(40));
                    known.add(made);
                    nodes[i] = made;
                } else {
                    nodes[i] = known.get(r.nextInt(known.size()));
                }
                wall[i] = r.nextInt(120);
                samples[i] = r.nextInt(wall[i] + 1);
            }
            int rootWall = r.nextInt(50);
            slices.add(new IntervalInput.ThreadSlice(r.nextInt(5) == 0 ? 0 : r.nextInt(200_000_000), r.nextInt(rootWall + 1),
                    rootWall, nodes, samples, wall, count));
        }
        long proc = r.nextInt(4) == 0 ? -1 : r.nextInt(400_000_000);
        long machine = r.nextInt(4) == 0 ? -1 : r.nextInt(800_000_000);
        return new IntervalInput(start, end, energy, proc, machine, r.nextInt(5_000_000), share,
                1_000_000, slices);
    }

    @RepeatedTest(300)
    void bucketsAddUpToTheMeasuredEnergyExactlyAfterEveryInterval() {
        Random r = new Random(RANDOM.nextLong());
        EnergyLedger ledger = randomLedger(r);
        List<LedgerNode> known = new ArrayList<>();
        long t = 0;
        int intervals = 1 + r.nextInt(40);
        long[] fed = new long[ledger.domains().size()];
        for (int i = 0; i < intervals; i++) {
            IntervalInput in = randomInterval(r, ledger, t, known);
            ledger.apply(in);
            t = in.endNanos();
            for (int d = 0; d < ledger.domains().size(); d++) {
                fed[d] += in.nanoJoules()[d];
                // Against what went in (issue 14), not only the ledger's own counter.
                assertEquals(fed[d], Simulation.treeSum(ledger.root(), d), "domain " + d + " after interval " + i);
                assertEquals(0, ledger.conservationError(d), "domain " + d + " after interval " + i);
            }
        }
        assertNoNegative(ledger.root());
    }

    private static void assertNoNegative(LedgerNode n) {
        for (long v : n.selfNanoJoules) {
            assertTrue(v >= 0, "negative energy on " + n.methodId + ": " + Arrays.toString(n.selfNanoJoules));
        }
        for (LedgerNode c : n.children()) {
            assertNoNegative(c);
        }
    }

    @Test
    void idleEnergyOtherProcessesAndThreadsAreSeparated() {
        List<Domain> domains = List.of(new Domain(Domain.PACKAGE, 0, false, 1_000_000, "test"));
        EnergyLedger ledger = new EnergyLedger(domains, new EnergyLedger.Options(false, false, new double[]{10}, 1000,
                id -> true));
        LedgerNode a = ledger.child(ledger.root(), 1);
        LedgerNode b = ledger.child(a, 2);
        // 1 s, 30 J: 10 J idle, 20 J dynamic; the process used half the machine's busy CPU.
        IntervalInput.ThreadSlice t = new IntervalInput.ThreadSlice(400_000_000, 0, 0, new LedgerNode[]{a, b},
                new int[]{25, 75}, new int[]{25, 75}, 2);
        ledger.apply(new IntervalInput(0, 1_000_000_000, new long[]{30_000_000_000L}, 500_000_000, 1_000_000_000,
                100_000_000, new double[]{Double.NaN}, 1_000_000, List.of(t)));
        assertEquals(10_000_000_000L, ledger.bucketNode(LedgerNode.STATIC_IDLE).selfNanoJoules[0]);
        assertEquals(10_000_000_000L, ledger.bucketNode(LedgerNode.OTHER_PROCESSES).selfNanoJoules[0]);
        // Process 10 J: agent 100 ms, thread 400 ms, 0 ms elsewhere in the process → 2 J agent, 8 J thread.
        assertEquals(2_000_000_000L, ledger.bucketNode(LedgerNode.AGENT).selfNanoJoules[0]);
        assertEquals(2_000_000_000L, a.selfNanoJoules[0]);
        assertEquals(6_000_000_000L, b.selfNanoJoules[0]);
        assertEquals(30_000_000_000L, Simulation.treeSum(ledger.root(), 0), "the 30 J that went in");
    }

    @Test
    void gpuEnergyFollowsWallTimeOfPathsInScopeNotCpu() {
        List<Domain> domains = List.of(new Domain(Domain.GPU, 0, false, 100_000_000, "test"));
        EnergyLedger ledger = new EnergyLedger(domains, new EnergyLedger.Options(false, false, new double[]{Double.NaN},
                1000, id -> id == 1));
        LedgerNode launch = ledger.child(ledger.root(), 1);
        LedgerNode other = ledger.child(ledger.root(), 2);
        IntervalInput.ThreadSlice t = new IntervalInput.ThreadSlice(1_000_000, 0, 0, new LedgerNode[]{launch, other},
                new int[]{0, 50}, new int[]{50, 50}, 2);
        ledger.apply(new IntervalInput(0, 100_000_000, new long[]{5_000_000_000L}, 1_000_000, 1_000_000, 0,
                new double[]{Double.NaN}, 1_000_000, List.of(t)));
        assertEquals(5_000_000_000L, launch.selfNanoJoules[0]);
        assertEquals(0, other.selfNanoJoules[0]);
    }

    @Test
    void pathsBeyondTheCapAreCountedInOtherPaths() {
        List<Domain> domains = List.of(new Domain(Domain.PACKAGE, 0, false, 1_000_000, "test"));
        EnergyLedger ledger = new EnergyLedger(domains, new EnergyLedger.Options(false, false, new double[]{0}, 100,
                id -> true));
        for (int i = 1; i <= 150; i++) {
            ledger.child(ledger.root(), i);
        }
        assertEquals(100, ledger.nodeCount());
        assertEquals(50, ledger.pathsOverCap());
        assertEquals(ledger.bucketNode(LedgerNode.OTHER_PATHS), ledger.child(ledger.root(), 999));
    }
}

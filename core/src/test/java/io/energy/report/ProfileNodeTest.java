package io.energy.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * A node's inclusive sums, added up once when it is made (every writer reads them for every node), and the budget's
 * "counting stopped" lookup by method: the numbers each writer prints come from here.
 */
class ProfileNodeTest {
    private static final boolean[] BOTH = {true, false};

    private static EnergyProfile.Node node(String name, long wall, long cpu, long pkg, long core, double pkgBound,
                                           double[] inclusiveBound, EnergyProfile.Node... children) {
        return new EnergyProfile.Node(name, "com.acme.C", name, "()V", EnergyProfile.Kind.METHOD, 3, wall, cpu,
                new long[]{pkg, core}, new double[]{pkgBound, 0.2}, List.of(children), BOTH, inclusiveBound);
    }

    @Test
    void inclusiveSumsAreTheNodesOwnPlusEveryDescendantsAndTotalsLeaveOutContainedDomains() {
        EnergyProfile.Node leaf = node("leaf", 5, 7, 100, 1_000, 0.4, null);
        EnergyProfile.Node mid = node("mid", 11, 13, 20, 2_000, 0.6, null, leaf);
        EnergyProfile.Node top = node("top", 17, 19, 3, 4_000, 0.8, null, mid, node("side", 23, 29, 40, 8_000, 1.0, null));
        assertEquals(163, top.inclusive(0));
        assertEquals(15_000, top.inclusive(1));
        assertEquals(120, mid.inclusive(0));
        assertEquals(17 + 11 + 5 + 23, top.inclusiveWallNanos());
        assertEquals(19 + 13 + 7 + 29, top.inclusiveCpuNanos());
        // domain 1 (a core domain inside the package) is not in the total
        assertEquals(163, top.inclusiveTotal());
        assertEquals(3, top.selfTotal());
        // without the ledger's inclusive bound: the subtree's self bounds (2σ) in quadrature, as variance (σ²)
        double v = (0.8 * 0.8 + 0.6 * 0.6 + 0.4 * 0.4 + 1.0 * 1.0) / 4;
        assertEquals(v, top.inclusiveVariance(0), 1e-12);
        assertEquals(4 * 0.2 * 0.2 / 4, top.inclusiveVariance(1), 1e-12);
        assertEquals(5, leaf.wallNanos());
        assertEquals(7, leaf.cpuNanos());
        assertEquals("com.acme.C", leaf.className());
        assertEquals("leaf", leaf.methodName());
        assertEquals("()V", leaf.descriptor());
    }

    @Test
    void aLedgerInclusiveBoundIsTakenAsItIsNotAddedToTheChildren() {
        EnergyProfile.Node child = node("child", 1, 1, 10, 10, 3.0, new double[]{5.0, 7.0});
        EnergyProfile.Node parent = node("parent", 1, 1, 10, 10, 0.5, new double[]{1.2, 0.4}, child);
        assertEquals(1.2 * 1.2 / 4, parent.inclusiveVariance(0), 1e-12);
        assertEquals(0.4 * 0.4 / 4, parent.inclusiveVariance(1), 1e-12);
        assertEquals(5.0 * 5.0 / 4, child.inclusiveVariance(0), 1e-12);
        assertEquals(20, parent.inclusive(0));
    }

    @Test
    void countingStoppedFindsTheFirstStopOfEachMethodAndNothingForOthers() {
        EnergyProfile.CountingStopped first = new EnergyProfile.CountingStopped("com.acme.A.get", 1.5, 1e6, 0.02, "hot");
        EnergyProfile.CountingStopped again = new EnergyProfile.CountingStopped("com.acme.A.get", 9.0, 2e6, 0.03, "again");
        EnergyProfile.CountingStopped other = new EnergyProfile.CountingStopped("com.acme.B.put", 2.0, 5e5, 0.01, "hot");
        EnergyProfile.Overhead o = new EnergyProfile.Overhead(0.01, 30, 1e9, List.of(first, other, again), 5);
        EnergyProfile.Health h = new EnergyProfile.Health(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, o, 0, 0, 0, 0);
        assertSame(first, h.countingStopped("com.acme.A.get"));
        assertSame(other, h.countingStopped("com.acme.B.put"));
        assertNull(h.countingStopped("com.acme.C.run"));
        assertEquals(3, o.stopped().size(), "the list keeps every stop, in order");
    }

    @Test
    void theBudgetReadsOffAtZeroAndItsCostNeedsCountedCallsAndTheProcesssCpu() {
        assertEquals("off", new EnergyProfile.Overhead(0, 30, 1e9, List.of(), 0).budgetText());
        assertEquals("1%", new EnergyProfile.Overhead(0.01, 30, 1e9, List.of(), 0).budgetText());
        assertEquals("0.25%", new EnergyProfile.Overhead(0.0025, 30, 1e9, List.of(), 0).budgetText());
        EnergyProfile.Overhead o = new EnergyProfile.Overhead(0.01, 30, 883e6, List.of(), 517_000_000L);
        assertEquals("~883 ms of CPU by the budget's estimate (30 ns a call): 7.0% of the process's CPU (overhead=1%); "
                + "weaving classes 517 ms", o.countingCost(12_614_000_000L));
        assertEquals("", o.countingCost(0), "no share of an unknown CPU time");
        assertEquals("", new EnergyProfile.Overhead(0.01, 30, 0, List.of(), 0).countingCost(1_000_000_000L),
                "nothing counted, nothing to say");
    }

    @Test
    void theMeasuredTotalLeavesOutDomainsContainedInOthers() {
        EnergyProfile.DomainTotal pkg = new EnergyProfile.DomainTotal("package:0", "package", 0, false, 0, "t",
                10_000_000_000L, 0, 0, 10_000_000_000L);
        EnergyProfile.DomainTotal core = new EnergyProfile.DomainTotal("core:0", "core", 0, false, 0, "t",
                4_000_000_000L, 0, 0, 4_000_000_000L);
        EnergyProfile.DomainTotal gpu = new EnergyProfile.DomainTotal("gpu:0", "gpu", 0, false, 0, "t",
                3_000_000_000L, 0, 0, 3_000_000_000L);
        assertEquals(10.0, pkg.joules(), 1e-12);
        assertEquals(false, core.inTotal());
        assertEquals(true, gpu.inTotal());
        EnergyProfile.Node root = new EnergyProfile.Node("all", "", "", "", EnergyProfile.Kind.ROOT, 0, 0, 0,
                new long[3], new double[3], List.of(), new boolean[]{true, false, true}, null);
        EnergyProfile p = new EnergyProfile(EnergyProfile.SCHEMA_VERSION, "t", 0, 0, "t", false,
                List.of(pkg, core, gpu), root, List.of(), null, List.of());
        assertEquals(13_000_000_000L, p.measuredTotal(), "package and GPU; the core is inside the package");
        assertEquals(List.of(), p.windows());
        EnergyProfile.Window w = new EnergyProfile.Window("q", "main", 0, 1, 1, false, new long[3], new double[3],
                new long[3]);
        assertEquals(List.of(w), p.withWindows(List.of(w)).windows());
    }
}

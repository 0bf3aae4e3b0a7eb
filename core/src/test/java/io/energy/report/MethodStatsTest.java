package io.energy.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One method's figures over all its call paths, as every report prints them (CSV, summary, exit table, HTML).
 * Three domains: package:0 and gpu:0 add up to the total; core:0 is inside package:0 and must not be counted twice.
 * Bounds are chosen to add up in quadrature to whole numbers (3-4-5, 5-12-13, 6-8-10).
 */
class MethodStatsTest {
    private static final String A = "com.acme.A.run";
    private static final String B = "com.acme.B.step";
    private static final String C = "com.acme.C.call";

    private static EnergyProfile.Node node(String name, long calls, long wall, long cpu, long[] nanoJoules,
                                           double[] bounds, EnergyProfile.Node... children) {
        return new EnergyProfile.Node(name, "", "", "()V", EnergyProfile.Kind.METHOD, calls, wall, cpu, nanoJoules,
                bounds, List.of(children), null);
    }

    /** A on two paths: root → A → B, and root → C → A. Domains: package:0, core:0, gpu:0. */
    private static MethodStats a() {
        EnergyProfile.Node b = node(B, 2, 50, 30, new long[]{0, 0, 2_000}, new double[]{0, 0, 9});
        EnergyProfile.Node a1 = node(A, 3, 100, 60, new long[]{1_000, 900, 0}, new double[]{3, 8, 0}, b);
        EnergyProfile.Node a2 = node(A, 4, 200, 120, new long[]{500, 400, 300}, new double[]{4, 6, 12});
        EnergyProfile.Node c = node(C, 1, 10, 5, new long[]{0, 0, 0}, new double[]{0, 0, 0}, a2);
        EnergyProfile.Node root = new EnergyProfile.Node("all", "", "", "", EnergyProfile.Kind.ROOT, 0, 0, 0,
                new long[]{0, 0, 0}, new double[]{0, 0, 0}, List.of(a1, c), null);
        List<EnergyProfile.DomainTotal> domains = List.of(
                new EnergyProfile.DomainTotal("package:0", "package", 0, false, 1, "rapl", 1_500, 0, 0, 1_500),
                new EnergyProfile.DomainTotal("core:0", "core", 0, false, 1, "rapl", 1_300, 0, 0, 1_300),
                new EnergyProfile.DomainTotal("gpu:0", "gpu", 0, false, 1, "nvml", 2_300, 0, 0, 2_300));
        EnergyProfile base = ProfileFixtures.measured();
        EnergyProfile p = new EnergyProfile(base.schemaVersion(), base.agentVersion(), base.startEpochMillis(),
                base.durationNanos(), base.source(), false, domains, root, List.of(), base.health(), List.of());
        for (MethodStats m : p.methods()) {
            if (m.name().equals(A)) {
                return m;
            }
        }
        throw new AssertionError("no " + A + " in " + p.methods());
    }

    @Test
    void aMethodOnTwoPathsAddsItsCallsAndSelfTimesAndItsSelfBoundsInQuadrature() {
        MethodStats a = a();
        assertEquals(7, a.calls());
        assertEquals(300, a.selfWallNanos());
        assertEquals(180, a.selfCpuNanos());
        assertArrayEquals(new long[]{1_500, 1_300, 300}, a.selfNanoJoules());
        assertArrayEquals(new double[]{5, 10, 12}, a.selfBoundJoules(), 1e-12);
    }

    @Test
    void theSelfBoundOfTheTotalLeavesOutTheDomainInsideAnother() {
        MethodStats a = a();
        assertEquals(1_800, a.selfTotal());
        // package 5 and gpu 12 in quadrature; core's 10 is already inside package's
        assertEquals(13, a.selfBoundTotal(), 1e-12);
    }

    @Test
    void aMethodsInclusiveFiguresAddEachPathWithEverythingItCalled() {
        MethodStats a = a();
        assertEquals(100 + 50 + 200, a.wallNanos());
        assertEquals(60 + 30 + 120, a.cpuNanos());
        assertArrayEquals(new long[]{1_500, 1_300, 2_300}, a.inclusiveNanoJoules());
        // the self bounds of both subtrees (A, B and A again) in quadrature, per domain: gpu 0, 9 and 12 give 15
        assertArrayEquals(new double[]{5, 10, 15}, a.inclusiveBoundJoules(), 1e-12);
    }

    @Test
    void theInclusiveBoundOfTheTotalLeavesOutTheDomainInsideAnother() {
        MethodStats a = a();
        assertEquals(3_800, a.inclusiveTotal());
        assertEquals(Math.sqrt(5 * 5 + 15 * 15), a.inclusiveBoundTotal(), 1e-12);
    }
}

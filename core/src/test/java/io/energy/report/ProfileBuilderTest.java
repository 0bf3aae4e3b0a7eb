package io.energy.report;

import io.energy.attribute.EnergyLedger;
import io.energy.attribute.IntervalInput;
import io.energy.attribute.LedgerNode;
import io.energy.instrument.MethodRegistry;
import io.energy.power.Domain;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one place where ledger state becomes the model every writer reads: names, kinds, order, bounds, which
 * buckets show, the energy still waiting for stack samples, the domain totals and the timeline. Each figure is
 * set on a real ledger (fed intervals or its nodes' fields) and worked out by hand; before this test PIT found
 * 49 of the builder's 68 mutants unchecked (the writers' tests build their profiles by hand).
 */
class ProfileBuilderTest {
    private static final long S = 1_000_000_000L;
    private static final long MS = 1_000_000L;
    private static final long J = 1_000_000_000L;

    private final MethodRegistry registry = new MethodRegistry();
    private final int alpha = registry.register("com.acme.Alpha", "run", "()V");
    private final int beta = registry.register("com.acme.Beta", "run", "(I)J");
    private final int gamma = registry.register("com.acme.Gamma", "run", "()V");

    private static EnergyLedger ledger(boolean stacks, Domain... domains) {
        double[] idle = new double[domains.length];
        java.util.Arrays.fill(idle, Double.NaN);
        return new EnergyLedger(List.of(domains), new EnergyLedger.Options(false, false, idle, 1000, id -> false,
                stacks));
    }

    private static Domain pkg(boolean estimated) {
        return new Domain(Domain.PACKAGE, 0, estimated, MS, "test");
    }

    private EnergyProfile profile(EnergyLedger l) {
        return ProfileBuilder.build(l, registry, "test", 0, "replay",
                new EnergyProfile.Health(0, 0, 0, 0, 0, 0, registry.size(), 1, l.nodeCount()), List.of(), "test");
    }

    private static List<String> names(List<EnergyProfile.Node> nodes) {
        return nodes.stream().map(EnergyProfile.Node::name).toList();
    }

    private static EnergyProfile.Node child(EnergyProfile.Node parent, String name) {
        return parent.children().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not among " + names(parent.children())));
    }

    @Test
    void everyBucketIsNamedAndTheCatchAllIsUnattributedWhenAStackSamplerRuns() {
        assertEquals("(other paths)", ProfileBuilder.bucketName(LedgerNode.OTHER_PATHS));
        assertEquals("(uninstrumented)", ProfileBuilder.bucketName(LedgerNode.UNINSTRUMENTED));
        assertEquals("(uninstrumented)", ProfileBuilder.bucketName(LedgerNode.UNINSTRUMENTED, false));
        assertEquals("(unattributed)", ProfileBuilder.bucketName(LedgerNode.UNINSTRUMENTED, true));
        assertEquals("(GC)", ProfileBuilder.bucketName(LedgerNode.GC));
        assertEquals("(JIT compiler)", ProfileBuilder.bucketName(LedgerNode.JIT));
        assertEquals("(JVM)", ProfileBuilder.bucketName(LedgerNode.VM));
        assertEquals("(GPU outside scope)", ProfileBuilder.bucketName(LedgerNode.GPU_UNSCOPED));
        assertEquals("(other processes)", ProfileBuilder.bucketName(LedgerNode.OTHER_PROCESSES, true));
        assertEquals("(static/idle)", ProfileBuilder.bucketName(LedgerNode.STATIC_IDLE));
        assertEquals("(energy agent)", ProfileBuilder.bucketName(LedgerNode.AGENT));
        assertEquals("(lost)", ProfileBuilder.bucketName(LedgerNode.LOST));
        assertEquals("(bucket -42)", ProfileBuilder.bucketName(-42));
    }

    @Test
    void bucketsThisRunNeverFilledAreLeftOutAndTheCatchAllsAlwaysShow() {
        EnergyLedger l = ledger(true, pkg(false));
        EnergyProfile.Node root = profile(l).root();
        assertEquals("all", root.name());
        assertEquals(EnergyProfile.Kind.ROOT, root.kind());
        assertEquals(List.of("(energy agent)", "(lost)", "(other paths)", "(other processes)", "(static/idle)",
                "(unattributed)"), names(root.children()), "empty GC, JIT, JVM and GPU buckets are not shown");
        for (EnergyProfile.Node b : root.children()) {
            assertEquals(EnergyProfile.Kind.BUCKET, b.kind(), b.name());
        }

        // A bucket shows as soon as it has energy, calls or children; a method node shows even when empty.
        l.bucketNode(LedgerNode.GC).selfNanoJoules[0] = 1;
        l.bucketNode(LedgerNode.JIT).calls = 1;
        l.child(l.bucketNode(LedgerNode.VM), alpha);
        l.child(l.root(), beta);
        List<String> shown = names(profile(l).root().children());
        assertTrue(shown.containsAll(List.of("(GC)", "(JIT compiler)", "(JVM)", "com.acme.Beta.run")), shown.toString());
        assertFalse(shown.contains("(GPU outside scope)"), shown.toString());
    }

    @Test
    void childrenComeMostInclusiveEnergyFirstAndTiesByName() {
        EnergyLedger l = ledger(false, pkg(false));
        LedgerNode g = l.child(l.root(), gamma);
        LedgerNode a = l.child(l.root(), alpha);
        LedgerNode b = l.child(l.root(), beta);
        g.selfNanoJoules[0] = 5 * J;
        a.selfNanoJoules[0] = 5 * J;
        b.selfNanoJoules[0] = 2 * J;
        l.child(b, gamma).selfNanoJoules[0] = 7 * J; // Beta's callee makes Beta the largest by inclusive energy
        List<String> methods = profile(l).root().children().stream()
                .filter(n -> n.kind() == EnergyProfile.Kind.METHOD).map(EnergyProfile.Node::name).toList();
        assertEquals(List.of("com.acme.Beta.run", "com.acme.Alpha.run", "com.acme.Gamma.run"), methods);
        assertEquals("(energy agent)", profile(l).root().children().get(3).name(),
                "buckets with no energy come after, by name");
    }

    @Test
    void aMethodNodeCarriesItsNamesCountsTimesAndATwoSigmaBound() {
        EnergyLedger l = ledger(false, pkg(false));
        LedgerNode b = l.child(l.root(), beta);
        b.selfNanoJoules[0] = 3 * J;
        b.selfVariance[0] = 2.25e18; // σ = 1.5 J
        b.inclusiveVariance[0] = 4e18;
        b.calls = 17;
        b.wallNanos = 40 * MS;
        b.cpuNanos = 30 * MS;
        l.child(l.root(), 99); // an id the registry never named
        EnergyProfile.Node root = profile(l).root();
        EnergyProfile.Node n = child(root, "com.acme.Beta.run");
        assertEquals(EnergyProfile.Kind.METHOD, n.kind());
        assertEquals("com.acme.Beta", n.className());
        assertEquals("run", n.methodName());
        assertEquals("(I)J", n.descriptor());
        assertEquals(17, n.calls());
        assertEquals(40 * MS, n.wallNanos());
        assertEquals(30 * MS, n.cpuNanos());
        assertArrayEquals(new long[]{3 * J}, n.selfNanoJoules());
        assertEquals(3.0, n.selfBoundJoules()[0], 1e-12, "2σ in joules");
        assertNull(n.inclusiveBoundJoules(), "no inclusive bound without a stack sampler");

        EnergyProfile.Node unknown = child(root, "(method 99)");
        assertEquals(EnergyProfile.Kind.METHOD, unknown.kind());
        assertEquals("", unknown.className());
        assertEquals("", unknown.methodName());
        assertEquals("", unknown.descriptor());
    }

    @Test
    void withAStackSamplerEveryNodeButTheRootHasAnInclusiveBound() {
        EnergyLedger l = ledger(true, pkg(false));
        LedgerNode b = l.child(l.root(), beta);
        b.inclusiveVariance[0] = 4e18; // σ = 2 J
        EnergyProfile.Node root = profile(l).root();
        assertNull(root.inclusiveBoundJoules(), "the root's is the domain's own bound");
        assertEquals(4.0, child(root, "com.acme.Beta.run").inclusiveBoundJoules()[0], 1e-12);
        assertEquals(0.0, child(root, "(unattributed)").inclusiveBoundJoules()[0]);
    }

    @Test
    void energyWaitingForStackSamplesIsShownInTheCatchAllSoTheProfileAddsUpToWhatWasMeasured() {
        EnergyLedger l = ledger(true, pkg(false));
        // 1 s, 30 J; the process used 500 ms of the machine's 1000 ms: 15 J to it, waiting for stack samples.
        l.apply(new IntervalInput(S, 2 * S, new long[]{30 * J}, 500 * MS, 1000 * MS, 0, new double[]{Double.NaN},
                10 * MS, List.of()));
        long pending = l.pendingNanoJoules(0);
        assertTrue(pending > 10 * J, "the test needs energy pending: " + pending);
        EnergyProfile p = profile(l);
        EnergyProfile.Node catchAll = child(p.root(), "(unattributed)");
        assertEquals(l.bucketNode(LedgerNode.UNINSTRUMENTED).selfNanoJoules[0] + pending, catchAll.selfNanoJoules()[0]);
        assertEquals(30 * J, p.total(0), "every joule that went in is in the profile");
        assertEquals(pending, p.domains().get(0).pending());
    }

    @Test
    void domainTotalsSayWhatWasMeasuredAndWhereItWentAndAnyEstimatedDomainMarksTheProfile() {
        EnergyLedger l = ledger(false, pkg(false), new Domain(Domain.CORE, 0, true, MS, "model"));
        l.bucketNode(LedgerNode.STATIC_IDLE).selfNanoJoules[0] = 4 * J;
        l.bucketNode(LedgerNode.OTHER_PROCESSES).selfNanoJoules[0] = 6 * J;
        l.apply(new IntervalInput(S, 2 * S, new long[]{30 * J, 10 * J}, 500 * MS, 1000 * MS, 0,
                new double[]{Double.NaN, Double.NaN}, 10 * MS, List.of()));
        EnergyProfile p = profile(l);
        assertTrue(p.estimated(), "one estimated domain makes the whole profile estimated");
        EnergyProfile.DomainTotal pk = p.domains().get(0);
        assertEquals("package:0", pk.key());
        assertEquals(Domain.PACKAGE, pk.kind());
        assertFalse(pk.estimated());
        assertEquals(30 * J, pk.measured());
        long stat = l.bucketNode(LedgerNode.STATIC_IDLE).selfNanoJoules[0];
        long others = l.bucketNode(LedgerNode.OTHER_PROCESSES).selfNanoJoules[0];
        assertEquals(stat, pk.staticIdle());
        assertEquals(others, pk.otherProcesses());
        assertEquals(30 * J - stat - others, pk.process());
        assertTrue(p.domains().get(1).estimated());
        assertArrayEquals(new boolean[]{true, false}, p.root().inTotal(), "core is inside package: not in totals");

        assertFalse(profile(ledger(false, pkg(false))).estimated(), "measured domains only: not estimated");
    }

    @Test
    void timelinePointsStartAtTheFirstIntervalAndCarryWattsAndTheTopMethod() {
        EnergyLedger l = ledger(false, pkg(false));
        LedgerNode a = l.child(l.root(), alpha);
        // 1 s at 30 W, then 0.5 s with 10 J (20 W). The process's part is half of each: the thread, all of the
        // process's CPU, has its samples in Alpha in the first interval and none in the second.
        l.apply(new IntervalInput(5 * S, 6 * S, new long[]{30 * J}, 500 * MS, 1000 * MS, 0,
                new double[]{Double.NaN}, 10 * MS, List.of(new IntervalInput.ThreadSlice(500 * MS, 0, 0,
                new LedgerNode[]{a}, new int[]{5}, new int[]{5}, 1))));
        l.apply(new IntervalInput(6 * S, 6 * S + 500 * MS, new long[]{10 * J}, 250 * MS, 500 * MS, 0,
                new double[]{Double.NaN}, 10 * MS, List.of()));
        List<EnergyProfile.TimelinePoint> t = profile(l).timeline();
        assertEquals(2, t.size());
        assertEquals(0.0, t.get(0).startSeconds(), 1e-12, "seconds from the first interval");
        assertEquals(1.0, t.get(0).endSeconds(), 1e-12);
        assertEquals(1.0, t.get(1).startSeconds(), 1e-12);
        assertEquals(1.5, t.get(1).endSeconds(), 1e-12);
        assertEquals(30.0, t.get(0).watts()[0], 1e-9);
        assertEquals(20.0, t.get(1).watts()[0], 1e-9);
        assertEquals(15.0, t.get(0).processWatts()[0], 1e-9);
        assertEquals(10.0, t.get(1).processWatts()[0], 1e-9);
        assertEquals("com.acme.Alpha.run", t.get(0).topMethod());
        assertNull(t.get(1).topMethod(), "no method got energy in the second interval");
    }
}

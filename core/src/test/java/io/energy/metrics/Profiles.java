package io.energy.metrics;

import io.energy.report.EnergyProfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Hand-built profiles with known joules, one domain (package:0). */
public final class Profiles {
    private Profiles() {
    }

    /**
     * Methods directly under the root with the given self nanojoules, plus a static/idle bucket of {@code idle}
     * nanojoules; measured = the sum of all.
     */
    public static EnergyProfile flat(Map<String, Long> selfNanoJoules, long idle) {
        List<EnergyProfile.Node> top = new ArrayList<>();
        for (Map.Entry<String, Long> e : selfNanoJoules.entrySet()) {
            top.add(node(e.getKey(), EnergyProfile.Kind.METHOD, e.getValue()));
        }
        top.add(node("(static/idle)", EnergyProfile.Kind.BUCKET, idle));
        EnergyProfile.Node root = new EnergyProfile.Node("all", "", "", "", EnergyProfile.Kind.ROOT, 0, 0, 0,
                new long[]{0}, new double[]{0}, top, null);
        long measured = root.inclusive(0);
        List<EnergyProfile.DomainTotal> domains = List.of(new EnergyProfile.DomainTotal("package:0", "package", 0,
                true, 10_000_000L, "model", measured, idle, 0, measured - idle));
        return new EnergyProfile(EnergyProfile.SCHEMA_VERSION, "test", 1_700_000_000_000L, 1_000_000_000L,
                "estimate", true, domains, root,
                List.of(new EnergyProfile.TimelinePoint(0, 0.1, new double[]{42}, new double[]{40}, null)),
                new EnergyProfile.Health(0, 0, 0, 5_000_000L, 1_000_000L, 900_000_000L, 4, 2, 9), List.of());
    }

    /**
     * One method with {@code method} nanojoules and the {@code (unattributed)} bucket holding {@code pending}
     * nanojoules that still wait for stack samples (a profile between two harvests); measured = the sum.
     */
    public static EnergyProfile betweenHarvests(String name, long method, long pending) {
        // A bucket has no calls (as in the ledger), so the method the user named ranks first for a series.
        EnergyProfile.Node bucket = new EnergyProfile.Node("(unattributed)", "", "", "", EnergyProfile.Kind.BUCKET, 0, 0,
                0, new long[]{pending}, new double[]{0}, List.of(), null);
        List<EnergyProfile.Node> top = List.of(node(name, EnergyProfile.Kind.METHOD, method), bucket);
        EnergyProfile.Node root = new EnergyProfile.Node("all", "", "", "", EnergyProfile.Kind.ROOT, 0, 0, 0,
                new long[]{0}, new double[]{0}, top, null);
        long measured = root.inclusive(0);
        List<EnergyProfile.DomainTotal> domains = List.of(new EnergyProfile.DomainTotal("package:0", "package", 0,
                true, 10_000_000L, "model", measured, 0, 0, measured, pending));
        return new EnergyProfile(EnergyProfile.SCHEMA_VERSION, "test", 1_700_000_000_000L, 1_000_000_000L,
                "estimate", true, domains, root,
                List.of(new EnergyProfile.TimelinePoint(0, 0.1, new double[]{42}, new double[]{40}, null)),
                new EnergyProfile.Health(0, 0, 0, 5_000_000L, 1_000_000L, 900_000_000L, 4, 2, 9), List.of());
    }

    static EnergyProfile.Node node(String name, EnergyProfile.Kind kind, long self) {
        int dot = name.lastIndexOf('.');
        return new EnergyProfile.Node(name, dot > 0 ? name.substring(0, dot) : "", dot > 0 ? name.substring(dot + 1) : name,
                "()V", kind, 1, 1_000_000L, 1_000_000L, new long[]{self}, new double[]{0}, List.of(), null);
    }
}

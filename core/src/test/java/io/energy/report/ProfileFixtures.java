package io.energy.report;

import java.util.ArrayList;
import java.util.List;

/** Hand-built profiles with known numbers, so tests can say exactly what each file must contain. */
final class ProfileFixtures {
    static final String MAIN = "com.acme.App.main";
    static final String HANDLE = "com.acme.App.handle";
    static final String PARSE = "com.acme.Json.parse";
    static final String QUERY = "com.acme.Db.query";

    private ProfileFixtures() {
    }

    /** Two measured domains (package:0, gpu:0), a call tree with one method on two paths, all six kinds of bucket. */
    static EnergyProfile measured() {
        return build(false, QUERY);
    }

    /** The same tree, with package:0 estimated. */
    static EnergyProfile estimated() {
        return build(true, QUERY);
    }

    /** The measured tree with the database method renamed to {@code name} (to try hostile names). */
    static EnergyProfile withMethodNamed(String name) {
        return build(false, name);
    }

    static EnergyProfile.Node method(String name, long calls, long wallNanos, long pkg, long gpu,
                                     EnergyProfile.Node... children) {
        int dot = name.lastIndexOf('.');
        return new EnergyProfile.Node(name, dot > 0 ? name.substring(0, dot) : "", dot > 0 ? name.substring(dot + 1) : name,
                "()V", EnergyProfile.Kind.METHOD, calls, wallNanos, wallNanos / 2, new long[]{pkg, gpu},
                new double[]{pkg * 0.05 / 1e9, gpu * 0.1 / 1e9}, List.of(children), null);
    }

    static EnergyProfile.Node bucket(String name, long pkg, long gpu) {
        return new EnergyProfile.Node(name, "", "", "", EnergyProfile.Kind.BUCKET, 0, 0, 0, new long[]{pkg, gpu},
                new double[]{0, 0}, List.of(), null);
    }

    private static EnergyProfile build(boolean packageEstimated, String queryName) {
        EnergyProfile.Node handle = method(HANDLE, 10, 800_000_000L, 1_200_000_000L, 3_000_000_000L,
                method(PARSE, 10, 300_000_000L, 400_000_001L, 0),
                method(queryName, 20, 200_000_000L, 250_000_003L, 0));
        EnergyProfile.Node main = method(MAIN, 1, 100_000_000L, 100_000_000L, 0, handle,
                method(PARSE, 5, 90_000_000L, 150_000_000L, 0));
        List<EnergyProfile.Node> top = List.of(
                bucket("(static/idle)", 6_000_000_000L, 1_000_000_000L),
                main,
                bucket("(other processes)", 500_000_000L, 0),
                bucket("(uninstrumented)", 300_000_000L, 0),
                bucket("(energy agent)", 12_345_678L, 0),
                bucket("(other paths)", 1_000L, 0),
                bucket("(lost)", 7L, 0));
        EnergyProfile.Node root = new EnergyProfile.Node("all", "", "", "", EnergyProfile.Kind.ROOT, 0, 0, 0,
                new long[]{0, 0}, new double[]{0, 0}, top, null);
        List<EnergyProfile.DomainTotal> domains = List.of(
                new EnergyProfile.DomainTotal("package:0", "package", 0, packageEstimated, 10_000_000L,
                        packageEstimated ? "model 1 W idle / 4 W busy per CPU" : "rapl intel-rapl:0",
                        root.inclusive(0), 6_000_000_000L, 500_000_000L, root.inclusive(0) - 6_500_000_000L),
                new EnergyProfile.DomainTotal("gpu:0", "gpu", 0, false, 100_000_000L, "nvml",
                        root.inclusive(1), 1_000_000_000L, 0, root.inclusive(1) - 1_000_000_000L));
        List<EnergyProfile.TimelinePoint> timeline = new ArrayList<>();
        String[] tops = {MAIN, HANDLE, HANDLE, PARSE, null, queryName, HANDLE, PARSE, HANDLE, null};
        for (int i = 0; i < tops.length; i++) {
            timeline.add(new EnergyProfile.TimelinePoint(i * 0.1, (i + 1) * 0.1, new double[]{60 + i, 120 - i},
                    new double[]{20 + 2 * i, 100 - i}, tops[i]));
        }
        List<String> notes = packageEstimated
                ? List.of("package:0 is ESTIMATED from CPU time: no energy counter was readable on this machine.")
                : List.of();
        return new EnergyProfile(EnergyProfile.SCHEMA_VERSION, "test", 1_700_000_000_000L, 1_000_000_000L,
                packageEstimated ? "estimate+nvml" : "rapl+nvml", packageEstimated, domains, root, timeline,
                new EnergyProfile.Health(0, 0, 0, 5_000_000L, 1_000_000L, 900_000_000L, 4, 2, 9), notes);
    }
}

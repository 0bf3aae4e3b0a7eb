package io.energy.report;

import io.energy.attribute.EnergyLedger;
import io.energy.attribute.LedgerNode;
import io.energy.attribute.Timeline;
import io.energy.instrument.MethodRegistry;
import io.energy.power.Domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Builds the {@link EnergyProfile} from the ledger: the one place where ledger state becomes a model. */
public final class ProfileBuilder {
    private ProfileBuilder() {
    }

    public static String bucketName(int id) {
        return bucketName(id, false);
    }

    /**
     * @param stacks true when a stack sampler attributes CPU energy: then the catch-all is
     *               {@code (unattributed)} (energy no sample came for within 10 s, and samples of application
     *               threads whose stack could not be walked), not {@code (uninstrumented)}
     */
    public static String bucketName(int id, boolean stacks) {
        return switch (id) {
            case LedgerNode.OTHER_PATHS -> "(other paths)";
            case LedgerNode.UNINSTRUMENTED -> stacks ? "(unattributed)" : "(uninstrumented)";
            case LedgerNode.GC -> "(GC)";
            case LedgerNode.JIT -> "(JIT compiler)";
            case LedgerNode.VM -> "(JVM)";
            case LedgerNode.GPU_UNSCOPED -> "(GPU outside scope)";
            case LedgerNode.OTHER_PROCESSES -> "(other processes)";
            case LedgerNode.STATIC_IDLE -> "(static/idle)";
            case LedgerNode.AGENT -> "(energy agent)";
            case LedgerNode.LOST -> "(lost)";
            default -> "(bucket " + id + ")";
        };
    }

    public static EnergyProfile build(EnergyLedger ledger, MethodRegistry registry, String agentVersion,
                                      long startEpochMillis, String source, EnergyProfile.Health health,
                                      List<String> notes) {
        return build(ledger, registry, agentVersion, startEpochMillis, source, health, notes, "call-paths");
    }

    public static EnergyProfile build(EnergyLedger ledger, MethodRegistry registry, String agentVersion,
                                      long startEpochMillis, String source, EnergyProfile.Health health,
                                      List<String> notes, String sampler) {
        List<Domain> domains = ledger.domains();
        int nd = domains.size();
        boolean estimated = false;
        List<EnergyProfile.DomainTotal> totals = new ArrayList<>();
        for (int d = 0; d < nd; d++) {
            Domain dom = domains.get(d);
            estimated |= dom.estimated();
            long measured = ledger.measuredNanoJoules(d);
            long stat = ledger.bucketNode(LedgerNode.STATIC_IDLE).selfNanoJoules[d];
            long others = ledger.bucketNode(LedgerNode.OTHER_PROCESSES).selfNanoJoules[d];
            totals.add(new EnergyProfile.DomainTotal(dom.key(), dom.kind(), dom.device(), dom.estimated(),
                    dom.grainNanos(), dom.origin(), measured, stat, others, measured - stat - others,
                    ledger.pendingNanoJoules(d)));
        }
        boolean[] inTotal = new boolean[nd];
        for (int d = 0; d < nd; d++) {
            inTotal[d] = domains.get(d).inTotal();
        }
        EnergyProfile.Node root = node(ledger.root(), registry, nd, inTotal, ledger);
        List<EnergyProfile.TimelinePoint> points = new ArrayList<>();
        List<Timeline.Point> raw = ledger.timeline().points();
        long t0 = raw.isEmpty() ? 0 : raw.get(0).startNanos();
        for (Timeline.Point p : raw) {
            double[] w = new double[nd];
            double[] pw = new double[nd];
            double s = (p.endNanos() - p.startNanos()) / 1e9;
            for (int d = 0; d < nd; d++) {
                w[d] = s > 0 ? p.nanoJoules()[d] / 1e9 / s : 0;
                pw[d] = s > 0 ? p.processNanoJoules()[d] / 1e9 / s : 0;
            }
            MethodRegistry.MethodInfo top = p.topMethodId() > 0 ? registry.info(p.topMethodId()) : null;
            points.add(new EnergyProfile.TimelinePoint((p.startNanos() - t0) / 1e9, (p.endNanos() - t0) / 1e9, w, pw,
                    top == null ? null : top.display()));
        }
        return new EnergyProfile(EnergyProfile.SCHEMA_VERSION, agentVersion, startEpochMillis,
                ledger.durationNanos(), source, estimated, List.copyOf(totals), root, List.copyOf(points), health,
                List.copyOf(notes), sampler);
    }

    private static EnergyProfile.Node node(LedgerNode n, MethodRegistry registry, int nd, boolean[] inTotal,
                                           EnergyLedger ledger) {
        List<EnergyProfile.Node> kids = new ArrayList<>();
        for (LedgerNode c : n.children()) {
            if (c.isBucket() && c.children().isEmpty() && c.calls == 0 && isZero(c.selfNanoJoules)
                    && c.methodId != LedgerNode.UNINSTRUMENTED && c.methodId != LedgerNode.OTHER_PROCESSES
                    && c.methodId != LedgerNode.STATIC_IDLE && c.methodId != LedgerNode.AGENT
                    && c.methodId != LedgerNode.OTHER_PATHS && c.methodId != LedgerNode.LOST) {
                continue; // a bucket this kind of run never fills (GC/JIT/JVM without stacks, GPU without a GPU)
            }
            kids.add(node(c, registry, nd, inTotal, ledger));
        }
        kids.sort(Comparator.comparingLong(EnergyProfile.Node::inclusiveTotal).reversed()
                .thenComparing(EnergyProfile.Node::name));
        double[] bound = new double[nd];
        for (int d = 0; d < nd; d++) {
            bound[d] = 2 * Math.sqrt(n.selfVariance[d]) / 1e9;
        }
        String name;
        String cls = "";
        String method = "";
        String desc = "";
        EnergyProfile.Kind kind;
        if (n.methodId == LedgerNode.ROOT) {
            name = "all";
            kind = EnergyProfile.Kind.ROOT;
        } else if (n.methodId < 0) {
            name = bucketName(n.methodId, ledger.options().stacks());
            kind = EnergyProfile.Kind.BUCKET;
        } else {
            MethodRegistry.MethodInfo info = registry.info(n.methodId);
            name = info == null ? "(method " + n.methodId + ")" : info.display();
            cls = info == null ? "" : info.className();
            method = info == null ? "" : info.methodName();
            desc = info == null ? "" : info.descriptor();
            kind = EnergyProfile.Kind.METHOD;
        }
        long[] self = n.selfNanoJoules.clone();
        if (n.methodId == LedgerNode.UNINSTRUMENTED) {
            // Energy still waiting for the stack samples of its intervals (a checkpoint or dump between two
            // harvests) is shown where it would go if no samples came: every file adds up to the measured total.
            for (int d = 0; d < nd; d++) {
                self[d] += ledger.pendingNanoJoules(d);
            }
        }
        double[] inclusiveBound = null;
        if (ledger.options().stacks() && n.methodId != LedgerNode.ROOT) {
            inclusiveBound = new double[nd];
            for (int d = 0; d < nd; d++) {
                inclusiveBound[d] = 2 * Math.sqrt(n.inclusiveVariance[d]) / 1e9;
            }
        }
        return new EnergyProfile.Node(name, cls, method, desc, kind, n.calls, n.wallNanos, n.cpuNanos,
                self, bound, List.copyOf(kids), inTotal, inclusiveBound);
    }

    private static boolean isZero(long[] v) {
        for (long x : v) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}

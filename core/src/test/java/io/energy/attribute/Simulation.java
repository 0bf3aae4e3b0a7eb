package io.energy.attribute;

import io.energy.bridge.EnergyBridge;
import io.energy.bridge.PathNode;
import io.energy.bridge.ThreadContext;
import io.energy.instrument.MethodRegistry;
import io.energy.power.Domain;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;

/**
 * Runs the real bridge, the real sampler and the real ledger on a virtual clock, with workloads whose
 * energy is known by construction. Each simulated thread is a real Java thread that makes real
 * {@link EnergyBridge#enter}/{@link EnergyBridge#exit} calls, advanced in lock-step with the sampler, so
 * the outcome is deterministic; only time, CPU time and power are virtual.
 *
 * <p>Power model (the same one the ledger assumes, so the truth is well defined): CPU package power is
 * {@code idle + busyWatts × (sum of the process's threads' utilisation + other processes' utilisation)};
 * a method's true energy is the dynamic power its own thread draws while it is that thread's innermost
 * instrumented frame. GPU power is {@code idle + gpuWatts} while any in-scope call path is active, shared
 * equally among the active ones.
 */
final class Simulation {
    /** A stretch of one thread's life: the instrumented stack (outermost first) and its CPU utilisation. */
    record Phase(long startMicros, long endMicros, List<String> stack, double util, boolean gpu) {
    }

    record SimThread(String name, List<Phase> phases) {
    }

    /** What is known by construction and what the ledger said. */
    record Outcome(Map<String, double[]> truth, Map<String, double[]> attributed, Map<String, double[]> bound,
                   double[] measured, long[] conservationError, double seconds) {
    }

    static final double IDLE_W = 10;
    static final double BUSY_W = 20; // per fully busy CPU
    static final double GPU_IDLE_W = 60;
    static final double GPU_BUSY_W = 300;

    private final List<SimThread> threads;
    private final double otherUtil;
    private final long tickMicros;
    private final long intervalMicros;
    private final boolean withGpu;

    Simulation(List<SimThread> threads, double otherUtil, long tickMicros, long intervalMicros, boolean withGpu) {
        this.threads = threads;
        this.otherUtil = otherUtil;
        this.tickMicros = tickMicros;
        this.intervalMicros = intervalMicros;
        this.withGpu = withGpu;
    }

    private long endMicros() {
        long end = 0;
        for (SimThread t : threads) {
            for (Phase p : t.phases()) {
                end = Math.max(end, p.endMicros());
            }
        }
        return end;
    }

    static Phase phaseAt(SimThread t, long micros) {
        for (Phase p : t.phases()) {
            if (micros >= p.startMicros() && micros < p.endMicros()) {
                return p;
            }
        }
        return null;
    }

    Outcome run() throws Exception {
        MethodRegistry registry = new MethodRegistry();
        List<Domain> domains = new ArrayList<>();
        domains.add(new Domain(Domain.PACKAGE, 0, false, 1_000_000L, "simulation"));
        if (withGpu) {
            domains.add(new Domain(Domain.GPU, 0, false, 100_000_000L, "simulation"));
        }
        int nd = domains.size();
        double[] idle = withGpu ? new double[]{IDLE_W, GPU_IDLE_W} : new double[]{IDLE_W};
        EnergyLedger ledger = new EnergyLedger(domains,
                new EnergyLedger.Options(false, false, idle, 100_000, id -> true));
        EnergyBridge.start(256, 100_000, 0, null);
        long end = endMicros();
        int n = threads.size();
        Map<ThreadContext, Integer> index = new IdentityHashMap<>();
        double[] credit = new double[n];
        boolean[] runningNow = new boolean[n];
        CallPathSampler sampler = new CallPathSampler(ctx -> {
            Integer i = index.get(ctx);
            return i != null && runningNow[i] ? CallPathSampler.Activity.RUNNING : CallPathSampler.Activity.WAITING;
        }, ctx -> 0L);
        long[] target = {0};
        java.util.Random jitter = new java.util.Random(7);
        CyclicBarrier go = new CyclicBarrier(n + 1);
        CyclicBarrier done = new CyclicBarrier(n + 1);
        ThreadContext[] contexts = new ThreadContext[n];
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            final int ti = i;
            SimThread st = threads.get(i);
            Thread w = new Thread(() -> drive(st, registry, target, go, done), "sim-" + st.name());
            w.setDaemon(true);
            workers.add(w);
            w.start();
        }
        // Truth and virtual clocks.
        Map<String, double[]> truth = new HashMap<>();
        double[] measured = new double[nd];
        long[] fed = new long[nd]; // nanojoules handed to the ledger, counted here: the conservation truth
        double[] cpuMicros = new double[n];
        long[] cpuAtClose = new long[n];
        long intervalStart = 0;
        double intervalEnergy0 = 0;
        double intervalEnergyGpu = 0;
        double intervalProcCpu = 0;
        double intervalMachineCpu = 0;
        for (long t = 0; t <= end; t += tickMicros) {
            // Integrate the truth over [t, t + tick): power is piecewise constant at tick resolution
            // only in the sampler's eyes; the truth is integrated at 10 µs steps.
            for (long u = t; u < t + tickMicros; u += 10) {
                double dt = 10e-6;
                double procUtil = 0;
                List<String> gpuActive = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    Phase p = u < end ? phaseAt(threads.get(i), u) : null;
                    double util = p == null ? 0 : p.util();
                    procUtil += util;
                    cpuMicros[i] += util * 10;
                    if (p != null && !p.stack().isEmpty()) {
                        truth.computeIfAbsent(String.join(";", p.stack()), k -> new double[nd])[0] += BUSY_W * util * dt;
                        if (p.gpu()) {
                            gpuActive.add(String.join(";", p.stack()));
                        }
                    }
                }
                double other = u < end ? otherUtil : 0;
                double pkg = IDLE_W + BUSY_W * (procUtil + other);
                intervalEnergy0 += pkg * dt;
                intervalProcCpu += procUtil * 10;
                intervalMachineCpu += (procUtil + other) * 10;
                if (withGpu) {
                    double gw = GPU_IDLE_W + (gpuActive.isEmpty() ? 0 : GPU_BUSY_W);
                    intervalEnergyGpu += gw * dt;
                    for (String k : gpuActive) {
                        truth.computeIfAbsent(k, x -> new double[nd])[1] += GPU_BUSY_W * dt / gpuActive.size();
                    }
                }
            }
            // Advance the simulated threads to a random instant of this tick, then sample, as the
            // collector's jittered ticks do: a fixed sampling instant would alias with periodic work.
            long at = t + (long) (jitter.nextDouble() * tickMicros);
            target[0] = Math.min(at, Math.max(0, end - 1));
            go.await();
            done.await();
            if (t == 0) {
                for (int i = 0; i < n; i++) {
                    ThreadContext c = contextOf(workers.get(i));
                    contexts[i] = c;
                }
            }
            for (int i = 0; i < n; i++) {
                Phase p = phaseAt(threads.get(i), target[0]);
                double util = p == null ? 0 : p.util();
                credit[i] += util;
                runningNow[i] = credit[i] >= 0.5;
                if (runningNow[i]) {
                    credit[i] -= 1;
                }
            }
            sampler.sample();
            for (int i = 0; i < n; i++) {
                if (contexts[i] != null) {
                    index.putIfAbsent(contexts[i], i);
                }
            }
            long tEnd = t + tickMicros;
            if (tEnd - intervalStart >= intervalMicros || tEnd > end) {
                long[] cpu = new long[sampler.contexts().size()];
                for (int k = 0; k < cpu.length; k++) {
                    Integer i = index.get(sampler.contexts().get(k));
                    cpu[k] = i == null ? -1 : Math.round(cpuMicros[i] * 1000);
                }
                long[] energy = withGpu
                        ? new long[]{Math.round(intervalEnergy0 * 1e9), Math.round(intervalEnergyGpu * 1e9)}
                        : new long[]{Math.round(intervalEnergy0 * 1e9)};
                measured[0] += energy[0] / 1e9;
                for (int d = 0; d < nd; d++) {
                    fed[d] += energy[d];
                }
                if (withGpu) {
                    measured[1] += energy[1] / 1e9;
                }
                double[] share = new double[nd];
                java.util.Arrays.fill(share, Double.NaN);
                IntervalInput in = new IntervalInput(intervalStart * 1000, tEnd * 1000, energy,
                        Math.round(intervalProcCpu * 1000), Math.round(intervalMachineCpu * 1000), 0, share,
                        tickMicros * 1000, sampler.closeInterval(ledger, cpu));
                ledger.apply(in);
                intervalStart = tEnd;
                intervalEnergy0 = 0;
                intervalEnergyGpu = 0;
                intervalProcCpu = 0;
                intervalMachineCpu = 0;
            }
        }
        target[0] = Long.MAX_VALUE;
        go.await();
        done.await();
        sampler.syncCalls(ledger);
        EnergyBridge.stop();
        Map<String, double[]> attributed = new HashMap<>();
        Map<String, double[]> bound = new HashMap<>();
        collect(ledger.root(), "", registry, attributed, bound, nd);
        long[] err = new long[nd];
        for (int d = 0; d < nd; d++) {
            // Against the energy that went in (issue 14), not the ledger's own measured counter: a ledger
            // that lost part of an interval before counting it would otherwise still add up.
            err[d] = treeSum(ledger.root(), d) - fed[d];
        }
        return new Outcome(truth, attributed, bound, measured, err, end / 1e6);
    }

    /** Every nanojoule the tree holds in a domain: methods, paths and buckets. */
    static long treeSum(LedgerNode n, int d) {
        long s = n.selfNanoJoules[d];
        for (LedgerNode c : n.children()) {
            s += treeSum(c, d);
        }
        return s;
    }

    private static final Map<Thread, ThreadContext> CONTEXTS = new java.util.concurrent.ConcurrentHashMap<>();

    private static ThreadContext contextOf(Thread t) {
        return CONTEXTS.get(t);
    }

    /** Body of a simulated thread: replays its phases as real enter/exit calls, in lock-step with the driver. */
    private static void drive(SimThread st, MethodRegistry registry, long[] target, CyclicBarrier go,
                              CyclicBarrier done) {
        Deque<PathNode> returns = new ArrayDeque<>();
        List<String> current = new ArrayList<>();
        try {
            // Enter and leave once so that the bridge makes this thread's context; remember it.
            int probe = registry.register("sim.Probe", "probe", "()V");
            PathNode prev = EnergyBridge.enter(probe);
            CONTEXTS.put(Thread.currentThread(), prev.owner);
            EnergyBridge.exit(prev);
            while (true) {
                go.await();
                long t = target[0];
                Phase p = t == Long.MAX_VALUE ? null : phaseAt(st, t);
                List<String> want = p == null ? List.of() : p.stack();
                int common = 0;
                while (common < current.size() && common < want.size() && current.get(common).equals(want.get(common))) {
                    common++;
                }
                while (current.size() > common) {
                    EnergyBridge.exit(returns.pop());
                    current.remove(current.size() - 1);
                }
                for (int k = common; k < want.size(); k++) {
                    String m = want.get(k);
                    int dot = m.lastIndexOf('.');
                    returns.push(EnergyBridge.enter(registry.register(m.substring(0, dot), m.substring(dot + 1), "()V")));
                    current.add(m);
                }
                done.await();
                if (t == Long.MAX_VALUE) {
                    return;
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void collect(LedgerNode node, String path, MethodRegistry registry, Map<String, double[]> out,
                                Map<String, double[]> bound, int nd) {
        for (LedgerNode c : node.children()) {
            if (c.isBucket()) {
                continue;
            }
            MethodRegistry.MethodInfo info = registry.info(c.methodId);
            String p = path.isEmpty() ? info.display() : path + ";" + info.display();
            double[] e = out.computeIfAbsent(p, k -> new double[nd]);
            double[] b = bound.computeIfAbsent(p, k -> new double[nd]);
            for (int d = 0; d < nd; d++) {
                e[d] += c.selfNanoJoules[d] / 1e9;
                b[d] = 2 * Math.sqrt(c.selfVariance[d]) / 1e9;
            }
            collect(c, p, registry, out, bound, nd);
        }
    }
}

package io.energy.session;

import io.energy.attribute.CallPathSampler;
import io.energy.attribute.EnergyLedger;
import io.energy.attribute.LedgerNode;
import io.energy.bridge.PathNode;
import io.energy.bridge.ThreadContext;
import io.energy.instrument.Instrumenter;
import io.energy.instrument.MethodRegistry;
import io.energy.instrument.OverheadBudget;
import io.energy.report.EnergyProfile;

import java.lang.instrument.Instrumentation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;

/**
 * Keeps the overhead budget for a session: at every closed interval (on the collector thread, ledger lock
 * held) it adds up each method's calls so far, hands them to {@link OverheadBudget}, and has the methods
 * it names unwoven on the agent's writer thread (a retransformation stops the world for a moment; the
 * collector goes on sampling meanwhile).
 *
 * <p>Calls so far, per method, exactly: what the ledger has been told (at each flush) plus what the
 * application threads counted since ({@code calls − reportedCalls} on their live path nodes). A thread
 * that ended had its calls moved to the ledger before it was forgotten, so nothing is counted twice or lost.
 */
final class BudgetKeeper {
    private final OverheadBudget budget;
    private final MethodRegistry registry;
    private final Instrumenter instrumenter;
    private final Instrumentation inst;
    private final EnergyLedger ledger;
    private final CallPathSampler sampler;
    private final Executor background;
    private final long startNanos;
    private final List<EnergyProfile.CountingStopped> stopped = new ArrayList<>();

    BudgetKeeper(double fraction, MethodRegistry registry, Instrumenter instrumenter, Instrumentation inst,
                 EnergyLedger ledger, CallPathSampler sampler, Executor background, long startNanos) {
        this.budget = new OverheadBudget(fraction, OverheadBudget.CALL_COST_NANOS, OverheadBudget.MIN_WINDOW_NANOS);
        this.registry = registry;
        this.instrumenter = instrumenter;
        this.inst = inst;
        this.ledger = ledger;
        this.sampler = sampler;
        this.background = background;
        this.startNanos = startNanos;
    }

    /** Collector thread, ledger lock held. */
    void intervalClosed(long nowNanos) {
        if (!budget.due(nowNanos)) {
            return; // the walk over every call path is not free: only when a decision can be made
        }
        long[] calls = callsSoFar();
        List<OverheadBudget.Stop> stops = budget.observe(nowNanos, ledger.processCpuNanos(), calls);
        if (stops.isEmpty()) {
            return;
        }
        List<Integer> ids = new ArrayList<>();
        for (OverheadBudget.Stop s : stops) {
            ids.add(s.methodId());
            MethodRegistry.MethodInfo m = registry.info(s.methodId());
            String name = m == null ? "(method " + s.methodId() + ")" : m.display();
            String reason = String.format(Locale.ROOT, "overhead budget: %.0f calls/s x %.0f ns = %.2f%% of the "
                            + "process's CPU (budget %.4g%%)", s.callsPerSecond(), budget.callCostNanos(),
                    100 * s.costShare(), 100 * budget.fraction());
            synchronized (stopped) {
                stopped.add(new EnergyProfile.CountingStopped(name, (s.atNanos() - startNanos) / 1e9,
                        s.callsPerSecond(), s.costShare(), reason));
            }
            AgentLog.debug("stopped counting " + name + ": " + reason);
        }
        // One retransformation for all the methods decided together (each one stops the world).
        try {
            background.execute(() -> instrumenter.unweave(inst, ids));
        } catch (RuntimeException e) {
            // The session is stopping: its reset restores every class anyway.
        }
    }

    /** Calls per method id so far (index = id), ledger plus what the threads have not reported yet. */
    private long[] callsSoFar() {
        long[] calls = new long[registry.idLimit()];
        ArrayDeque<LedgerNode> todo = new ArrayDeque<>();
        todo.push(ledger.root());
        while (!todo.isEmpty()) {
            LedgerNode n = todo.pop();
            if (n.methodId > 0 && n.methodId < calls.length) {
                calls[n.methodId] += n.calls;
            }
            for (LedgerNode c : n.children()) {
                todo.push(c);
            }
        }
        ArrayDeque<PathNode> paths = new ArrayDeque<>();
        for (ThreadContext ctx : sampler.contexts()) {
            paths.push(ctx.root);
            while (!paths.isEmpty()) {
                PathNode p = paths.pop();
                if (p.methodId > 0 && p.methodId < calls.length) {
                    calls[p.methodId] += Math.max(0, p.calls - p.reportedCalls);
                }
                for (PathNode c : p.children()) {
                    paths.push(c);
                }
            }
        }
        return calls;
    }

    /** @param countingCostNanos what counting cost over the whole run by the budget's estimate (the session's) */
    EnergyProfile.Overhead report(double countingCostNanos) {
        synchronized (stopped) {
            return new EnergyProfile.Overhead(budget.fraction(), budget.callCostNanos(), countingCostNanos,
                    List.copyOf(stopped), instrumenter.weaveNanos());
        }
    }

    int stoppedCount() {
        synchronized (stopped) {
            return stopped.size();
        }
    }
}

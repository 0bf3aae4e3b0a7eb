package io.energy.junit;

import io.energy.api.EnergyReading;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** One test's readings (one per repetition) and, in baseline mode, its verdict. Thread-safe. */
final class TestRecord {
    static final int SCHEMA_VERSION = 1;

    final String test;
    final String className;
    final String methodName;
    final String displayName;
    final Double budget;
    private final List<Integer> repetitions = new ArrayList<>();
    private final List<CompletableFuture<EnergyReading>> readings = new ArrayList<>();
    private Baseline.Verdict verdict;

    TestRecord(String test, String className, String methodName, String displayName, Double budget) {
        this.test = test;
        this.className = className;
        this.methodName = methodName;
        this.displayName = displayName;
        this.budget = budget;
    }

    synchronized void add(int repetition, EnergyReading r) {
        add(repetition, CompletableFuture.completedFuture(r));
    }

    synchronized void add(int repetition, CompletableFuture<EnergyReading> r) {
        repetitions.add(repetition);
        readings.add(r);
    }

    /** Every reading, waiting for those the agent has not attributed yet (one interval at most). */
    synchronized List<EnergyReading> readings() {
        List<EnergyReading> out = new ArrayList<>();
        for (CompletableFuture<EnergyReading> f : readings) {
            out.add(f.join());
        }
        return out;
    }

    synchronized double[] joules() {
        return readings().stream().filter(EnergyReading::available).mapToDouble(EnergyReading::joules).toArray();
    }

    synchronized boolean estimated() {
        return readings().stream().anyMatch(EnergyReading::estimated);
    }

    synchronized Baseline.Verdict compare(Baseline b, double alpha, double threshold) {
        verdict = b.compare(test, joules(), alpha, threshold, estimated());
        return verdict;
    }

    synchronized Baseline.Verdict verdict() {
        return verdict;
    }

    /** The file's content: see docs/junit.md. */
    synchronized Map<String, Object> toJson() {
        List<EnergyReading> rs = readings();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", SCHEMA_VERSION);
        m.put("test", test);
        m.put("className", className);
        m.put("methodName", methodName);
        m.put("displayName", displayName);
        boolean available = rs.stream().anyMatch(EnergyReading::available);
        m.put("available", available);
        m.put("reason", rs.stream().filter(r -> !r.available()).map(EnergyReading::reason).findFirst().orElse(null));
        m.put("estimated", rs.stream().anyMatch(EnergyReading::estimated));
        m.put("source", rs.stream().map(EnergyReading::source).filter(s -> s != null).findFirst().orElse(null));
        m.put("unit", "J");
        m.put("budgetJ", budget);
        List<Object> reps = new ArrayList<>();
        for (int i = 0; i < rs.size(); i++) {
            EnergyReading r = rs.get(i);
            Map<String, Object> rm = new LinkedHashMap<>();
            rm.put("repetition", repetitions.get(i));
            rm.put("available", r.available());
            if (r.available()) {
                rm.put("joules", r.joules());
                rm.put("boundJ", r.bound());
                rm.put("machineJ", r.machineJoules());
            }
            rm.put("wallMs", r.wallNanos() / 1e6);
            rm.put("cpuMs", r.cpuNanos() < 0 ? null : r.cpuNanos() / 1e6);
            rm.put("threadCpuMs", r.threadCpuNanos() < 0 ? null : r.threadCpuNanos() / 1e6);
            if (budget != null && r.available()) {
                rm.put("overBudget", r.joules() - r.bound() > budget);
            }
            Map<String, Object> ds = new LinkedHashMap<>();
            for (EnergyReading.Domain d : r.domains()) {
                Map<String, Object> dm = new LinkedHashMap<>();
                dm.put("joules", d.joules());
                dm.put("boundJ", d.bound());
                dm.put("estimated", d.estimated());
                ds.put(d.key(), dm);
            }
            rm.put("domains", ds);
            List<Object> top = new ArrayList<>();
            for (EnergyReading.Method tm : r.topMethods()) {
                Map<String, Object> mm = new LinkedHashMap<>();
                mm.put("name", tm.name());
                mm.put("joules", tm.joules());
                top.add(mm);
            }
            rm.put("topMethods", top);
            reps.add(rm);
        }
        m.put("repetitions", reps);
        if (verdict != null) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("outcome", verdict.outcome());
            v.put("baselineRepetitions", verdict.baseN());
            v.put("baselineMedianJ", finite(verdict.baseMedian()));
            v.put("medianJ", finite(verdict.newMedian()));
            v.put("change", finite(verdict.change()));
            v.put("p", finite(verdict.p()));
            v.put("baselineRuns", verdict.baseRuns());
            v.put("pRuns", finite(verdict.pRuns()));
            v.put("alpha", verdict.alpha());
            v.put("threshold", verdict.threshold());
            m.put("baseline", v);
        }
        return m;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}

package io.energy.junit;

import io.energy.api.Energy;
import io.energy.api.EnergyReading;
import io.energy.api.EnergyWindow;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JUnit 5 side of energy measurement: a window ({@link Energy#begin}) around each test's body, per
 * repetition; a budget check ({@link EnergyBudget}); a comparison with a baseline; the records in
 * {@code target/energy-tests/} and a table at the end of the run.
 *
 * <p>System properties (surefire passes {@code mvn -D...} on to the test JVM):
 * <ul>
 *   <li>{@code energy.tests.dir} — where the per-test JSON goes ({@code target/energy-tests})</li>
 *   <li>{@code energy.baseline=DIR} — compare each test with the runs stored under DIR (earlier
 *       {@code target/energy-tests/} directories, one per subdirectory): a test fails when its repetitions' joules
 *       are significantly larger (Mann–Whitney one-sided, p &lt; {@code energy.baseline.alpha}, default 0.01),
 *       <em>and</em> the median grew by more than {@code energy.baseline.threshold} (default {@code 10%}),
 *       <em>and</em>, with 3 or more stored runs, the new median lies beyond the stored runs' own spread (see
 *       {@link Baseline}). The check runs at a {@code @RepeatedTest}'s last repetition over all of them; a test
 *       needs at least 3 repetitions here and in the baseline to be compared.</li>
 *   <li>{@code energy.require=true} — fail budgeted tests when no agent is measuring (default: they pass and the
 *       record says why)</li>
 * </ul>
 */
public final class EnergyExtension implements BeforeTestExecutionCallback, AfterTestExecutionCallback,
        AfterAllCallback {
    static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(EnergyExtension.class);
    private static final Pattern INVOCATION = Pattern.compile("\\[test-template-invocation:#(\\d+)]$");

    @Override
    public void beforeTestExecution(ExtensionContext context) {
        run(context); // made (and the baseline read) before the first window, not inside it
        Key key = key(context);
        EnergyWindow w = Energy.begin(key.test + (key.repetition > 0 ? " #" + key.repetition : ""));
        context.getStore(NS).put("window", w);
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        EnergyWindow w = context.getStore(NS).remove("window", EnergyWindow.class);
        if (w == null) {
            return;
        }
        TestRun run = run(context);
        Key key = key(context);
        Method m = context.getRequiredTestMethod();
        Double budget = budget(context);
        TestRecord rec = run.record(key.test, context.getRequiredTestClass().getName(), m.getName(),
                context.getDisplayName(), budget);
        boolean last = key.repetition == 0 || key.repetition >= key.total;
        boolean compareNow = run.baseline() != null && last;
        boolean testFailed = context.getExecutionException().isPresent();
        if (budget == null && !compareNow) {
            rec.add(key.repetition, w.endAsync());
            return;
        }
        EnergyReading r = w.end();
        rec.add(key.repetition, r);
        if (budget != null && !testFailed) {
            checkBudget(run, key, r, budget);
        }
        if (compareNow) {
            Baseline.Verdict v = rec.compare(run.baseline(), run.alpha(), run.threshold());
            if (v.regression() && !testFailed) {
                throw new AssertionError("energy regression in " + v.describe());
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        run(context).writeClass(context.getRequiredTestClass().getName());
    }

    private static void checkBudget(TestRun run, Key key, EnergyReading r, double budget) {
        if (!r.available()) {
            if (run.require()) {
                throw new AssertionError("energy budget of " + key.test + " not checked: " + r.reason()
                        + " (energy.require=true)");
            }
            return;
        }
        if (r.joules() - r.bound() > budget) {
            throw new AssertionError(budgetMessage(key.test + (key.repetition > 0 ? " (repetition " + key.repetition
                    + " of " + key.total + ")" : ""), r, budget));
        }
    }

    static String budgetMessage(String test, EnergyReading r, double budget) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "energy budget exceeded: %s used %.4f J ±%.4f%s, budget %.4f J",
                test, r.joules(), r.bound(), r.estimated() ? " (estimated: CPU-time model, no energy counter)" : "",
                budget));
        if (r.topMethods().isEmpty()) {
            sb.append("; top methods: none measured (name your code in the agent's include=, e.g. include=com.acme.**)");
        } else {
            sb.append("; top methods by self joules while it ran:");
            for (EnergyReading.Method m : r.topMethods()) {
                sb.append(String.format(Locale.ROOT, " %s %.4f J,", m.name(), m.joules()));
            }
            sb.setLength(sb.length() - 1);
        }
        return sb.toString();
    }

    private static Double budget(ExtensionContext context) {
        Optional<EnergyBudget> b = AnnotationSupport.findAnnotation(context.getRequiredTestMethod(), EnergyBudget.class);
        if (b.isEmpty()) {
            b = AnnotationSupport.findAnnotation(context.getRequiredTestClass(), EnergyBudget.class);
        }
        return b.map(EnergyBudget::joules).orElse(null);
    }

    /** A test's identity across runs, and which repetition this is. */
    record Key(String test, int repetition, int total) {
    }

    static Key key(ExtensionContext context) {
        Method m = context.getRequiredTestMethod();
        String base = context.getRequiredTestClass().getName() + "#" + m.getName();
        Matcher inv = INVOCATION.matcher(context.getUniqueId());
        int index = inv.find() ? Integer.parseInt(inv.group(1)) : 0;
        Optional<RepeatedTest> rep = AnnotationSupport.findAnnotation(m, RepeatedTest.class);
        if (rep.isPresent()) {
            return new Key(base, Math.max(1, index), rep.get().value());
        }
        if (index > 0) {
            // a parameterized (or other template) invocation: each is its own test
            return new Key(base + "[" + index + "]", 0, 0);
        }
        return new Key(base, 0, 0);
    }

    static TestRun run(ExtensionContext context) {
        return context.getRoot().getStore(NS).getOrComputeIfAbsent(TestRun.class.getName(),
                k -> new TestRun(Path.of(System.getProperty("energy.tests.dir", "target/energy-tests")),
                        System.getProperty("energy.baseline"), System.getProperty("energy.baseline.threshold", "10%"),
                        System.getProperty("energy.baseline.alpha", "0.01"),
                        Boolean.getBoolean("energy.require")), TestRun.class);
    }
}

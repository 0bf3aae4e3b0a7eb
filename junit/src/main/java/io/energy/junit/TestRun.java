package io.energy.junit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.energy.api.Energy;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything measured in one test run (one JUnit engine execution): records per test, the baseline, and the
 * table printed when the run ends. Lives in the root context's store, which closes it at the end.
 */
@SuppressWarnings("deprecation") // CloseableResource for JUnit before 5.13, AutoCloseable after; close() runs once
final class TestRun implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    private boolean closed;
    private final Path dir;
    private final Baseline baseline;
    private final double threshold;
    private final double alpha;
    private final boolean require;
    private final Map<String, TestRecord> records = new LinkedHashMap<>();
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final PrintStream out;

    TestRun(Path dir, String baselineDir, String threshold, String alpha, boolean require) {
        this(dir, baselineDir, threshold, alpha, require, System.out);
    }

    TestRun(Path dir, String baselineDir, String threshold, String alpha, boolean require, PrintStream out) {
        this.dir = dir;
        this.threshold = Baseline.parseFraction(threshold);
        this.alpha = Baseline.parseFraction(alpha);
        if (!(this.alpha > 0 && this.alpha < 1)) {
            throw new IllegalArgumentException("energy.baseline.alpha=" + alpha + " must be between 0 and 1 (e.g. 0.01)");
        }
        this.require = require;
        this.out = out;
        try {
            this.baseline = baselineDir == null || baselineDir.isBlank() ? null : Baseline.load(Path.of(baselineDir));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read energy.baseline=" + baselineDir + ": " + e.getMessage(), e);
        }
    }

    Baseline baseline() {
        return baseline;
    }

    double threshold() {
        return threshold;
    }

    double alpha() {
        return alpha;
    }

    boolean require() {
        return require;
    }

    synchronized TestRecord record(String test, String className, String methodName, String displayName,
                                   Double budget) {
        return records.computeIfAbsent(test, k -> new TestRecord(test, className, methodName, displayName, budget));
    }

    /** Writes the records of one test class (after its last test). */
    void writeClass(String className) {
        List<TestRecord> rs;
        synchronized (this) {
            rs = new ArrayList<>();
            for (TestRecord r : records.values()) {
                if (r.className.equals(className)) {
                    rs.add(r);
                }
            }
        }
        for (TestRecord r : rs) {
            write(r);
        }
    }

    private void write(TestRecord r) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(fileName(r.test));
            Path tmp = dir.resolve(file.getFileName() + ".tmp");
            json.writeValue(tmp.toFile(), r.toJson());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            out.println("[energy] cannot write " + dir.resolve(fileName(r.test)) + ": " + e);
        }
    }

    static String fileName(String test) {
        return test.replaceAll("[^A-Za-z0-9._#$\\-\\[\\]]", "_") + ".json";
    }

    /** The end of the run: every record written, and the table. */
    @Override
    public void close() {
        List<TestRecord> rs;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            rs = new ArrayList<>(records.values());
        }
        for (TestRecord r : rs) {
            write(r);
        }
        out.print(table(rs));
        out.flush();
    }

    String table(List<TestRecord> rs) {
        StringBuilder sb = new StringBuilder();
        sb.append("\n[energy] tests measured: ").append(rs.size()).append(", records in ")
                .append(dir.toAbsolutePath()).append('\n');
        boolean anyAvailable = false;
        boolean estimated = false;
        String reason = null;
        for (TestRecord r : rs) {
            for (var reading : r.readings()) {
                anyAvailable |= reading.available();
                estimated |= reading.available() && reading.estimated();
                if (!reading.available() && reason == null) {
                    reason = reading.reason();
                }
            }
        }
        if (!anyAvailable) {
            sb.append("[energy] no joules: ").append(reason == null ? Energy.unavailableReason() : reason).append('\n');
        } else if (estimated) {
            sb.append("[energy] ESTIMATED: no energy counter readable, joules from the CPU-time model\n");
        }
        sb.append(String.format(Locale.ROOT, "[energy] %-60s %5s %12s %10s %10s  %s%n", "test", "runs", "median J",
                "± J", "budget J", baseline == null ? "" : "vs baseline"));
        for (TestRecord r : rs) {
            double[] j = r.joules();
            List<Double> bounds = new ArrayList<>();
            for (var reading : r.readings()) {
                if (reading.available()) {
                    bounds.add(reading.bound());
                }
            }
            double med = MannWhitney.median(j);
            double b = MannWhitney.median(bounds.stream().mapToDouble(Double::doubleValue).toArray());
            String name = r.test.length() > 60 ? "..." + r.test.substring(r.test.length() - 57) : r.test;
            String vs = "";
            Baseline.Verdict v = r.verdict();
            if (v != null) {
                vs = Double.isNaN(v.change()) ? v.outcome() : String.format(Locale.ROOT, "%+.1f%% p=%.2g %s",
                        100 * v.change(), v.p(), v.outcome());
            }
            sb.append(String.format(Locale.ROOT, "[energy] %-60s %5d %12s %10s %10s  %s%n", name, r.readings().size(),
                    j.length == 0 ? "-" : String.format(Locale.ROOT, "%.4f", med),
                    j.length == 0 ? "-" : String.format(Locale.ROOT, "%.4f", b),
                    r.budget == null ? "" : String.format(Locale.ROOT, "%.4f", r.budget), vs));
        }
        return sb.toString();
    }
}

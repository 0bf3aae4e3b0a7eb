package io.energy.power.replay;

import io.energy.power.Domain;
import io.energy.power.PowerSource;
import io.energy.power.ProbeResult;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Plays a {@link ReplayTrace} back as if its counters were live: the trace's time 0 is the first read
 * (which the collector does as the agent starts), and every later read gets the trace's cumulative
 * energy at the same distance from it. A trace with Unix epoch times ({@code epoch_s}) is played against
 * the wall clock instead: the first read pairs {@code System.nanoTime()} with the wall clock once (to the
 * microsecond), and every read gets the trace's energy at that wall-clock time, so a meter's log lines up
 * with the run it measured, and a test can place power where its workload will run. Used for tests with known truths, for accuracy checks against an
 * external meter, and to attribute a recorded run again.
 */
public final class ReplayPowerSource implements PowerSource {
    private final ReplayTrace trace;
    private final List<Domain> domains;
    private long startNanos = Long.MIN_VALUE;
    private long startEpochNanos;

    public ReplayPowerSource(ReplayTrace trace) {
        this.trace = trace;
        List<Domain> d = new ArrayList<>();
        long grain = trace.grainNanos();
        for (ReplayTrace.Column c : trace.columns()) {
            d.add(new Domain(c.kind(), c.device(), c.estimated(), grain, String.format(Locale.ROOT,
                    "replay of %s, column %s (%d rows over %.3f s%s%s)", trace.file(), c.key(), trace.rows(),
                    trace.spanSeconds(), trace.rows() > 1 ? ", then the last rate" : ", then nothing",
                    trace.epoch() ? ", aligned by the wall clock" : "")));
        }
        this.domains = List.copyOf(d);
    }

    public static ProbeResult probe(Path file) {
        if (file == null) {
            return new ProbeResult("replay", false, List.of("no trace file given (replay=FILE)"),
                    "replay plays a recorded trace and is used only when asked for",
                    List.of("source=replay,replay=FILE (record one with record=FILE)"));
        }
        try {
            ReplayTrace t = ReplayTrace.read(file);
            List<String> found = new ArrayList<>();
            found.add(String.format(Locale.ROOT, "%s: %d rows over %.3f s, rows typically %s apart", file, t.rows(),
                    t.spanSeconds(), PowerSource.grainText(t.grainNanos())));
            for (int c = 0; c < t.columns().size(); c++) {
                ReplayTrace.Column col = t.columns().get(c);
                found.add(String.format(Locale.ROOT, "column %-9s %.3f J%s", col.key(), t.totalJoules(c),
                        col.estimated() ? " (marked estimated)" : ""));
            }
            return new ProbeResult("replay", true, found, null, List.of());
        } catch (ReplayFormatException e) {
            return new ProbeResult("replay", false, List.of("trace " + file), e.getMessage(),
                    List.of("correct the file, or leave out source=replay to measure live"));
        }
    }

    /** Opens the trace, or says in one line why not and returns null. */
    public static ReplayPowerSource open(Path file, Consumer<String> log) {
        if (file == null) {
            log.accept("source=replay needs replay=FILE; using the ESTIMATED model instead");
            return null;
        }
        try {
            return new ReplayPowerSource(ReplayTrace.read(file));
        } catch (ReplayFormatException e) {
            log.accept(e.getMessage() + "; using the ESTIMATED model instead");
            return null;
        }
    }

    public ReplayTrace trace() {
        return trace;
    }

    @Override
    public String name() {
        return "replay";
    }

    @Override
    public List<Domain> domains() {
        return domains;
    }

    @Override
    public void read(long nowNanos, long[] cumulativeNanoJoules) {
        if (startNanos == Long.MIN_VALUE) {
            startNanos = nowNanos;
            if (trace.epoch()) {
                // The wall clock at nowNanos: Instant.now() read next to a nanoTime, moved back to nowNanos.
                long before = System.nanoTime();
                java.time.Instant wall = java.time.Instant.now();
                startEpochNanos = wall.getEpochSecond() * 1_000_000_000L + wall.getNano() - (before - nowNanos);
            }
        }
        long t = Math.max(0, nowNanos - startNanos);
        if (trace.epoch()) {
            t = startEpochNanos + t;
        }
        for (int c = 0; c < domains.size(); c++) {
            cumulativeNanoJoules[c] = trace.energyAt(c, t);
        }
    }
}

package io.energy.power.replay;

import io.energy.power.Domain;
import io.energy.power.PowerSource;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Passes every reading of a source through unchanged and appends it to a replay trace ({@code record=FILE}),
 * so that a live run can be played back with {@code source=replay,replay=FILE}.
 *
 * <p>The rows go to {@code FILE.partial}, flushed about once a second, and the file is renamed to
 * {@code FILE} when the source closes: {@code FILE} is either absent or whole, and after a crash the
 * {@code .partial} file still holds a valid trace up to its last flush. Values are written with nine
 * decimals, so seconds and joules round-trip to the nanosecond and nanojoule. A write failure stops the
 * recording with one message; measuring goes on.
 */
public final class RecordingPowerSource implements PowerSource {
    private static final long FLUSH_NANOS = 1_000_000_000L;

    private final PowerSource inner;
    private final Path target;
    private final Path partial;
    private final Consumer<String> log;
    private final StringBuilder row = new StringBuilder(128);
    private Writer out;
    private long startNanos = Long.MIN_VALUE;
    private long lastFlush;

    private RecordingPowerSource(PowerSource inner, Path target, Path partial, Writer out, Consumer<String> log) {
        this.inner = inner;
        this.target = target;
        this.partial = partial;
        this.out = out;
        this.log = log;
    }

    /** The source with a recorder around it, or the source alone (after one message) if the file cannot be written. */
    public static PowerSource wrap(PowerSource inner, Path target, Consumer<String> log) {
        Set<String> keys = new HashSet<>();
        for (Domain d : inner.domains()) {
            if (!keys.add(d.key())) {
                log.accept("record=" + target + ": two domains are both " + d.key() + ", which a trace cannot hold; "
                        + "not recording");
                return inner;
            }
        }
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        try {
            Path dir = target.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            Writer w = new BufferedWriter(Files.newBufferedWriter(partial, StandardCharsets.UTF_8), 1 << 16);
            StringBuilder h = new StringBuilder();
            h.append("# energy power recording from source ").append(inner.name()).append(", started ")
                    .append(Instant.now()).append('\n');
            h.append("# replay with: source=replay,replay=").append(target.getFileName()).append('\n');
            StringBuilder est = new StringBuilder();
            for (Domain d : inner.domains()) {
                h.append("# ").append(d.key()).append(": ").append(d.estimated() ? "ESTIMATED, " : "measured, ")
                        .append(oneLine(d.origin())).append('\n');
                if (d.estimated()) {
                    est.append(est.length() == 0 ? "" : ",").append(d.key());
                }
            }
            if (est.length() > 0) {
                h.append("# estimated: ").append(est).append('\n');
            }
            h.append("time_s");
            for (Domain d : inner.domains()) {
                h.append(',').append(d.key());
            }
            h.append('\n');
            w.write(h.toString());
            return new RecordingPowerSource(inner, target, partial, w, log);
        } catch (IOException | RuntimeException e) {
            log.accept("cannot record power readings to " + partial + " (" + e + "); measuring goes on without a "
                    + "recording");
            return inner;
        }
    }

    @Override
    public void read(long nowNanos, long[] cumulativeNanoJoules) {
        inner.read(nowNanos, cumulativeNanoJoules);
        Writer w = out;
        if (w == null) {
            return;
        }
        if (startNanos == Long.MIN_VALUE) {
            startNanos = nowNanos;
            lastFlush = nowNanos;
        }
        row.setLength(0);
        fixed9(row, Math.max(0, nowNanos - startNanos));
        for (int i = 0; i < inner.domains().size(); i++) {
            row.append(',');
            fixed9(row, cumulativeNanoJoules[i]);
        }
        row.append('\n');
        try {
            w.append(row);
            if (nowNanos - lastFlush >= FLUSH_NANOS) {
                lastFlush = nowNanos;
                w.flush();
            }
        } catch (IOException e) {
            fail(e);
        }
    }

    private void fail(IOException e) {
        log.accept("recording to " + partial + " stopped: " + e.getMessage() + "; measuring goes on");
        try {
            out.close();
        } catch (IOException ignored) {
            // already failing; the message above is the one that counts
        }
        out = null;
    }

    /** {@code 12345678901} as {@code 12.345678901}: exact, no floating point. */
    static void fixed9(StringBuilder sb, long v) {
        sb.append(v / 1_000_000_000L).append('.');
        String frac = Long.toString(v % 1_000_000_000L);
        for (int i = frac.length(); i < 9; i++) {
            sb.append('0');
        }
        sb.append(frac);
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ').replace('\r', ' ');
    }

    @Override
    public void close() {
        try {
            inner.close();
        } finally {
            Writer w = out;
            out = null;
            if (w != null) {
                try {
                    w.close();
                    try {
                        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE,
                                StandardCopyOption.REPLACE_EXISTING);
                    } catch (AtomicMoveNotSupportedException e) {
                        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                } catch (IOException e) {
                    log.accept("cannot finish the power recording " + target + " (" + e.getMessage() + "); what was "
                            + "recorded is in " + partial);
                }
            }
        }
    }

    public PowerSource inner() {
        return inner;
    }

    public Path target() {
        return target;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public List<Domain> domains() {
        return inner.domains();
    }

    @Override
    public double idleWatts(int domainIndex) {
        return inner.idleWatts(domainIndex);
    }

    @Override
    public double processShare(int domainIndex) {
        return inner.processShare(domainIndex);
    }

    @Override
    public int socket(int domainIndex) {
        return inner.socket(domainIndex);
    }

    @Override
    public long anomalies() {
        return inner.anomalies();
    }

    @Override
    public long readCostNanos() {
        return inner.readCostNanos();
    }

    @Override
    public String describe() {
        return inner.describe() + String.format("\n%-10s every reading also goes to %s (a replay trace)", "record",
                target.toAbsolutePath());
    }
}

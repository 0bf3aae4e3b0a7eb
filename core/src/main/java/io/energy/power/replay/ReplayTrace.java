package io.energy.power.replay;

import java.io.BufferedReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A power trace: cumulative joules per domain at points in time. The file form (docs/power-sources.md):
 *
 * <pre>
 * # comments and blank lines anywhere
 * # estimated: package:0        (optional: these columns came from a model, not a counter)
 * time_s,package:0,dram:0,gpu:0
 * 0,0,0,0
 * 0.5,20.5,3,150
 * 1.0,41,6,300
 * </pre>
 *
 * Times are seconds since the trace start, strictly increasing; values are cumulative joules, never
 * decreasing. A header that starts with {@code epoch_s} instead of {@code time_s} gives times as Unix epoch
 * seconds (an external meter's log): such a trace is played against the wall clock, not from the agent's
 * start (see {@link ReplayPowerSource}). Any other line makes the whole file unusable: a trace read in part would replay wrong
 * energies as if they were right, which is worse than the labelled estimate the agent falls back to.
 * Numbers are read as exact decimals into nanoseconds and nanojoules, so a trace written by
 * {@link RecordingPowerSource} replays to the nanojoule.
 */
public final class ReplayTrace {
    static final String FORM = "expected a header 'time_s,<domain>[:<device>],...' (domains: package, core, uncore, "
            + "dram, psys, gpu; e.g. time_s,package:0,dram:0,gpu:0), then rows 'seconds,joules,...' of seconds since "
            + "the trace start and cumulative joules per column (or a header starting epoch_s and rows of Unix epoch "
            + "seconds); '#' starts a comment line";
    private static final Pattern COLUMN = Pattern.compile("(package|core|uncore|dram|psys|gpu)(?::(\\d{1,6}))?");
    private static final String ESTIMATED = "# estimated:";

    /** A column: one domain. */
    public record Column(String kind, int device, boolean estimated) {
        public String key() {
            return kind + ":" + device;
        }
    }

    private final Path file;
    private final List<Column> columns;
    private final long[] times;
    private final long[][] values;
    private final boolean epoch;

    private ReplayTrace(Path file, List<Column> columns, long[] times, long[][] values, boolean epoch) {
        this.file = file;
        this.columns = columns;
        this.times = times;
        this.values = values;
        this.epoch = epoch;
    }

    /** Whether the times are Unix epoch seconds (header {@code epoch_s}) rather than seconds since the start. */
    public boolean epoch() {
        return epoch;
    }

    public Path file() {
        return file;
    }

    public List<Column> columns() {
        return columns;
    }

    public int rows() {
        return times.length;
    }

    /** Seconds from the first row to the last. */
    public double spanSeconds() {
        return (times[times.length - 1] - times[0]) / 1e9;
    }

    /**
     * The typical (median) spacing of rows: how finely the trace resolves power. Not the smallest, because
     * a recording ends with a short last interval when the agent stops.
     */
    public long grainNanos() {
        if (times.length < 2) {
            return 1_000_000_000L;
        }
        long[] gaps = new long[times.length - 1];
        for (int i = 1; i < times.length; i++) {
            gaps[i - 1] = times[i] - times[i - 1];
        }
        java.util.Arrays.sort(gaps);
        return gaps[(gaps.length - 1) / 2];
    }

    /** Joules of a column over the whole trace, first row to last. */
    public double totalJoules(int column) {
        return (values[times.length - 1][column] - values[0][column]) / 1e9;
    }

    /**
     * Nanojoules of a column between the trace's first row and {@code t} nanoseconds after the trace start:
     * linear between rows, nothing before the first row, and after the last row the last segment's rate
     * goes on (one row alone: nothing more).
     */
    public long energyAt(int column, long t) {
        int n = times.length;
        if (t <= times[0]) {
            return 0;
        }
        long base = values[0][column];
        if (t >= times[n - 1]) {
            long last = values[n - 1][column] - base;
            if (n < 2) {
                return last;
            }
            double rate = (values[n - 1][column] - values[n - 2][column]) / (double) (times[n - 1] - times[n - 2]);
            double more = rate * (t - times[n - 1]);
            return more >= Long.MAX_VALUE - last ? Long.MAX_VALUE : last + Math.round(more);
        }
        int lo = 0;
        int hi = n - 1;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (times[mid] <= t) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double f = (t - times[lo]) / (double) (times[hi] - times[lo]);
        return values[lo][column] - base + Math.round((values[hi][column] - values[lo][column]) * f);
    }

    public static ReplayTrace read(Path file) throws ReplayFormatException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(file, r);
        } catch (ReplayFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ReplayFormatException("cannot read replay trace " + file + ": " + describe(e));
        }
    }

    static ReplayTrace parse(Path file, BufferedReader r) throws IOException, ReplayFormatException {
        List<Column> columns = null;
        boolean epoch = false;
        Set<String> estimated = new LinkedHashSet<>();
        int estimatedLine = 0;
        List<long[]> rows = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        String line;
        int no = 0;
        while ((line = r.readLine()) != null) {
            no++;
            String s = line.strip();
            if (no == 1 && s.startsWith("\uFEFF")) {
                s = s.substring(1).strip();
            }
            if (s.isEmpty()) {
                continue;
            }
            if (s.startsWith("#")) {
                if (s.regionMatches(true, 0, ESTIMATED, 0, ESTIMATED.length())) {
                    for (String k : s.substring(ESTIMATED.length()).split("[,\\s]+")) {
                        if (!k.isBlank()) {
                            estimated.add(k.contains(":") ? k : k + ":0");
                        }
                    }
                    estimatedLine = no;
                }
                continue;
            }
            String[] f = s.split(",", -1);
            if (columns == null) {
                columns = header(file, no, f);
                epoch = f[0].strip().equalsIgnoreCase("epoch_s");
                continue;
            }
            if (f.length != columns.size() + 1) {
                throw bad(file, no, "has " + f.length + " fields, the header has " + (columns.size() + 1));
            }
            long t = decimal(file, no, f[0], "time");
            if (!times.isEmpty() && t <= times.get(times.size() - 1)) {
                throw bad(file, no, "time " + f[0].strip() + " s is not after the previous row's");
            }
            long[] v = new long[columns.size()];
            for (int c = 0; c < v.length; c++) {
                v[c] = decimal(file, no, f[c + 1], columns.get(c).key());
                if (!rows.isEmpty() && v[c] < rows.get(rows.size() - 1)[c]) {
                    throw bad(file, no, columns.get(c).key() + " goes down from the previous row ("
                            + f[c + 1].strip() + " J); values are cumulative joules and never decrease");
                }
            }
            times.add(t);
            rows.add(v);
        }
        if (columns == null) {
            throw new ReplayFormatException("replay trace " + file + " has no header line; " + FORM);
        }
        if (rows.isEmpty()) {
            throw new ReplayFormatException("replay trace " + file + " has a header but no rows; " + FORM);
        }
        Set<String> keys = new HashSet<>();
        for (Column c : columns) {
            keys.add(c.key());
        }
        for (String k : estimated) {
            if (!keys.contains(k)) {
                throw bad(file, estimatedLine, "'# estimated:' names " + k + ", which is no column of the header");
            }
        }
        List<Column> cols = new ArrayList<>();
        for (Column c : columns) {
            cols.add(new Column(c.kind(), c.device(), estimated.contains(c.key())));
        }
        long[] t = new long[times.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = times.get(i);
        }
        return new ReplayTrace(file, List.copyOf(cols), t, rows.toArray(new long[0][]), epoch);
    }

    private static List<Column> header(Path file, int no, String[] f) throws ReplayFormatException {
        if (!f[0].strip().equalsIgnoreCase("time_s") && !f[0].strip().equalsIgnoreCase("epoch_s")) {
            throw bad(file, no, "is not a header: it should start with time_s (or epoch_s)");
        }
        if (f.length < 2) {
            throw bad(file, no, "names no domain column");
        }
        List<Column> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 1; i < f.length; i++) {
            Matcher m = COLUMN.matcher(f[i].strip());
            if (!m.matches()) {
                throw bad(file, no, "column '" + printable(f[i].strip()) + "' is not <domain>[:<device>]");
            }
            Column c = new Column(m.group(1), m.group(2) == null ? 0 : Integer.parseInt(m.group(2)), false);
            if (!seen.add(c.key())) {
                throw bad(file, no, "names " + c.key() + " twice");
            }
            out.add(c);
        }
        return out;
    }

    /** An exact non-negative decimal, scaled by 10^9: seconds to nanoseconds, joules to nanojoules. */
    private static long decimal(Path file, int no, String field, String what) throws ReplayFormatException {
        String s = field.strip();
        try {
            if (s.length() > 40) {
                throw new NumberFormatException("too long");
            }
            BigDecimal d = new BigDecimal(s);
            if (d.signum() < 0) {
                throw bad(file, no, what + " is negative (" + printable(s) + ")");
            }
            return d.movePointRight(9).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw bad(file, no, what + " '" + printable(s) + "' is not a plain number up to 9.2e9 (write e.g. 12.5)");
        }
    }

    private static ReplayFormatException bad(Path file, int no, String what) {
        return new ReplayFormatException("replay trace " + file + " line " + no + " " + what + "; " + FORM);
    }

    private static String describe(Throwable e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < 40; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return sb.toString();
    }
}

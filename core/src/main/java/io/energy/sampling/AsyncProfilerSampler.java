package io.energy.sampling;

import one.profiler.AsyncProfiler;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * CPU-time samples of real stacks from async-profiler (its {@code cpu} event: perf_events where the kernel
 * allows, its own CPU timers otherwise). It walks JIT stubs and intrinsics, sees the frames of mounted
 * virtual threads, and samples a thread only while it is on a CPU, which is what "energy follows CPU time"
 * needs.
 *
 * <p>Harvesting: async-profiler keeps a running count per distinct stack; every harvest reads that table
 * ({@code dumpCollapsed}) and keeps the difference from the previous read. The read costs time in
 * proportion to the number of distinct stacks, so harvests are spaced to keep their cost under
 * {@link #HARVEST_BUDGET} of a core (every interval for a small program, every second or two for a large
 * one); and the profiler is restarted when its table grows past a bound or has run for
 * {@link #ROTATE_NANOS}, so its memory stays flat over a long-running service.
 *
 * <p>The class {@code one.profiler.AsyncProfiler} binds to its native library by JNI names, so it cannot be
 * relocated: it lives in the agent's private class loader only. If another copy of async-profiler is
 * already loaded in the process (an application's continuous profiler), this sampler does not start: two
 * profilers would fight over the same signal.
 */
public final class AsyncProfilerSampler implements StackSampler {
    /** Share of one core that harvests may take. */
    static final double HARVEST_BUDGET = 0.005;
    /** Longest time between two harvests, whatever they cost. */
    static final long MAX_HARVEST_GAP_NANOS = 5_000_000_000L;
    /**
     * Early in a run, the gap after a harvest is at most the sampler's age or this, whichever is longer. A harvest
     * runs cold code at first (the parsing is interpreted: 10-20 ms where a warm one takes 1-2 ms), and spacing by
     * that cost alone put the second harvest up to {@link #MAX_HARVEST_GAP_NANOS} after the first, so the live
     * outputs (JFR windows, Prometheus) showed no method energy in a program's first seconds.
     */
    static final long EARLY_HARVEST_GAP_NANOS = 1_000_000_000L;
    /** Restart the profiler (and free its stack table) this often. */
    static final long ROTATE_NANOS = 30L * 60 * 1_000_000_000L;

    /**
     * {@code dumpCollapsed(Counter.SAMPLES)} with the log level of the command raised: at INFO, async-profiler
     * prints "[INFO] No samples were collected" on the application's stdout when a harvest finds none (a
     * program that ends, or idles, before its first sample). The log level is per command.
     */
    private static final String DUMP = "collapsed,samples,loglevel=warn";
    /** Messages of async-profiler's own log kept for the debug log; the rest are counted. */
    static final int MAX_MESSAGES = 20;

    /** Where this class loader put the native library: it can be loaded once per process. */
    private static String loadedLibrary;

    private final AsyncProfiler profiler;
    private final StackClassifier classifier;
    private final long periodNanos;
    private final String event;
    private final int maxStacks;
    private final String startCommand;
    private final com.sun.management.ThreadMXBean threads;
    /** The sampled threads' own CPU clocks, read at each harvest (not for itimer, which is no thread's clock). */
    private final ThreadClocks clocks = new ThreadClocks();
    private final CollapsedDiff diff;
    private long nextHarvest;
    private long startedAt;
    /** When sampling first began (rotations do not move it): the age that bounds early harvest gaps. */
    private long firstStartedAt = Long.MIN_VALUE;
    private long harvestCpu;
    private long lastHarvestCost;
    private long rotations;
    private String problem;
    private boolean running;
    /**
     * Where async-profiler logs: its default is the application's stdout, where a warning such as "perf_event_open
     * for TID 922 failed: No such process" (a thread that ended as sampling reached it) changed the output of the
     * program measured (a CI run of RobustnessIT). Every command names the file, since each resets the log; each
     * also truncates it, so it is read before the next command. Null: no private file, and the log is off.
     */
    private final Path logFile;
    private final String logArgument;
    private final java.util.List<String> messages = new java.util.ArrayList<>();
    private long messageCount;
    /**
     * The library's version, asked once through {@link #execute}: {@code getVersion()} is a command too, and one
     * without {@code log=} puts the log back on stdout until the next harvest (found by review: {@link #describe},
     * which attach's {@code status} calls mid-run, did that).
     */
    private String version;
    /**
     * Test seam, null outside tests: run by a restart after its last read of the running profiler and before the
     * stop, so a test can take samples in the window that only the read after the stop sees.
     */
    Runnable inRestartWindow;

    private AsyncProfilerSampler(AsyncProfiler profiler, StackClassifier classifier, long periodNanos, String event,
                                 int maxStacks, int maxDepth) {
        this.profiler = profiler;
        this.classifier = classifier;
        this.diff = new CollapsedDiff(classifier);
        this.periodNanos = periodNanos;
        this.event = event;
        this.maxStacks = maxStacks;
        // jstackdepth: deeper frames are not kept by the ledger either; a bound keeps the profiler's walk cheap.
        // threads: each stack is prefixed with its thread, so the ledger knows which samples share one clock.
        this.logFile = privateLog();
        this.logArgument = logFile == null ? ",loglevel=none" : ",log=" + logFile;
        this.startCommand = "start,event=" + event + ",interval=" + periodNanos + ",threads,jstackdepth="
                + Math.max(64, maxDepth + 64) + ",loglevel=warn";
        this.threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    }

    /**
     * Loads async-profiler and starts sampling.
     *
     * @throws IllegalStateException with a sentence for people when it cannot run here
     */
    public static AsyncProfilerSampler start(FrameIds ids, int maxDepth, long periodNanos, String event,
                                             int maxStacks) {
        AsyncProfiler profiler = load();
        AsyncProfilerSampler s = new AsyncProfilerSampler(profiler, new StackClassifier(ids, maxDepth), periodNanos,
                event, maxStacks, maxDepth);
        s.begin(System.nanoTime());
        return s;
    }

    /** A new owner-only file for async-profiler's log, or null (none can be made, or its name would not parse). */
    private static Path privateLog() {
        try {
            Path f = io.energy.protocol.PrivateFiles.tempCopy(InputStream.nullInputStream(), "energy-asprof-", ".log");
            if (f.toString().contains(",")) {
                Files.deleteIfExists(f);
                return null;
            }
            return f;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The file async-profiler logs to, or null: for tests. */
    Path logFile() {
        return logFile;
    }

    /** Runs a profiler command with its log sent to {@link #logFile}, after reading what the last one left there. */
    String execute(String command) throws IOException {
        readLog();
        return profiler.execute(command + logArgument);
    }

    private void readLog() {
        try {
            if (logFile == null || Files.size(logFile) == 0) {
                return;
            }
            for (String line : Files.readAllLines(logFile, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                messageCount++;
                if (messages.size() < MAX_MESSAGES && !messages.contains(line.trim())) {
                    messages.add(line.trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // the log is for people; a read that fails loses a message, never a sample
        }
    }

    private synchronized String version() {
        if (version == null) {
            try {
                version = execute("version").trim();
            } catch (IOException | RuntimeException e) {
                version = "(version unknown)";
            }
        }
        return version;
    }

    @Override
    public synchronized java.util.List<String> messages() {
        readLog();
        java.util.List<String> out = new java.util.ArrayList<>(messages);
        if (messageCount > messages.size()) {
            out.add("(" + messageCount + " lines in all)");
        }
        return out;
    }

    private static synchronized AsyncProfiler load() {
        String platform = platform();
        if (platform == null) {
            throw new IllegalStateException("async-profiler has no native library for " + System.getProperty("os.name")
                    + " " + System.getProperty("os.arch"));
        }
        if (loadedLibrary == null) {
            String other = otherProfilerLoaded();
            if (other != null) {
                throw new IllegalStateException("another async-profiler is already loaded in this JVM (" + other
                        + "); not starting a second one, which would fight it for the same signal");
            }
            try (InputStream in = AsyncProfilerSampler.class.getClassLoader()
                    .getResourceAsStream(platform + "/libasyncProfiler.so")) {
                if (in == null) {
                    throw new IllegalStateException("async-profiler's native library for " + platform
                            + " is missing from the agent");
                }
                loadedLibrary = io.energy.protocol.PrivateFiles.tempCopy(in, "energy-asprof-", ".so").toString();
            } catch (IOException e) {
                throw new IllegalStateException("cannot unpack async-profiler's native library: " + e.getMessage());
            }
        }
        try {
            return AsyncProfiler.getInstance(loadedLibrary);
        } catch (Throwable t) {
            throw new IllegalStateException("cannot load async-profiler's native library: " + t);
        }
    }

    /**
     * What {@code doctor} says about async-profiler here: whether its library loads, and which of its CPU
     * clocks the kernel allows ({@code check,event=...}), without starting it.
     */
    public static java.util.List<String> probe() {
        java.util.List<String> lines = new java.util.ArrayList<>();
        try {
            AsyncProfiler p = load();
            lines.add("found: async-profiler " + p.getVersion() + " (" + platform() + ", unpacked from the agent)");
            for (String event : new String[]{"cpu", "itimer", "ctimer"}) {
                String answer;
                try {
                    answer = p.execute("check,event=" + event).trim();
                } catch (Throwable t) {
                    answer = "not available: " + t.getMessage();
                }
                lines.add("found: event " + event + ": " + (answer.isEmpty() ? "OK" : answer));
            }
        } catch (Throwable t) {
            lines.add("why:   " + (t instanceof IllegalStateException ? t.getMessage() : t.toString()));
        }
        return lines;
    }

    static String platform() {
        return platform(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
    }

    /**
     * The folder of async-profiler's jar that holds the native library for this OS and CPU (the JDK's {@code os.name}
     * and {@code os.arch}), or null where it ships none.
     */
    static String platform(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = osArch.toLowerCase(Locale.ROOT);
        if (os.contains("linux")) {
            if (arch.equals("amd64") || arch.equals("x86_64")) {
                return "linux-x64";
            }
            if (arch.equals("aarch64") || arch.equals("arm64")) {
                return "linux-arm64";
            }
            return null;
        }
        return os.contains("mac") ? "macos" : null;
    }

    /** A libasyncProfiler mapped into this process that is not ours, or null (Linux: /proc/self/maps). */
    static String otherProfilerLoaded() {
        return otherProfilerLoaded(Path.of("/proc/self/maps"));
    }

    /** The path of the first libasyncProfiler in a {@code /proc/PID/maps} file, or null (also if it cannot be read). */
    static String otherProfilerLoaded(Path maps) {
        try {
            if (!Files.isReadable(maps)) {
                return null;
            }
            for (String line : Files.readAllLines(maps, StandardCharsets.ISO_8859_1)) {
                int at = line.indexOf('/');
                if (line.contains("libasyncProfiler") && at >= 0) {
                    return line.substring(at);
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    private void begin(long now) {
        try {
            execute(startCommand);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("async-profiler did not start (" + e.getMessage() + ")");
        }
        running = true;
        startedAt = now;
        if (firstStartedAt == Long.MIN_VALUE) {
            firstStartedAt = now;
        }
        nextHarvest = now;
        diff.restart();
    }

    @Override
    public String name() {
        return "async-profiler";
    }

    @Override
    public String describe() {
        return "async-profiler " + version() + ", event " + event + ", one sample per "
                + periodNanos / 1_000_000.0 + " ms of CPU time per thread (real stacks: JIT, intrinsics, "
                + "virtual threads; CPU time only)";
    }

    @Override
    public long periodNanos() {
        return periodNanos;
    }

    @Override
    public synchronized StackSamples harvest(long nowNanos, boolean force) {
        if (!running || (!force && nowNanos < nextHarvest)) {
            return null;
        }
        long cpu0 = threads.getCurrentThreadCpuTime();
        // cpu (perf_events task-clock, or its per-thread CPU timer fallback) and ctimer tick on each thread's
        // own CPU clock; itimer is one timer for the process, whose signal lands on whichever thread runs.
        StackSamples out = new StackSamples(periodNanos, !event.equals("itimer"));
        try {
            diff.collect(execute(DUMP), out);
            if (diff.size() > maxStacks || nowNanos - startedAt > ROTATE_NANOS) {
                // Restart: the profiler's table and ours are emptied; what was sampled since the read above
                // is read once more after the stop, so nothing is lost in between.
                if (inRestartWindow != null) {
                    inRestartWindow.run();
                }
                execute("stop");
                diff.collect(execute(DUMP), out);
                rotations++;
                running = false;
                diff.forgetStacks();
                begin(nowNanos);
            }
            if (out.perThreadClocks()) {
                clocks.read(out);
            }
        } catch (Throwable t) {
            problem = "async-profiler failed (" + t + "); CPU energy from here on goes to (unattributed)";
            running = false;
            // Left running, the profiler would go on sampling every thread of the host (its signals and their cost)
            // with nobody reading it, and stop() would skip it as not running; the next session could not start it.
            try {
                execute("stop");
            } catch (Throwable alreadyStoppedOrBroken) {
                // A restart that failed after its stop, or a profiler that fails every command: nothing more to do.
            }
            return out;
        }
        long cost = Math.max(0, threads.getCurrentThreadCpuTime() - cpu0);
        harvestCpu += cost;
        lastHarvestCost = cost;
        nextHarvest = nowNanos + harvestGap(cost, nowNanos - firstStartedAt);
        return out;
    }

    /**
     * Time to wait after a harvest that cost {@code costNanos} of CPU, {@code ageNanos} after sampling began:
     * long enough to keep harvests within {@link #HARVEST_BUDGET} of a core, never longer than
     * {@link #MAX_HARVEST_GAP_NANOS}, and while the run is young no longer than its age (at least
     * {@link #EARLY_HARVEST_GAP_NANOS}), since the first harvests' cost is the cold code's, not the table's.
     * The early rule costs a few harvests more over a run's first seconds (the gaps double: 1, 2, 4 s).
     */
    static long harvestGap(long costNanos, long ageNanos) {
        long byCost = (long) (costNanos / HARVEST_BUDGET);
        long early = Math.max(EARLY_HARVEST_GAP_NANOS, ageNanos);
        return Math.min(MAX_HARVEST_GAP_NANOS, Math.min(byCost, early));
    }

    @Override
    public String problem() {
        return problem;
    }

    @Override
    public long harvestCpuNanos() {
        return harvestCpu;
    }

    /** Times the profiler was restarted to bound its memory. */
    public long rotations() {
        return rotations;
    }

    long lastHarvestCostNanos() {
        return lastHarvestCost;
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        try {
            execute("stop");
            readLog();
            if (logFile != null) {
                // Stopped, the profiler logs nothing more; the next session (attach) makes its own file.
                Files.deleteIfExists(logFile);
            }
        } catch (Throwable ignored) {
            // Stopping is best effort: the process goes on either way.
        }
    }
}

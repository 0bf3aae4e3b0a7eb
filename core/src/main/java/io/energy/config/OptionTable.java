package io.energy.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every agent option, once: key, default, accepted values, help. {@link ConfigParser} reads values through
 * it, {@code java -jar energy.jar help} prints it, and the README's option table is generated from it
 * ({@link #markdown()}; {@code OptionTableReadmeTest} fails when the README disagrees).
 *
 * <p>Adding an option: one line here, {@code public static final Option<T> NAME = add(Option.kind(...));},
 * in the place where the docs should list it; then a component in {@link Config} and
 * {@code values.get(OptionTable.NAME)} at the same position in {@link ConfigParser#build}; then regenerate
 * the README table (see CONTRIBUTING.md).
 */
public final class OptionTable {
    private static final List<Option<?>> ALL = new ArrayList<>();

    // The order is the order of `help` and of the README table.
    public static final Option<List<MethodPattern>> INCLUDE = add(Option.patterns("include",
            "';'-separated classes/methods to measure: com.acme.** (package and below), com.acme.* (classes in the "
                    + "package), com.acme.Foo (all its methods), com.acme.Foo#bar, com.acme.Foo#get*"));
    public static final Option<List<MethodPattern>> EXCLUDE = add(Option.patterns("exclude",
            "';'-separated patterns to leave out"));
    public static final Option<Path> OUT = add(Option.path("out", "energy-out", "output directory"));
    public static final Option<Config.Source> SOURCE = add(Option.choice("source", Config.Source.class, "auto",
            "power source (auto: RAPL if readable, else the estimate; plus NVML GPUs if a driver answers)"));
    public static final Option<Path> REPLAY = add(Option.path("replay", null,
            "replay trace file (CSV: time_s,<domain>[:<device>],...) for source=replay"));
    public static final Option<Path> RECORD = add(Option.path("record", null,
            "also write every power reading to FILE as a replay trace (same format as replay=)"));
    public static final Option<Path> RAPL_ROOT = add(Option.path("rapl.root", "/sys/class/powercap",
            "powercap directory"));
    public static final Option<String> NVML_LIBRARY = add(Option.text("nvml.library", "libnvidia-ml.so.1",
            "NVML library name or path"));
    public static final Option<Duration> INTERVAL = add(Option.duration("interval", "100ms", false,
            Duration.ofMillis(10), Duration.ofSeconds(10), "attribution interval"));
    public static final Option<Config.Sampler> SAMPLER = add(Option.choice("sampler", Config.Sampler.class, "auto",
            "what finds the stacks CPU energy follows (auto: async-profiler, else JDK 25's JFR CPU-time sampler, "
                    + "else the instrumented call paths)"));
    public static final Option<Config.SamplerEvent> SAMPLER_EVENT = add(Option.choice("sampler.event",
            Config.SamplerEvent.class, "cpu", "async-profiler's CPU clock (cpu: perf_events, or its own timers where "
                    + "perf_events is not allowed)"));
    public static final Option<Duration> SAMPLE_PERIOD = add(Option.duration("sample.period", "auto", false,
            Duration.ofNanos(100_000), Duration.ofMillis(100),
            "CPU time per stack sample; with sampler=paths, how often each thread's call path is sampled (jittered)")
            .orWord("auto", Duration.ZERO)
            .defaultShownAs("auto: 10ms of a thread's CPU time per stack sample (under 1% of a core); with "
                    + "sampler=paths 1ms with RAPL counters, 10ms with the estimated model or NVML alone"));
    public static final Option<Duration> CHECKPOINT = add(Option.duration("checkpoint", "60s", true,
            Duration.ofSeconds(1), Duration.ofHours(24), "how often outputs are rewritten while running"));
    public static final Option<Duration> FLUSH = add(Option.duration("flush", "1s", false,
            Duration.ofMillis(100), Duration.ofHours(1), "JFR energy.MethodEnergy window"));
    public static final Option<Duration> LONG_CALL = add(Option.duration("long.call", "20ms", true,
            Duration.ofMillis(1), Duration.ofHours(1), "emit energy.MethodCall for calls at least this long"));
    public static final Option<Boolean> JFR = add(Option.bool("jfr", "true", "emit live JFR events"));
    public static final Option<Boolean> JFR_RECORD = add(Option.bool("jfr.record", "false",
            "start a flight recording of the energy events into out/energy-live.jfr"));
    public static final Option<Integer> MAX_PATHS = add(Option.integer("max.paths", "20000", 100, 10_000_000,
            "distinct call paths kept per thread (all threads together: 4x) and in the merged profile; beyond, calls count in (other paths)"));
    public static final Option<Integer> MAX_DEPTH = add(Option.integer("max.depth", "256", 1, 10_000,
            "deepest instrumented frame kept"));
    public static final Option<List<MethodPattern>> GPU_SCOPE = add(Option.patterns("gpu.scope",
            "';'-separated patterns of methods that GPU energy may go to, e.g. com.acme.Gpu#launch*")
            .defaultShownAs("every instrumented method"));
    public static final Option<Config.StaticShare> STATIC = add(Option.choice("static", Config.StaticShare.class,
            "idle", "where the machine's idle energy goes: its own bucket (idle) or this process's call paths"));
    public static final Option<Boolean> DEDICATED = add(Option.bool("dedicated", "false",
            "the machine runs only this process, so it gets all dynamic energy"));
    public static final Option<Double> ESTIMATE_IDLE_WATTS = add(Option.number("estimate.idle.watts", "0.74", 0, 1000,
            "estimated model: watts per logical CPU at idle (Cloud Carbon Footprint's average)"));
    public static final Option<Double> ESTIMATE_BUSY_WATTS = add(Option.number("estimate.busy.watts", "3.5", 0, 1000,
            "estimated model: watts per logical CPU fully busy (Cloud Carbon Footprint's average)"));
    public static final Option<Map<String, Double>> IDLE = add(Option.custom("idle", Map.of(), "none",
            "known idle power per domain in watts, e.g. package:12.5;dram:2;gpu:70", ConfigParser::idle));
    public static final Option<Config.LogLevel> LOG = add(Option.choice("log", Config.LogLevel.class, "info",
            "what the agent prints"));
    public static final Option<Integer> TOP = add(Option.integer("top", "10", 0, 1000,
            "rows in the table printed at exit"));
    public static final Option<Boolean> WEAVE_TRIVIAL = add(Option.bool("weave.trivial", "false",
            "also instrument trivial methods (no calls, no loops, at most 35 bytes of bytecode: accessors, constant "
                    + "returns), whose time otherwise stays with their callers"));
    public static final Option<Double> OVERHEAD = add(Option.custom("overhead", Config.DEFAULT_OVERHEAD, "1%",
            "how much of the process's CPU time counting calls may cost (0.01% to 100%, or off to count every call "
                    + "whatever it costs); the hottest methods beyond it stop being counted", ConfigParser::overhead));
    public static final Option<String> PROMETHEUS = add(Option.text("prometheus", "off",
            "serve Prometheus metrics at http://HOST:PORT/metrics: off, PORT (binds 127.0.0.1; 0 picks a free port) "
                    + "or HOST:PORT ([ADDRESS]:PORT for IPv6)"));
    public static final Option<Integer> PROMETHEUS_METHODS = add(Option.integer("prometheus.methods", "50", 1, 10_000,
            "methods with their own Prometheus series; the rest are summed in method=\"other\""));
    public static final Option<Path> CONFIG = add(Option.path("config", null,
            "a properties file with any of these keys (agent arguments win over -Denergy.KEY, which win over it)"));

    private static final Map<String, Option<?>> BY_KEY;

    static {
        Map<String, Option<?>> m = new LinkedHashMap<>();
        for (Option<?> o : ALL) {
            if (m.put(o.key(), o) != null) {
                throw new IllegalStateException("option " + o.key() + " is listed twice");
            }
        }
        BY_KEY = Collections.unmodifiableMap(m);
    }

    private OptionTable() {
    }

    private static <T> Option<T> add(Option<T> option) {
        ALL.add(option);
        return option;
    }

    /** Every option, in the order of the docs. */
    public static List<Option<?>> all() {
        return Collections.unmodifiableList(ALL);
    }

    /** The option with this key, or null. */
    public static Option<?> find(String key) {
        return BY_KEY.get(key);
    }

    public static Set<String> keys() {
        return BY_KEY.keySet();
    }

    /** Values read from {@code key=value} pairs, every key checked, every value read or defaulted. */
    public static Values read(Map<String, String> given) {
        for (String key : given.keySet()) {
            if (!BY_KEY.containsKey(key)) {
                throw new ConfigException(ConfigParser.printable(key), "unknown option '" + ConfigParser.printable(key)
                        + "'; accepted keys: " + String.join(", ", BY_KEY.keySet()));
            }
        }
        Map<Option<?>, Object> values = new LinkedHashMap<>();
        for (Option<?> o : ALL) {
            values.put(o, o.read(given.get(o.key())));
        }
        return new Values(values);
    }

    /** What {@code java -jar energy.jar help} lists: one line per key. */
    public static String helpLines() {
        StringBuilder sb = new StringBuilder();
        for (Option<?> o : ALL) {
            sb.append(String.format("  %-20s %s%n", o.key(), o.describe()));
        }
        return sb.toString();
    }

    /** The README's option table, generated: key, what it means and accepts, default. */
    public static String markdown() {
        StringBuilder sb = new StringBuilder("| key | meaning | accepts | default |\n|---|---|---|---|\n");
        for (Option<?> o : ALL) {
            sb.append("| `").append(o.key()).append("` | ").append(escape(o.help())).append(" | ")
                    .append(o.accepted().isEmpty() ? "" : "`" + o.accepted().replace("|", "\\|") + "`").append(" | ")
                    .append(defaultCell(o))
                    .append(" |\n");
        }
        return sb.toString();
    }

    private static String defaultCell(Option<?> o) {
        String value = o.defaultValue();
        String text = o.defaultText();
        if (value != null && text.startsWith(value)) {
            return "`" + value + "`" + escape(text.substring(value.length()));
        }
        return escape(text);
    }

    /**
     * Markdown outside code spans: no emphasis from {@code com.acme.**}, no HTML from {@code <domain>}, no
     * cell break at a pipe. (GitHub splits table cells at every unescaped pipe, even inside a code span,
     * which is why accepted values escape theirs too.)
     */
    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")
                .replace("<", "&lt;").replace(">", "&gt;");
    }

    /** The read values of every option, typed by the option. */
    public static final class Values {
        private final Map<Option<?>, Object> values;

        private Values(Map<Option<?>, Object> values) {
            this.values = values;
        }

        /** The value given for the option, or its default. Typed by the option it was read with. */
        @SuppressWarnings("unchecked")
        public <T> T get(Option<T> option) {
            return (T) values.get(option);
        }
    }
}

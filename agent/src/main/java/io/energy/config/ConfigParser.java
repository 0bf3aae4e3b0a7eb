package io.energy.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Turns agent arguments ({@code key=value,key=value}), {@code -Denergy.key=value} system properties and a
 * properties file ({@code config=FILE}) into one {@link Config}. Later sources win: file, then system
 * properties, then agent arguments. Every problem is one {@link ConfigException} naming the key, the
 * value and what is accepted.
 */
public final class ConfigParser {
    public static final String SYSTEM_PREFIX = "energy.";

    /** Every key with a one-line description of what it accepts; the order is the order of the docs. */
    public static final Map<String, String> KEYS;

    static {
        Map<String, String> k = new LinkedHashMap<>();
        k.put("include", "';'-separated class/method patterns to measure, e.g. com.acme.**;com.acme.Foo#bar");
        k.put("exclude", "';'-separated patterns to leave out");
        k.put("out", "output directory (default energy-out)");
        k.put("source", "auto | estimate | rapl | nvml | replay (default auto)");
        k.put("replay", "replay trace file (CSV: time_s,<domain>[:<device>],...) for source=replay");
        k.put("record", "also write every power reading to FILE as a replay trace (same format as replay=)");
        k.put("rapl.root", "powercap directory (default /sys/class/powercap)");
        k.put("nvml.library", "NVML library name or path (default libnvidia-ml.so.1)");
        k.put("interval", "attribution interval, 10ms to 10s (default 100ms)");
        k.put("sample.period", "sampling period, 100us to 100ms, or auto (default auto: stacks every 10ms of a thread's CPU time; "
                + "with sampler=paths, 1ms with RAPL "
                + "counters, 10ms, the model's grain, with the estimated model or NVML alone, which keeps the agent "
                + "under 1% of a core where timer wake-ups are dear, as in VMs)");
        k.put("sampler", "auto | async | jfr | paths: what finds the stacks CPU energy follows (default auto: "
                + "async-profiler, else JDK 25's JFR CPU-time sampler, else the instrumented call paths)");
        k.put("sampler.event", "cpu | itimer | ctimer: async-profiler's CPU clock (default cpu: perf_events, or "
                + "its timers where perf_events is not allowed)");
        k.put("checkpoint", "how often outputs are rewritten while running, 0 (off) or 1s to 24h (default 60s)");
        k.put("flush", "JFR MethodEnergy window, 100ms to 1h (default 1s)");
        k.put("long.call", "emit energy.MethodCall for calls at least this long, 0 (off) or 1ms to 1h (default 20ms)");
        k.put("jfr", "true | false: emit live JFR events (default true)");
        k.put("jfr.record", "true | false: start a flight recording of the energy events into out/ (default false)");
        k.put("max.paths", "distinct call paths kept per thread and in total, 100 to 10000000 (default 20000)");
        k.put("max.depth", "deepest instrumented frame kept, 1 to 10000 (default 256)");
        k.put("gpu.scope", "';'-separated patterns of methods that GPU energy may go to (default: every instrumented method)");
        k.put("static", "idle | process: where the machine's idle energy goes (default idle)");
        k.put("dedicated", "true | false: the machine runs only this process, so it gets all dynamic energy (default false)");
        k.put("estimate.idle.watts", "estimated model: watts per logical CPU at idle, 0 to 1000 (default 0.74)");
        k.put("estimate.busy.watts", "estimated model: watts per logical CPU fully busy, 0 to 1000 (default 3.5)");
        k.put("idle", "known idle power per domain, e.g. package:12.5;dram:2;gpu:70 (watts)");
        k.put("log", "quiet | info | debug (default info)");
        k.put("top", "rows in the table printed at exit, 0 to 1000 (default 10)");
        k.put("config", "a properties file with any of these keys");
        KEYS = Collections.unmodifiableMap(k);
    }

    private ConfigParser() {
    }

    public static Config parse(String agentArgs) {
        return parse(agentArgs, System.getProperties());
    }

    public static Config parse(String agentArgs, Properties system) {
        Map<String, String> args = splitArgs(agentArgs);
        Map<String, String> sys = new LinkedHashMap<>();
        for (String name : system.stringPropertyNames()) {
            if (name.startsWith(SYSTEM_PREFIX)) {
                sys.put(name.substring(SYSTEM_PREFIX.length()), system.getProperty(name));
            }
        }
        Map<String, String> merged = new LinkedHashMap<>();
        String file = args.containsKey("config") ? args.get("config") : sys.get("config");
        if (file != null) {
            merged.putAll(readFile(file));
        }
        merged.putAll(sys);
        merged.putAll(args);
        return build(merged);
    }

    static Map<String, String> splitArgs(String agentArgs) {
        Map<String, String> out = new LinkedHashMap<>();
        if (agentArgs == null || agentArgs.isBlank()) {
            return out;
        }
        for (String part : agentArgs.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(printable(part.trim()), "option '" + printable(part.trim())
                        + "' has no value; write key=value, "
                        + "keys: " + String.join(", ", KEYS.keySet()));
            }
            out.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
        }
        return out;
    }

    private static Map<String, String> readFile(String file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("config", "cannot read config file '" + printable(file) + "': "
                    + printable(String.valueOf(e.getMessage()))
                    + "; expected a readable properties file with keys such as include=..., out=...");
        }
        Map<String, String> m = new TreeMap<>();
        for (String name : p.stringPropertyNames()) {
            String key = name.startsWith(SYSTEM_PREFIX) ? name.substring(SYSTEM_PREFIX.length()) : name;
            m.put(key, p.getProperty(name).trim());
        }
        return m;
    }

    static Config build(Map<String, String> v) {
        for (String key : v.keySet()) {
            if (!KEYS.containsKey(key)) {
                throw new ConfigException(printable(key), "unknown option '" + printable(key) + "'; accepted keys: "
                        + String.join(", ", KEYS.keySet()));
            }
        }
        List<MethodPattern> include = patterns("include", v.get("include"));
        for (MethodPattern p : include) {
            if (p.matchesEverything()) {
                throw new ConfigException("include", "pattern '" + p + "' in include would instrument every class "
                        + "of the application and its libraries; name your own packages, e.g. include=com.acme.**");
            }
        }
        return new Config(
                include,
                patterns("exclude", v.get("exclude")),
                path("out", v.getOrDefault("out", "energy-out")),
                choice("source", v.getOrDefault("source", "auto"), Config.Source.class),
                v.containsKey("replay") ? path("replay", v.get("replay")) : null,
                v.containsKey("record") ? path("record", v.get("record")) : null,
                path("rapl.root", v.getOrDefault("rapl.root", "/sys/class/powercap")),
                nonEmpty("nvml.library", v.getOrDefault("nvml.library", "libnvidia-ml.so.1")),
                duration("interval", v.getOrDefault("interval", "100ms"), false, Duration.ofMillis(10), Duration.ofSeconds(10)),
                "auto".equals(v.getOrDefault("sample.period", "auto").trim()) ? Duration.ZERO
                        : duration("sample.period", v.get("sample.period"), false, Duration.ofNanos(100_000), Duration.ofMillis(100)),
                duration("checkpoint", v.getOrDefault("checkpoint", "60s"), true, Duration.ofSeconds(1), Duration.ofHours(24)),
                duration("flush", v.getOrDefault("flush", "1s"), false, Duration.ofMillis(100), Duration.ofHours(1)),
                duration("long.call", v.getOrDefault("long.call", "20ms"), true, Duration.ofMillis(1), Duration.ofHours(1)),
                bool("jfr", v.getOrDefault("jfr", "true")),
                bool("jfr.record", v.getOrDefault("jfr.record", "false")),
                integer("max.paths", v.getOrDefault("max.paths", "20000"), 100, 10_000_000),
                integer("max.depth", v.getOrDefault("max.depth", "256"), 1, 10_000),
                patterns("gpu.scope", v.get("gpu.scope")),
                choice("static", v.getOrDefault("static", "idle"), Config.StaticShare.class),
                bool("dedicated", v.getOrDefault("dedicated", "false")),
                number("estimate.idle.watts", v.getOrDefault("estimate.idle.watts", "0.74"), 0, 1000),
                number("estimate.busy.watts", v.getOrDefault("estimate.busy.watts", "3.5"), 0, 1000),
                idle(v.get("idle")),
                choice("log", v.getOrDefault("log", "info"), Config.LogLevel.class),
                integer("top", v.getOrDefault("top", "10"), 0, 1000),
                choice("sampler", v.getOrDefault("sampler", "auto"), Config.Sampler.class),
                oneOf("sampler.event", v.getOrDefault("sampler.event", "cpu"), "cpu", "itimer", "ctimer"));
    }

    private static List<MethodPattern> patterns(String key, String value) {
        List<MethodPattern> out = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return List.of();
        }
        for (String p : value.split(";")) {
            if (!p.isBlank()) {
                out.add(MethodPattern.parse(key, p));
            }
        }
        return List.copyOf(out);
    }

    private static Path path(String key, String value) {
        try {
            if (value.isBlank() || value.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("empty");
            }
            return Path.of(value);
        } catch (RuntimeException e) {
            throw new ConfigException(key, "option " + key + "='" + printable(value) + "' is not a usable path; expected "
                    + KEYS.get(key));
        }
    }

    private static String nonEmpty(String key, String value) {
        if (value.isBlank()) {
            throw new ConfigException(key, "option " + key + " is empty; expected " + KEYS.get(key));
        }
        return value;
    }

    private static <E extends Enum<E>> E choice(String key, String value, Class<E> type) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> names = new ArrayList<>();
            for (E c : type.getEnumConstants()) {
                names.add(c.name().toLowerCase(Locale.ROOT));
            }
            throw new ConfigException(key, "option " + key + "='" + printable(value) + "' is not one of "
                    + String.join(" | ", names));
        }
    }

    private static String oneOf(String key, String value, String... accepted) {
        String s = value.trim().toLowerCase(Locale.ROOT);
        for (String a : accepted) {
            if (a.equals(s)) {
                return a;
            }
        }
        throw new ConfigException(key, "option " + key + "='" + printable(value) + "' is not one of "
                + String.join(" | ", accepted));
    }

    private static boolean bool(String key, String value) {
        String s = value.trim().toLowerCase(Locale.ROOT);
        switch (s) {
            case "true", "on", "yes", "1" -> {
                return true;
            }
            case "false", "off", "no", "0" -> {
                return false;
            }
            default -> throw new ConfigException(key, "option " + key + "='" + printable(value)
                    + "' is not true | false");
        }
    }

    private static int integer(String key, String value, int min, int max) {
        try {
            long n = Long.parseLong(value.trim().replace("_", ""));
            if (n >= min && n <= max) {
                return (int) n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ConfigException(key, "option " + key + "='" + printable(value) + "' is not a whole number from "
                + min + " to " + max);
    }

    private static double number(String key, String value, double min, double max) {
        try {
            double d = Double.parseDouble(value.trim());
            if (d >= min && d <= max && Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ConfigException(key, "option " + key + "='" + printable(value) + "' is not a number from "
                + min + " to " + max);
    }

    /** Parses 250us, 100ms, 2s, 5m, 1h; a bare number is milliseconds. {@code 0} or off is zero if allowed. */
    public static Duration duration(String key, String value, boolean zeroAllowed, Duration min, Duration max) {
        String s = value.trim().toLowerCase(Locale.ROOT);
        Duration d = null;
        try {
            if (s.equals("off") || s.equals("0")) {
                d = Duration.ZERO;
            } else {
                String num = s;
                long unitNanos = 1_000_000L;
                String[][] units = {{"us", "1000"}, {"ms", "1000000"}, {"s", "1000000000"},
                        {"m", "60000000000"}, {"h", "3600000000000"}};
                for (String[] u : units) {
                    if (s.endsWith(u[0]) && !(u[0].equals("s") && (s.endsWith("ms") || s.endsWith("us")))) {
                        num = s.substring(0, s.length() - u[0].length());
                        unitNanos = Long.parseLong(u[1]);
                        break;
                    }
                }
                double n = Double.parseDouble(num.trim());
                if (Double.isFinite(n) && n >= 0 && n * unitNanos < 1e18) {
                    d = Duration.ofNanos(Math.round(n * unitNanos));
                }
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        if (d != null && ((d.isZero() && zeroAllowed) || (d.compareTo(min) >= 0 && d.compareTo(max) <= 0))) {
            return d;
        }
        throw new ConfigException(key, "option " + key + "='" + printable(value) + "' is not a duration; expected "
                + KEYS.get(key));
    }

    private static Map<String, Double> idle(String value) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (value == null || value.isBlank()) {
            return Map.of();
        }
        for (String part : value.split(";")) {
            int colon = part.lastIndexOf(':');
            if (colon <= 0) {
                throw new ConfigException("idle", "option idle='" + printable(value) + "': '" + printable(part)
                        + "' is not domain:watts; expected " + KEYS.get("idle"));
            }
            out.put(part.substring(0, colon).trim(), number("idle", part.substring(colon + 1), 0, 100_000));
        }
        return Collections.unmodifiableMap(out);
    }

    /** The value as it may be echoed: control characters replaced, long values cut. */
    public static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(c < 0x20 || c == 0x7f ? '?' : c);
            if (sb.length() > 200) {
                sb.append("...");
                break;
            }
        }
        return sb.toString();
    }
}

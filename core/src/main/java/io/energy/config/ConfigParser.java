package io.energy.config;

import io.energy.protocol.AgentArgument;

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

    /**
     * Every key with its one-line description, in the order of the docs: a view of {@link OptionTable}, kept
     * for callers that only need names and help.
     */
    public static final Map<String, String> KEYS;

    static {
        Map<String, String> k = new LinkedHashMap<>();
        for (Option<?> o : OptionTable.all()) {
            k.put(o.key(), o.describe());
        }
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
            // Unknown -Denergy.<x> properties are skipped here and named in one warning by the caller
            // (unknownSystemProperties): a host may set properties of its own under that prefix, and those
            // must not switch measurement off. Unknown agent arguments are still refused.
            if (name.startsWith(SYSTEM_PREFIX) && KEYS.containsKey(name.substring(SYSTEM_PREFIX.length()))) {
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

    /**
     * The {@code -Denergy.<x>} system properties that name no option, sorted: {@link #parse} ignores them, and
     * the agent says so in one warning line instead of refusing to start.
     */
    public static List<String> unknownSystemProperties(Properties system) {
        List<String> unknown = new ArrayList<>();
        for (String name : system.stringPropertyNames()) {
            if (name.startsWith(SYSTEM_PREFIX) && !KEYS.containsKey(name.substring(SYSTEM_PREFIX.length()))) {
                unknown.add(printable(name));
            }
        }
        Collections.sort(unknown);
        return unknown;
    }

    static Map<String, String> splitArgs(String agentArgs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (AgentArgument a : AgentArgument.split(agentArgs)) {
            if (!a.hasValue()) {
                throw new ConfigException(printable(a.key()), "option '" + printable(a.key())
                        + "' has no value; write key=value, "
                        + "keys: " + String.join(", ", KEYS.keySet()));
            }
            out.put(a.key(), a.value());
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

    /** One {@code values.get} per {@link Config} component, in its order; defaults and bounds are in the table. */
    static Config build(Map<String, String> given) {
        OptionTable.Values v = OptionTable.read(given);
        List<MethodPattern> include = v.get(OptionTable.INCLUDE);
        for (MethodPattern p : include) {
            if (p.matchesEverything()) {
                throw new ConfigException("include", "pattern '" + p + "' in include would instrument every class "
                        + "of the application and its libraries; name your own packages, e.g. include=com.acme.**");
            }
        }
        return new Config(
                include,
                v.get(OptionTable.EXCLUDE),
                v.get(OptionTable.OUT),
                v.get(OptionTable.SOURCE),
                v.get(OptionTable.REPLAY),
                v.get(OptionTable.RECORD),
                v.get(OptionTable.RAPL_ROOT),
                v.get(OptionTable.NVML_LIBRARY),
                v.get(OptionTable.INTERVAL),
                v.get(OptionTable.SAMPLE_PERIOD),
                v.get(OptionTable.CHECKPOINT),
                v.get(OptionTable.FLUSH),
                v.get(OptionTable.LONG_CALL),
                v.get(OptionTable.JFR),
                v.get(OptionTable.JFR_RECORD),
                v.get(OptionTable.MAX_PATHS),
                v.get(OptionTable.MAX_DEPTH),
                v.get(OptionTable.GPU_SCOPE),
                v.get(OptionTable.STATIC),
                v.get(OptionTable.DEDICATED),
                v.get(OptionTable.ESTIMATE_IDLE_WATTS),
                v.get(OptionTable.ESTIMATE_BUSY_WATTS),
                v.get(OptionTable.IDLE),
                v.get(OptionTable.LOG),
                v.get(OptionTable.TOP),
                v.get(OptionTable.SAMPLER),
                v.get(OptionTable.SAMPLER_EVENT),
                MetricsOptions.parse(v.get(OptionTable.PROMETHEUS), v.get(OptionTable.PROMETHEUS_METHODS)),
                v.get(OptionTable.WEAVE_TRIVIAL),
                v.get(OptionTable.OVERHEAD));
    }

    /** {@code 1%}, {@code 0.5%}, a bare number (percent), or off / 0 (no budget): a fraction, 0 for off. */
    static double overhead(Option<Double> option, String value) {
        String s = value.trim().toLowerCase(Locale.ROOT);
        if (s.equals("off") || s.equals("0") || s.equals("0%")) {
            return 0;
        }
        try {
            double pct = Double.parseDouble(s.endsWith("%") ? s.substring(0, s.length() - 1).trim() : s);
            if (Double.isFinite(pct) && pct >= 0.01 && pct <= 100) {
                return pct / 100;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ConfigException("overhead", "option overhead='" + printable(value) + "' is not a percentage; expected "
                + "how much of the process's CPU time counting calls may cost, 0.01% to 100%, or off");
    }

    static double number(String key, String value, double min, double max) {
        try {
            double d = Double.parseDouble(value.trim());
            if (d >= min && d <= max && Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ConfigException(key, "option " + key + "='" + printable(value) + "' is not a number from "
                + Option.plain(min) + " to " + Option.plain(max));
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
        Option<?> option = OptionTable.find(key);
        throw new ConfigException(key, "option " + key + "='" + printable(value) + "' is not a duration; expected "
                + (option != null ? option.describe()
                : (zeroAllowed ? "0 (off) or " : "") + Option.format(min) + " to " + Option.format(max)));
    }

    static Map<String, Double> idle(Option<Map<String, Double>> option, String value) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (value.isBlank()) {
            return Map.of();
        }
        for (String part : value.split(";")) {
            int colon = part.lastIndexOf(':');
            if (colon <= 0) {
                throw new ConfigException("idle", "option idle='" + printable(value) + "': '" + printable(part)
                        + "' is not domain:watts; expected " + option.describe());
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

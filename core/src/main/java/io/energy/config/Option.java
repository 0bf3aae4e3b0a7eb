package io.energy.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One agent option: its key, its default (written here and nowhere else), what it accepts, one line of
 * help, and how a value is read. {@link OptionTable} lists them all; parsing, {@code java -jar energy.jar
 * help} and the README's option table are all made from that list.
 *
 * @param <T> the type the value is read into, the type of the matching {@link Config} component
 */
public final class Option<T> {
    /** Reads one value; throws a {@link ConfigException} naming the key and what is accepted. */
    @FunctionalInterface
    interface Reader<T> {
        T read(Option<T> option, String value);
    }

    private final String key;
    private final String defaultValue;
    private final String defaultText;
    private final T unset;
    private final String accepted;
    private final String help;
    private final Reader<T> reader;

    private Option(String key, String defaultValue, String defaultText, T unset, String accepted, String help,
                   Reader<T> reader) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.defaultText = defaultText;
        this.unset = unset;
        this.accepted = accepted;
        this.help = help;
        this.reader = reader;
    }

    public String key() {
        return key;
    }

    /** The default as a user would write it, or null when the option has none (then {@link #unset} applies). */
    public String defaultValue() {
        return defaultValue;
    }

    /** The default as the docs show it: the default value, or what an unset option means. */
    public String defaultText() {
        return defaultText;
    }

    /** The accepted values or bounds, e.g. {@code 10ms to 10s} or {@code true | false}; may be empty. */
    public String accepted() {
        return accepted;
    }

    public String help() {
        return help;
    }

    /** The one line {@code help} prints and error messages end with: help, accepted values, default. */
    public String describe() {
        return help + (accepted.isEmpty() ? "" : ", " + accepted) + " (default " + defaultText + ")";
    }

    /** The value given, or the default if none was. */
    T read(String value) {
        if (value == null) {
            return defaultValue == null ? unset : reader.read(this, defaultValue);
        }
        return reader.read(this, value);
    }

    /** The same option with the docs saying {@code text} for its default (for defaults that need a sentence). */
    Option<T> defaultShownAs(String text) {
        return new Option<>(key, defaultValue, text, unset, accepted, help, reader);
    }

    /** The same option also accepting the word {@code word}, read as {@code value}: {@code sample.period=auto}. */
    Option<T> orWord(String word, T value) {
        Reader<T> inner = reader;
        return new Option<>(key, defaultValue, defaultText, unset, accepted + ", or " + word, help,
                (o, v) -> word.equals(v.trim().toLowerCase(Locale.ROOT)) ? value : inner.read(o, v));
    }

    private ConfigException rejected(String value, String why) {
        return new ConfigException(key, "option " + key + "='" + ConfigParser.printable(value) + "' " + why);
    }

    // ----- the kinds of option -----------------------------------------------------------------------------

    static Option<String> text(String key, String defaultValue, String help) {
        return new Option<>(key, defaultValue, shown(defaultValue), null, "", help, (o, v) -> {
            if (v.isBlank()) {
                throw new ConfigException(key, "option " + key + " is empty; expected " + o.describe());
            }
            return v;
        });
    }

    static Option<Path> path(String key, String defaultValue, String help) {
        return new Option<>(key, defaultValue, shown(defaultValue), null, "", help, (o, v) -> {
            try {
                if (v.isBlank() || v.indexOf('\0') >= 0) {
                    throw new IllegalArgumentException("empty");
                }
                return Path.of(v);
            } catch (RuntimeException e) {
                throw o.rejected(v, "is not a usable path; expected " + o.describe());
            }
        });
    }

    static <E extends Enum<E>> Option<E> choice(String key, Class<E> type, String defaultValue, String help) {
        List<String> names = new ArrayList<>();
        for (E c : type.getEnumConstants()) {
            names.add(c.name().toLowerCase(Locale.ROOT));
        }
        String accepted = String.join(" | ", names);
        return new Option<>(key, defaultValue, shown(defaultValue), null, accepted, help, (o, v) -> {
            try {
                return Enum.valueOf(type, v.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw o.rejected(v, "is not one of " + accepted);
            }
        });
    }

    static Option<Boolean> bool(String key, String defaultValue, String help) {
        return new Option<>(key, defaultValue, shown(defaultValue), false, "true | false", help, (o, v) -> {
            switch (v.trim().toLowerCase(Locale.ROOT)) {
                case "true", "on", "yes", "1" -> {
                    return true;
                }
                case "false", "off", "no", "0" -> {
                    return false;
                }
                default -> throw o.rejected(v, "is not true | false");
            }
        });
    }

    static Option<Integer> integer(String key, String defaultValue, int min, int max, String help) {
        return new Option<>(key, defaultValue, shown(defaultValue), null, min + " to " + max, help, (o, v) -> {
            try {
                long n = Long.parseLong(v.trim().replace("_", ""));
                if (n >= min && n <= max) {
                    return (int) n;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw o.rejected(v, "is not a whole number from " + min + " to " + max);
        });
    }

    static Option<Double> number(String key, String defaultValue, double min, double max, String help) {
        String accepted = plain(min) + " to " + plain(max);
        return new Option<>(key, defaultValue, shown(defaultValue), null, accepted, help,
                (o, v) -> ConfigParser.number(key, v, min, max));
    }

    /** {@code zeroIsOff}: 0 (or off) is accepted too, and means the feature is off. */
    static Option<Duration> duration(String key, String defaultValue, boolean zeroIsOff, Duration min, Duration max,
                                     String help) {
        String accepted = (zeroIsOff ? "0 (off) or " : "") + format(min) + " to " + format(max);
        return new Option<>(key, defaultValue, shown(defaultValue), null, accepted, help,
                (o, v) -> ConfigParser.duration(key, v, zeroIsOff, min, max));
    }

    static Option<List<MethodPattern>> patterns(String key, String help) {
        return new Option<>(key, null, "none", List.of(), "", help, (o, v) -> {
            List<MethodPattern> out = new ArrayList<>();
            for (String p : v.split(";")) {
                if (!p.isBlank()) {
                    out.add(MethodPattern.parse(key, p));
                }
            }
            return List.copyOf(out);
        });
    }

    /** A kind of its own; {@code unset} is the value when the option is not given and has no default. */
    static <T> Option<T> custom(String key, T unset, String defaultText, String help, Reader<T> reader) {
        return new Option<>(key, null, defaultText, unset, "", help, reader);
    }

    private static String shown(String defaultValue) {
        return defaultValue == null ? "none" : defaultValue;
    }

    /** 1000 rather than 1000.0, as a user would write it. */
    static String plain(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    /** A duration the way the options are written: 100us, 10ms, 1s, 24h. */
    static String format(Duration d) {
        long nanos = d.toNanos();
        String[] units = {"h", "m", "s", "ms", "us"};
        long[] sizes = {3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L};
        for (int i = 0; i < units.length; i++) {
            if (nanos >= sizes[i] && nanos % sizes[i] == 0) {
                return nanos / sizes[i] + units[i];
            }
        }
        return nanos + "ns";
    }

    @Override
    public String toString() {
        return key;
    }
}

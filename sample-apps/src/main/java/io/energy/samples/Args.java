package io.energy.samples;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The samples' tiny command-line grammar: positional values ({@code 3}) and {@code key=value} options
 * ({@code rounds=5}), in any order. A leading positional value may also be given by name
 * ({@code seconds=3}, {@code n=1000}), so the usage text's {@code name=default} form always works.
 *
 * <p>Kept deliberately small and dependency-free: the samples stand in for ordinary user programs, so
 * they should not drag in an argument-parsing library that the agent's class-path-conflict tests would
 * then have to reason about. Every malformed value fails with a {@link UsageException} whose
 * message names the argument, which {@link Samples} turns into exit code 2 and a usage line.
 */
final class Args {
    /** A bad command line, as opposed to a failure while the sample runs: exit code 2 and the usage. */
    static final class UsageException extends IllegalArgumentException {
        UsageException(String message) {
            super(message);
        }
    }

    private final String sample;
    private final List<String> positional = new ArrayList<>();
    private final Map<String, String> options = new LinkedHashMap<>();

    Args(String sample, String[] args) {
        this.sample = sample;
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq > 0) {
                options.put(arg.substring(0, eq), arg.substring(eq + 1));
            } else {
                positional.add(arg);
            }
        }
    }

    /**
     * The duration in seconds: the option {@code seconds=…} if given, else the positional argument at
     * {@code index}, else {@code fallback}. Must be finite and non-negative.
     */
    double seconds(int index, double fallback) {
        String text = options.containsKey("seconds") ? options.get("seconds")
                : index < positional.size() ? positional.get(index) : null;
        if (text == null) {
            return fallback;
        }
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new UsageException(sample + ": seconds must be a number, got '" + text + "'");
        }
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new UsageException(sample + ": seconds must be finite and >= 0, got '" + text + "'");
        }
        return value;
    }

    /**
     * An integer in [min, max] given either as the option {@code what=…} or as the positional argument at
     * {@code index}; {@code fallback} when neither is there.
     */
    long positionalLong(int index, String what, long fallback, long min, long max) {
        if (options.containsKey(what)) {
            return parseLong(what, options.get(what), min, max);
        }
        return index < positional.size() ? parseLong(what, positional.get(index), min, max) : fallback;
    }

    /** The option {@code key=value} as an integer in [min, max], or {@code fallback} when absent. */
    long option(String key, long fallback, long min, long max) {
        String text = options.get(key);
        return text == null ? fallback : parseLong(key, text, min, max);
    }

    /** Whether the option {@code key=…} was given at all. */
    boolean has(String key) {
        return options.containsKey(key);
    }

    /** The option {@code key=value} as text, or {@code fallback} when absent. */
    String text(String key, String fallback) {
        return options.getOrDefault(key, fallback);
    }

    /**
     * Rejects options this sample does not know. A typo such as {@code round=5} would otherwise silently
     * fall back to the time budget and make a "deterministic" run nondeterministic.
     */
    Args allow(String... keys) {
        for (String key : options.keySet()) {
            if (!List.of(keys).contains(key)) {
                throw new UsageException(sample + ": unknown option '" + key + "=' (known: "
                        + (keys.length == 0 ? "none" : String.join("=, ", keys) + "=") + ")");
            }
        }
        return this;
    }

    /** Rejects more positional values than the sample takes. */
    Args maxPositional(int count) {
        if (positional.size() > count) {
            throw new UsageException(sample + ": too many arguments: " + positional);
        }
        return this;
    }

    private long parseLong(String what, String text, long min, long max) {
        long value;
        try {
            value = Long.parseLong(text.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new UsageException(sample + ": " + what + " must be an integer, got '" + text + "'");
        }
        if (value < min || value > max) {
            throw new UsageException(
                    sample + ": " + what + " must be in [" + min + ", " + max + "], got " + value);
        }
        return value;
    }
}

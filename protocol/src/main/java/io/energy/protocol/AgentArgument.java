package io.energy.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@code key=value} of an agent argument string ({@code -javaagent:energy.jar=key=value,key=value}).
 * The only splitter of that syntax: the entry, the core's option parser and energy-attach all read and
 * write agent arguments through {@link #split} and {@link #join}.
 *
 * @param key   the key, trimmed; for a part without {@code =} (or starting with it), the whole part
 * @param value the value, trimmed, or null when the part has no {@code =}: the reader says what is wrong
 */
public record AgentArgument(String key, String value) {
    /** Between arguments. Values therefore cannot hold a comma: lists inside a value use {@code ;}. */
    public static final char SEPARATOR = ',';

    /** Splits at commas; blank parts are skipped, keys and values trimmed, order and repeats kept. */
    public static List<AgentArgument> split(String args) {
        List<AgentArgument> out = new ArrayList<>();
        if (args == null) {
            return out;
        }
        int start = 0;
        while (start <= args.length()) {
            int comma = args.indexOf(SEPARATOR, start);
            int end = comma < 0 ? args.length() : comma;
            String part = args.substring(start, end).trim();
            if (!part.isEmpty()) {
                int eq = part.indexOf('=');
                out.add(eq <= 0 ? new AgentArgument(part, null)
                        : new AgentArgument(part.substring(0, eq).trim(), part.substring(eq + 1).trim()));
            }
            start = end + 1;
        }
        return out;
    }

    /** The argument string that {@link #split} reads back as {@code arguments}. */
    public static String join(List<AgentArgument> arguments) {
        StringBuilder sb = new StringBuilder();
        for (AgentArgument a : arguments) {
            if (sb.length() > 0) {
                sb.append(SEPARATOR);
            }
            sb.append(a);
        }
        return sb.toString();
    }

    public boolean hasValue() {
        return value != null;
    }

    @Override
    public String toString() {
        return value == null ? key : key + "=" + value;
    }
}

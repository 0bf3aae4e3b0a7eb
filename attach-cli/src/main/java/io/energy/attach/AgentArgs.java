package io.energy.attach;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** Builds the agent's argument string from the CLI's words. */
final class AgentArgs {
    /** Keys whose value is a file or directory: made absolute here, because the target's directory is not ours. */
    private static final Set<String> PATH_KEYS = Set.of("out", "config", "replay");
    private static final Set<String> RESERVED = Set.of("cmd", "reply");

    private AgentArgs() {
    }

    /**
     * {@code options}: words like {@code include=com.acme.**} or {@code include=a.**,out=x}. The agent checks
     * the keys and values and answers with what it rejects; here only the shape is checked.
     */
    static String options(List<String> options, Path cwd) throws AttachException {
        StringBuilder sb = new StringBuilder();
        for (String word : options) {
            for (String part : word.split(",")) {
                String p = part.trim();
                if (p.isEmpty()) {
                    continue;
                }
                int eq = p.indexOf('=');
                if (eq <= 0) {
                    throw new AttachException(2, "option '" + p + "' has no value; write key=value, e.g. "
                            + "include=com.acme.** (`java -jar energy.jar help` lists the keys)");
                }
                String key = p.substring(0, eq).trim();
                String value = p.substring(eq + 1).trim();
                if (RESERVED.contains(key)) {
                    throw new AttachException(2, "option '" + key + "' is set by energy-attach itself; use the commands "
                            + "start, status, dump and stop");
                }
                if (PATH_KEYS.contains(key) && !value.isEmpty()) {
                    value = absolute(value, cwd);
                }
                sb.append(sb.length() == 0 ? "" : ",").append(key).append('=').append(value);
            }
        }
        return sb.toString();
    }

    static String absolute(String path, Path cwd) {
        try {
            return cwd.resolve(path).toAbsolutePath().normalize().toString();
        } catch (RuntimeException e) {
            return path; // the agent names the bad path in its answer
        }
    }
}

package io.energy.bench;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code key=value} arguments of the benchmark programs, and where the agent jar is. */
final class BenchArgs {
    private final Map<String, String> values = new LinkedHashMap<>();

    BenchArgs(String[] args, String... known) {
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, got '" + a + "'");
            }
            String key = a.substring(0, eq);
            if (!java.util.List.of(known).contains(key)) {
                throw new IllegalArgumentException("unknown option '" + key + "', known: " + String.join(", ", known));
            }
            values.put(key, a.substring(eq + 1));
        }
    }

    String text(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    long number(String key, long fallback) {
        String v = values.get(key);
        return v == null ? fallback : Long.parseLong(v.replace("_", ""));
    }

    /**
     * The agent jar: {@code agent=PATH}, else the system property {@code energy.agent.jar}, else
     * {@code agent/target/energy.jar} beside this program's own {@code benchmarks/target} folder, else the
     * same path under the working directory.
     */
    Path agentJar() {
        String given = values.getOrDefault("agent", System.getProperty("energy.agent.jar"));
        if (given != null) {
            return existing(Path.of(given));
        }
        try {
            Path self = Path.of(BenchArgs.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path root = self.getParent() == null ? null : self.getParent().getParent();
            if (root != null && root.getParent() != null) {
                Path candidate = root.getParent().resolve("agent/target/energy.jar");
                if (Files.isRegularFile(candidate)) {
                    return candidate.toAbsolutePath();
                }
            }
        } catch (URISyntaxException | RuntimeException ignored) {
            // fall through to the working directory
        }
        return existing(Path.of("agent", "target", "energy.jar"));
    }

    private static Path existing(Path p) {
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("agent jar not found at " + p.toAbsolutePath()
                    + "; build it (mvn -B -DskipTests package) or pass agent=PATH");
        }
        return p.toAbsolutePath();
    }

    static String path(Path p) {
        String s = p.toString();
        if (s.contains(",")) {
            throw new IllegalArgumentException("paths given to the agent may not contain ',': " + s);
        }
        return s;
    }
}

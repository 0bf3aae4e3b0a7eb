package io.energy.attach;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds the agent jar (energy.jar) to load into the target. */
final class AgentJar {
    static final String ENV = "ENERGY_AGENT_JAR";

    private AgentJar() {
    }

    /**
     * The places looked at, in order: {@code --agent PATH}, {@code $ENERGY_AGENT_JAR}, {@code energy.jar} next
     * to the CLI's jar, and the agent module's build output when the CLI runs from its own build output.
     */
    static List<Path> candidates(String option, String env, Path cliLocation) {
        List<Path> c = new ArrayList<>();
        if (option != null) {
            c.add(Path.of(option));
            return c;
        }
        if (env != null && !env.isBlank()) {
            c.add(Path.of(env));
            return c;
        }
        if (cliLocation != null) {
            Path dir = Files.isDirectory(cliLocation) ? cliLocation : cliLocation.getParent();
            if (dir != null) {
                c.add(dir.resolve("energy.jar"));
                // attach-cli/target/energy-attach.jar (or attach-cli/target/classes) -> agent/target/energy.jar
                for (Path up = dir; up != null && c.size() < 4; up = up.getParent()) {
                    Path inTree = up.resolve("agent").resolve("target").resolve("energy.jar");
                    if (!c.contains(inTree) && Files.isDirectory(up.resolve("attach-cli"))) {
                        c.add(inTree);
                    }
                }
            }
        }
        return c;
    }

    /** The first candidate that is a readable file, absolute (the target resolves paths in its own directory). */
    static Path find(String option) throws AttachException {
        List<Path> candidates = candidates(option, System.getenv(ENV), cliLocation());
        for (Path p : candidates) {
            if (Files.isRegularFile(p) && Files.isReadable(p)) {
                return p.toAbsolutePath().normalize();
            }
        }
        if (option != null) {
            throw new AttachException(2, "--agent " + option + " is not a readable file");
        }
        StringBuilder looked = new StringBuilder();
        for (Path p : candidates) {
            looked.append(looked.length() == 0 ? "" : ", ").append(p.toAbsolutePath().normalize());
        }
        throw new AttachException(1, "cannot find the energy agent (energy.jar); looked at: "
                + (looked.length() == 0 ? "nothing" : looked) + ". Pass --agent PATH or set " + ENV);
    }

    static Path cliLocation() {
        try {
            return Path.of(EnergyAttach.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}

package io.energy.attach;

import io.energy.protocol.AgentArgument;
import io.energy.protocol.AttachProtocol;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds the agent's argument string from the CLI's words. */
final class AgentArgs {
    private AgentArgs() {
    }

    /**
     * {@code options}: words like {@code include=com.acme.**} or {@code include=a.**,out=x}. The agent checks
     * the keys and values and answers with what it rejects; here only the shape is checked, and values that
     * name files ({@link AttachProtocol#isPath}) are made absolute against {@code cwd}, because the target
     * has a working directory of its own.
     */
    static String options(List<String> options, Path cwd) throws AttachException {
        List<AgentArgument> out = new ArrayList<>();
        for (String word : options) {
            for (AgentArgument a : AgentArgument.split(word)) {
                if (!a.hasValue()) {
                    throw new AttachException(AttachProtocol.USAGE, "option '" + a.key() + "' has no value; write "
                            + "key=value, e.g. include=com.acme.** (`java -jar energy.jar help` lists the keys)");
                }
                if (AttachProtocol.CONTROL_KEYS.contains(a.key())) {
                    throw new AttachException(AttachProtocol.USAGE, "option '" + a.key() + "' is set by energy-attach "
                            + "itself; use the commands " + String.join(", ", AttachProtocol.COMMANDS));
                }
                out.add(AttachProtocol.isPath(a.key(), a.value())
                        ? new AgentArgument(a.key(), absolute(a.value(), cwd)) : a);
            }
        }
        return AgentArgument.join(out);
    }

    static String absolute(String path, Path cwd) {
        try {
            return cwd.resolve(path).toAbsolutePath().normalize().toString();
        } catch (RuntimeException e) {
            return path; // the agent names the bad path in its answer
        }
    }
}

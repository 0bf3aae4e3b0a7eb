package io.energy.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How energy-attach talks to the agent in another JVM. The JDK's attach mechanism carries one string to
 * {@code agentmain} and brings back only whether it threw, so:
 * <ul>
 *   <li>the request is the agent argument string with two control keys in front:
 *       {@code cmd=start|status|dump|stop,reply=FILE,<options>} ({@link #request}, {@link Request#parse});</li>
 *   <li>the agent writes its answer to {@code FILE}: the exit code on the first line, then the message for
 *       the person at the CLI ({@link #reply}, {@link Reply#parse}); energy-attach exits with that code;</li>
 *   <li>option values that name files are made absolute by energy-attach ({@link #isPath}), because the
 *       target JVM has its own working directory;</li>
 *   <li>the agent leaves {@link #STATE_PROPERTY} in the target's system properties, so {@code list} and a
 *       command to a JVM without energy need not load anything.</li>
 * </ul>
 */
public final class AttachProtocol {
    /** Control key: the command. Absent means start (a {@code -javaagent} launch has none). */
    public static final String CMD = "cmd";
    /** Control key: the file the agent writes its answer to. */
    public static final String REPLY = "reply";
    /** Keys energy-attach sets itself; a user option with one of these names is refused. */
    public static final Set<String> CONTROL_KEYS = Set.of(CMD, REPLY);

    public static final String START = "start";
    public static final String STATUS = "status";
    public static final String DUMP = "dump";
    public static final String STOP = "stop";
    public static final List<String> COMMANDS = List.of(START, STATUS, DUMP, STOP);

    /** Done. */
    public static final int OK = 0;
    /** Failed: cannot attach, or the agent failed. */
    public static final int FAILED = 1;
    /** Bad usage, or an option the agent rejected. */
    public static final int USAGE = 2;
    /** Energy is not running in that JVM (status, dump). */
    public static final int NOT_RUNNING = 3;

    /**
     * Set in the target while energy runs ({@code running <version>}) and after it stopped ({@code stopped
     * <version>}). Not {@code energy.*}: those are configuration keys.
     */
    public static final String STATE_PROPERTY = "io.energy.state";

    /**
     * Option keys whose value is a file or directory, resolved against the working directory of whoever
     * wrote them: energy-attach makes them absolute before they reach the target.
     */
    public static final Set<String> PATH_KEYS = Set.of("out", "config", "replay", "record", "rapl.root");
    /** A library name is looked up by the loader; only a value with a slash in it is a path. */
    private static final String LIBRARY_KEY = "nvml.library";

    private AttachProtocol() {
    }

    /** True if {@code value} of {@code key} names a file that must be resolved where it was written. */
    public static boolean isPath(String key, String value) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        return PATH_KEYS.contains(key) || (LIBRARY_KEY.equals(key) && value.indexOf('/') >= 0);
    }

    /** The agent argument string for a command: control keys first, then the options as given. */
    public static String request(String command, String replyFile, String options) {
        String head = CMD + "=" + command + AgentArgument.SEPARATOR + REPLY + "=" + replyFile;
        return options == null || options.isEmpty() ? head : head + AgentArgument.SEPARATOR + options;
    }

    /** What the reply file holds. */
    public static String reply(int code, String message) {
        return code + "\n" + message;
    }

    /** An agent argument string taken apart: the command, where to answer, and the options for the command. */
    public record Request(String command, String replyFile, List<AgentArgument> options) {
        /** Control keys are taken out wherever they stand; the rest, in order, are the command's options. */
        public static Request parse(String args) {
            String command = START;
            String reply = null;
            List<AgentArgument> options = new ArrayList<>();
            for (AgentArgument a : AgentArgument.split(args)) {
                if (a.hasValue() && a.key().equals(CMD)) {
                    command = a.value().toLowerCase(Locale.ROOT);
                } else if (a.hasValue() && a.key().equals(REPLY)) {
                    reply = a.value();
                } else {
                    options.add(a);
                }
            }
            return new Request(command, reply, List.copyOf(options));
        }

        /** The options as an agent argument string again, for the option parser. */
        public String optionString() {
            return AgentArgument.join(options);
        }

        /** The value of the last option with this key, or null. */
        public String option(String key) {
            String v = null;
            for (AgentArgument a : options) {
                if (a.key().equals(key)) {
                    v = a.value();
                }
            }
            return v;
        }
    }

    /** The agent's answer. */
    public record Reply(int code, String message) {
        /**
         * Reads a reply file's text; null if it is empty (the agent never answered).
         *
         * @throws IllegalArgumentException if the first line is not an exit code
         */
        public static Reply parse(String text) {
            if (text == null || text.isBlank()) {
                return null;
            }
            int nl = text.indexOf('\n');
            String first = (nl < 0 ? text : text.substring(0, nl)).trim();
            String message = nl < 0 ? "" : text.substring(nl + 1);
            try {
                return new Reply(Integer.parseInt(first), message);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a reply: " + text.strip(), e);
            }
        }
    }
}

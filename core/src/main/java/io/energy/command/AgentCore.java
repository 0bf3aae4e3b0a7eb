package io.energy.command;

import io.energy.config.Config;
import io.energy.config.ConfigException;
import io.energy.config.ConfigParser;
import io.energy.protocol.AttachProtocol;
import io.energy.session.AgentLog;
import io.energy.session.EnergySession;
import io.energy.session.PhaseClock;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The agent core's front door, called reflectively by the tiny entry class through the agent's private
 * class loader. Handles the launch ({@code -javaagent}) and every attach command:
 * {@code cmd=start|status|dump|stop}, with {@code reply=FILE} for the answer to the attach CLI. The
 * request, the reply's form and the exit codes are {@link AttachProtocol}'s.
 */
public final class AgentCore {
    /**
     * Set in the host while energy runs ({@code running <version>}) and after it stopped ({@code stopped
     * <version>}), so that {@code energy-attach list} can tell from the system properties alone, without
     * loading anything. Not {@code energy.*}: those are configuration keys.
     */
    public static final String STATE_PROPERTY = AttachProtocol.STATE_PROPERTY;

    private static EnergySession session;
    private static Instrumentation instrumentation;
    private static RestoreCheck restoreCheck;
    private static RestoreCheck.Report lastRestore;
    private static Thread shutdownHook;

    private AgentCore() {
    }

    /** Entry from premain/agentmain. Never throws: the host comes first. */
    public static synchronized void handle(String args, Instrumentation inst, boolean launch) {
        instrumentation = inst;
        AttachProtocol.Request request = AttachProtocol.Request.parse(args);
        String cmd = request.command();
        String reply = request.replyFile();
        int code = AttachProtocol.OK;
        String answer;
        try {
            answer = switch (cmd) {
                case AttachProtocol.START -> start(request.optionString(), inst, launch, reply != null);
                case AttachProtocol.STATUS -> status();
                case AttachProtocol.DUMP -> dump(request.option("out"));
                case AttachProtocol.STOP -> stop();
                default -> throw new ConfigException(AttachProtocol.CMD, "unknown command '" + cmd + "'; accepted: "
                        + String.join(" | ", AttachProtocol.COMMANDS));
            };
        } catch (NotRunning e) {
            code = AttachProtocol.NOT_RUNNING;
            answer = e.getMessage() + "\n";
        } catch (ConfigException e) {
            code = AttachProtocol.USAGE;
            answer = e.getMessage() + "\n";
            if (cmd.equals("start") && session != null && !session.stopped()) {
                // The options are checked before anything is touched, so a bad reconfigure changes nothing.
                answer += "energy goes on with its previous configuration\n";
            }
            AgentLog.problem(e.getMessage() + (launch ? "; the application runs without energy measurement" : ""));
        } catch (Throwable t) {
            code = AttachProtocol.FAILED;
            answer = "energy failed: " + t + "\n";
            AgentLog.problem("could not " + cmd + " (" + t + "); the application runs on without energy measurement");
        }
        if (reply != null) {
            try {
                Files.writeString(Path.of(reply), AttachProtocol.reply(code, answer), StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                AgentLog.problem("cannot write the reply for the attach command to " + reply + ": " + e);
            }
        }
    }

    /** @param answered someone reads the answer (an attach start, or a reply file): else it is not built */
    private static String start(String args, Instrumentation inst, boolean launch, boolean answered) {
        PhaseClock clock = new PhaseClock("launch");
        Config config = ConfigParser.parse(args);
        AgentLog.setLevel(config.log());
        warnUnknownSystemProperties();
        clock.mark("options");
        String previous = "";
        if (session != null && !session.stopped()) {
            // A second start reconfigures: write what we have, take the old instrumentation out (the reset
            // completes before anything new is installed), then start anew in the same agent.
            stopSession();
            previous = "energy was already running: reconfigured (previous results written to "
                    + session.config().out().toAbsolutePath() + "; " + lastRestore.describe() + ")\n";
        }
        RestoreCheck check = new RestoreCheck(config);
        check.watchBefore(inst);
        clock.mark("restore check");
        EnergySession s = new EnergySession(config, inst);
        if (launch) {
            s.startSamplerInBackground();
        }
        try {
            s.start();
        } catch (Throwable t) {
            check.forget(inst);
            throw t;
        }
        clock.mark("session");
        EnergySession replaced = previous.isEmpty() ? null : session; // live metrics (issue 16)
        session = s;
        restoreCheck = check;
        System.setProperty(STATE_PROPERTY, "running " + EnergySession.VERSION);
        if (shutdownHook == null) {
            shutdownHook = new Thread(null, AgentCore::atExit, "energy-shutdown", EnergySession.DEEP_STACK);
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        String answer = previous + (launch && !answered ? "" : started(s, launch)) + MetricsHook.started(s, replaced, launch);
        clock.mark("answer");
        clock.say();
        return answer;
    }

    /**
     * Issue 14: a {@code -Denergy.<x>} property that names no option is the host's business, not a reason to
     * measure nothing. One warning line names them; the configuration ignores them.
     */
    private static void warnUnknownSystemProperties() {
        List<String> unknown = ConfigParser.unknownSystemProperties(System.getProperties());
        if (!unknown.isEmpty()) {
            AgentLog.problem("warning: ignoring system properties that name no energy option: "
                    + String.join(", ", unknown) + " (options: " + String.join(", ", ConfigParser.KEYS.keySet()) + ")");
        }
    }

    /** What a start did, for the person at the attach CLI. */
    private static String started(EnergySession s, boolean launch) {
        StringBuilder sb = new StringBuilder();
        sb.append("energy ").append(EnergySession.VERSION).append(" started in pid ").append(ProcessHandle.current().pid())
                .append(" (Java ").append(Runtime.version()).append(")\n");
        Config config = s.config();
        sb.append("sampler: ").append(s.samplerDescription()).append('\n');
        if (s.instrumenter() == null) {
            sb.append(s.hasStackSampler()
                    ? "no include patterns: joules for every method from CPU-time samples; add include=com.acme.** "
                    + "for exact call counts\n"
                    : "no include patterns: measuring the process as a whole; name methods with include=com.acme.**\n");
        } else {
            int n = s.instrumenter().instrumentedTypes().size();
            List<io.energy.instrument.MethodRegistry.MethodInfo> methods = s.registry().all();
            // One line per class, so that a wide include still shows where the instrumentation went.
            Map<String, java.util.TreeSet<String>> byClass = new java.util.TreeMap<>();
            for (io.energy.instrument.MethodRegistry.MethodInfo m : methods) {
                byClass.computeIfAbsent(m.className(), k -> new java.util.TreeSet<>()).add(m.methodName());
            }
            sb.append("instrumented ").append(methods.size()).append(methods.size() == 1 ? " method in " : " methods in ")
                    .append(byClass.size()).append(byClass.size() == 1 ? " class" : " classes");
            if (!launch) {
                // Each retransformation stops the world: the instrumenter goes in batches with pauses between.
                sb.append(" (").append(n).append(n == 1 ? " loaded class" : " loaded classes")
                        .append(" retransformed in ").append((n + 99) / 100).append(" batch(es) of up to 100, 20 ms apart)");
            }
            sb.append("; matching classes loaded later are instrumented as they load\n");
            int shown = 0;
            for (Map.Entry<String, java.util.TreeSet<String>> e : byClass.entrySet()) {
                if (shown++ == 30) {
                    sb.append("  ... and ").append(byClass.size() - 30).append(" more classes\n");
                    break;
                }
                sb.append("  ").append(e.getKey()).append(": ").append(String.join(", ", e.getValue())).append('\n');
            }
            if (s.instrumenter().errors() > 0) {
                sb.append("could not instrument ").append(s.instrumenter().errors())
                        .append(" classes (log=debug in the target says which and why)\n");
            }
            if (n == 0) {
                sb.append("nothing matched ").append(config.include()).append(" yet: check the package names\n");
            }
        }
        sb.append("sources:\n");
        for (String line : s.sourceDescription().split("\n")) {
            sb.append("  ").append(line).append('\n');
        }
        sb.append("writing to ").append(config.out().toAbsolutePath()).append(" on dump and stop")
                .append(config.checkpoint().isZero() ? "" : ", and every " + config.checkpoint().toSeconds() + " s")
                .append('\n');
        return sb.toString();
    }

    private static String status() {
        if (session == null || session.stopped()) {
            StringBuilder sb = new StringBuilder("energy is not running in this JVM");
            if (lastRestore != null) {
                sb.append(" (stopped)\nclasses still instrumented: ")
                        .append(lastRestore.stillBridged().size() + lastRestore.notRetransformed().size())
                        .append("\nat the last stop: ").append(lastRestore.describe());
            }
            throw new NotRunning(sb.toString());
        }
        return session.status() + MetricsHook.status();
    }

    private static String dump(String out) {
        if (session == null || session.stopped()) {
            throw new NotRunning("energy is not running in this JVM; start it first");
        }
        Path dir = out == null ? session.config().out() : Path.of(out);
        List<String> problems = session.dump(dir);
        return problems.isEmpty() ? "written to " + dir.toAbsolutePath() + "\n"
                : "could not write: " + String.join("; ", problems) + "\n";
    }

    private static String stop() {
        if (session == null || session.stopped()) {
            return "energy is not running\n";
        }
        stopSession();
        MetricsHook.stopped();
        return "energy stopped: outputs written to " + session.config().out().toAbsolutePath()
                + "; collector and writer threads ended, power source closed"
                + (session.hasStackSampler() ? ", stack sampling stopped (a native profiler library stays loaded: a JVM "
                + "cannot unload one; a later start reuses it)" : "") + "\n" + lastRestore.describe() + "\n"
                + "threads inside a measured call across the reset: " + session.inFlightAcrossReset() + "\n";
    }

    /** Stops the session, resetting the instrumentation under the restore check's eyes. */
    private static void stopSession() {
        EnergySession s = session;
        Set<String> instrumented = s.instrumenter() == null ? Set.of() : s.instrumenter().instrumentedTypes();
        try {
            lastRestore = restoreCheck.observe(instrumentation, instrumented, () -> s.stop(true, false));
        } finally {
            restoreCheck = null;
            System.setProperty(STATE_PROPERTY, "stopped " + EnergySession.VERSION);
        }
        if (!lastRestore.clean()) {
            AgentLog.problem("stop: " + lastRestore.describe());
        }
    }

    private static void atExit() {
        EnergySession s;
        synchronized (AgentCore.class) {
            s = session;
        }
        if (s != null && !s.stopped()) {
            try {
                s.stop(false, true);
            } catch (Throwable t) {
                AgentLog.problem("could not write the final outputs: " + t);
            }
        }
    }

    /** Status and dump when nothing runs: an answer, not an error. */
    private static final class NotRunning extends RuntimeException {
        NotRunning(String message) {
            super(message, null, false, false);
        }
    }

    /** For tests and the attach path: the running session, or null. */
    public static synchronized EnergySession session() {
        return session;
    }
}

package io.energy.control;

import io.energy.config.Config;
import io.energy.config.ConfigException;
import io.energy.config.ConfigParser;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent core's front door, called reflectively by the tiny entry class through the agent's private
 * class loader. Handles the launch ({@code -javaagent}) and every attach command:
 * {@code cmd=start|status|dump|stop}, with {@code reply=FILE} for the answer to the attach CLI.
 */
public final class AgentCore {
    private static EnergySession session;
    private static Thread shutdownHook;

    private AgentCore() {
    }

    /** Entry from premain/agentmain. Never throws: the host comes first. */
    public static synchronized void handle(String args, Instrumentation inst, boolean launch) {
        Map<String, String> control = new LinkedHashMap<>();
        String rest = stripControl(args, control);
        String cmd = control.getOrDefault("cmd", "start");
        String reply = control.get("reply");
        int code = 0;
        String answer;
        try {
            answer = switch (cmd) {
                case "start" -> start(rest, inst, launch);
                case "status" -> session == null || session.stopped() ? "energy is not running\n" : session.status();
                case "dump" -> dump(control.get("out"));
                case "stop" -> stop();
                default -> throw new ConfigException("cmd", "unknown command '" + cmd + "'; accepted: start | status | dump | stop");
            };
        } catch (ConfigException e) {
            code = 2;
            answer = e.getMessage() + "\n";
            AgentLog.problem(e.getMessage() + (launch ? "; the application runs without energy measurement" : ""));
        } catch (Throwable t) {
            code = 1;
            answer = "energy failed: " + t + "\n";
            AgentLog.problem("could not " + cmd + " (" + t + "); the application runs on without energy measurement");
        }
        if (reply != null) {
            try {
                Files.writeString(Path.of(reply), code + "\n" + answer, StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                AgentLog.problem("cannot write the reply for the attach command to " + reply + ": " + e);
            }
        }
    }

    private static String stripControl(String args, Map<String, String> control) {
        if (args == null) {
            return "";
        }
        StringBuilder rest = new StringBuilder();
        for (String part : args.split(",")) {
            String p = part.trim();
            if (p.startsWith("cmd=") || p.startsWith("reply=") || (p.startsWith("out=") && args.contains("cmd=dump"))) {
                int eq = p.indexOf('=');
                control.put(p.substring(0, eq), p.substring(eq + 1));
            } else if (!p.isEmpty()) {
                rest.append(rest.length() == 0 ? "" : ",").append(p);
            }
        }
        return rest.toString();
    }

    private static String start(String args, Instrumentation inst, boolean launch) {
        Config config = ConfigParser.parse(args);
        AgentLog.setLevel(config.log());
        String previous = "";
        if (session != null && !session.stopped()) {
            // A second start reconfigures: write what we have, take the old instrumentation out, start anew.
            session.stop(true, false);
            previous = "energy was already running: reconfigured (previous results written to "
                    + session.config().out().toAbsolutePath() + ")\n";
        }
        EnergySession s = new EnergySession(config, inst);
        s.start();
        session = s;
        if (shutdownHook == null) {
            shutdownHook = new Thread(AgentCore::atExit, "energy-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        return previous + "energy started: " + s.registry().size() + " methods instrumented so far, writing to "
                + config.out().toAbsolutePath() + "\n";
    }

    private static String dump(String out) {
        if (session == null || session.stopped()) {
            throw new ConfigException("cmd", "energy is not running in this JVM; start it first");
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
        session.stop(true, false);
        return "energy stopped: outputs written to " + session.config().out().toAbsolutePath()
                + "; original bytecode restored\n";
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

    /** For tests and the attach path: the running session, or null. */
    public static synchronized EnergySession session() {
        return session;
    }
}

package io.energy.attach;

import io.energy.protocol.AgentArgument;
import io.energy.protocol.AttachProtocol;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code energy-attach list | <pid> start|status|dump|stop [options] | doctor | help}: puts the energy agent
 * into a running JVM, talks to it, and takes it out again.
 *
 * <p>Exit codes: 0 done; 1 failed (cannot attach, the agent failed); 2 bad usage, or an option the agent
 * rejected; 3 energy is not running in that JVM (status, dump).
 */
public final class EnergyAttach {
    static final int OK = AttachProtocol.OK;
    static final int FAILED = AttachProtocol.FAILED;
    static final int USAGE = AttachProtocol.USAGE;
    static final int NOT_RUNNING = AttachProtocol.NOT_RUNNING;

    private EnergyAttach() {
    }

    public static void main(String[] args) {
        int code;
        try {
            code = run(args, System.out, System.err);
        } catch (Throwable t) {
            System.err.println("energy-attach: unexpected failure: " + t);
            code = FAILED;
        }
        System.out.flush();
        System.exit(code);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String agent = null;
        String outDir = null;
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--agent") || a.equals("--out")) {
                if (i + 1 >= args.length) {
                    err.println("energy-attach: " + a + " needs a value\n");
                    err.print(usage());
                    return USAGE;
                }
                if (a.equals("--agent")) {
                    agent = args[++i];
                } else {
                    outDir = args[++i];
                }
            } else if (a.startsWith("--agent=")) {
                agent = a.substring("--agent=".length());
            } else if (a.startsWith("--out=")) {
                outDir = a.substring("--out=".length());
            } else {
                words.add(a);
            }
        }
        if (words.isEmpty() || List.of("help", "--help", "-h").contains(words.get(0))) {
            out.print(usage());
            return words.isEmpty() ? USAGE : OK;
        }
        String first = words.get(0);
        try {
            switch (first) {
                case "list" -> {
                    requireAttachModule();
                    return JvmList.run(out);
                }
                case "doctor" -> {
                    return doctor(AgentJar.find(agent), words.subList(1, words.size()));
                }
                default -> {
                    long pid = pid(first);
                    if (words.size() < 2) {
                        throw new AttachException(USAGE, "say what to do with pid " + pid + ": start, status, dump or stop");
                    }
                    String cmd = words.get(1);
                    List<String> options = words.subList(2, words.size());
                    return command(pid, cmd, options, agent, outDir, out, err);
                }
            }
        } catch (AttachException e) {
            err.println("energy-attach: " + e.getMessage());
            if (e.exitCode() == USAGE && !first.equals("doctor")) {
                err.println("(energy-attach help shows the usage)");
            }
            return e.exitCode();
        }
    }

    private static long pid(String word) throws AttachException {
        try {
            long pid = Long.parseLong(word);
            if (pid <= 0) {
                throw new NumberFormatException();
            }
            return pid;
        } catch (NumberFormatException e) {
            throw new AttachException(USAGE, "'" + word + "' is neither a command (list, doctor, help) nor a process id");
        }
    }

    private static int command(long pid, String cmd, List<String> options, String agentOption, String outDir,
                               PrintStream out, PrintStream err) throws AttachException {
        String agentArgs;
        switch (cmd) {
            case "start" -> agentArgs = AgentArgs.options(options, Path.of(""));
            case "dump" -> {
                List<String> o = new ArrayList<>(options);
                if (outDir != null) {
                    o.add("out=" + outDir);
                }
                agentArgs = AgentArgs.options(o, Path.of(""));
                for (AgentArgument part : AgentArgument.split(agentArgs)) {
                    if (!part.key().equals("out")) {
                        throw new AttachException(USAGE, "dump takes only --out DIR, not '" + part + "'");
                    }
                }
            }
            case "status", "stop" -> {
                if (!options.isEmpty() || outDir != null) {
                    throw new AttachException(USAGE, cmd + " takes no options (got " + String.join(" ", options)
                            + (outDir != null ? " --out " + outDir : "") + ")");
                }
                agentArgs = "";
            }
            default -> throw new AttachException(USAGE, "unknown command '" + cmd + "'; accepted: start, status, dump, stop");
        }
        requireAttachModule();
        Path agent = AgentJar.find(agentOption);
        try (Target target = Target.attach(pid, note -> err.println("energy-attach: " + note))) {
            if (!cmd.equals("start") && target.energyState() == null) {
                // Nothing of ours is in there: do not load the agent just to hear that.
                String msg = "energy is not running in pid " + pid;
                if (cmd.equals("stop")) {
                    out.println(msg + "; nothing to stop");
                    return OK;
                }
                out.println(msg);
                return NOT_RUNNING;
            }
            target.checkCanLoad();
            String hint = null;
            if (target.feature() >= Diagnosis.WARNS_FROM_FEATURE) {
                Diagnosis.DynamicLoading flag = target.dynamicLoading();
                String refusal = Diagnosis.dynamicLoadingRefusal(pid, target.feature(), flag);
                if (refusal != null) {
                    throw new AttachException(FAILED, refusal);
                }
                // The JVM warns on every load, and each command is one; said at start only, to keep the rest quiet.
                if (cmd.equals("start")) {
                    hint = Diagnosis.dynamicLoadingHint(pid, target.feature(), flag);
                }
            }
            Target.Reply reply = target.send(agent, cmd, agentArgs);
            switch (reply.code()) {
                case OK, NOT_RUNNING -> out.print(reply.message());
                case USAGE -> err.print("energy-attach: the energy agent in pid " + pid + " rejected the options: "
                        + reply.message());
                default -> err.print("energy-attach: the energy agent in pid " + pid + " failed: " + reply.message());
            }
            if (hint != null) {
                err.println("energy-attach: " + hint);
            }
            return reply.code();
        }
    }

    private static void requireAttachModule() throws AttachException {
        if (ModuleLayer.boot().findModule("jdk.attach").isEmpty()) {
            throw new AttachException(FAILED, Diagnosis.noAttachModule(System.getProperty("java.home")));
        }
    }

    /**
     * The agent jar's doctor, with this CLI's own java. Run with {@code -cp} and the main class rather than
     * {@code -jar}: {@code -jar} would also start the jar's Launcher-Agent-Class, a measuring session in the
     * doctor's own JVM that writes energy-out/ into the current directory.
     */
    private static int doctor(Path agent, List<String> options) throws AttachException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-cp", agent.toString(), "io.energy.agent.EnergyAgent",
                "doctor"));
        if (!options.isEmpty()) {
            command.add(String.join(",", options));
        }
        try {
            return new ProcessBuilder(command).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new AttachException(FAILED, "cannot run " + String.join(" ", command) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FAILED;
        }
    }

    static String usage() {
        return """
                energy-attach: measure a running JVM with the energy agent, then take it out again

                  energy-attach list                         JVMs you can attach to: pid, Java version, energy state, main class or jar
                  energy-attach <pid> start [key=value ...]  load energy into the JVM and start measuring (the options of
                                                             -javaagent:energy.jar=...); on a JVM that runs energy: reconfigure
                  energy-attach <pid> status                 power sources, methods instrumented, joules so far
                  energy-attach <pid> dump [--out DIR]       write every output now and go on measuring
                  energy-attach <pid> stop                   write the outputs, restore the original bytecode, end the agent's threads
                  energy-attach doctor [key=value ...]       which power sources work on this machine, and why not
                  energy-attach help

                  --agent PATH   the agent jar; default: $ENERGY_AGENT_JAR, else energy.jar next to energy-attach.jar

                example:
                  energy-attach 4242 start include=com.acme.**,out=energy-out
                  energy-attach 4242 dump
                  energy-attach 4242 stop

                exit codes: 0 done, 1 failed, 2 bad usage or an option the agent rejected, 3 energy is not running
                needs a full JDK 17+ (the jdk.attach module); the target must run Java 17 or newer
                """;
    }
}

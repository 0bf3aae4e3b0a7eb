package io.energy.command;

import io.energy.config.Config;
import io.energy.config.ConfigException;
import io.energy.config.ConfigParser;
import io.energy.config.OptionTable;
import io.energy.power.ProbeResult;
import io.energy.power.select.SourceSelector;
import io.energy.power.nvml.NvmlBench;
import io.energy.session.EnergySession;

import java.util.Arrays;

/** {@code java -jar energy.jar doctor [options] | nvml-bench [library] [seconds] | jfc | help | version}. */
public final class AgentCommandLine {
    private AgentCommandLine() {
    }

    public static void main(String[] args) {
        String cmd = args.length == 0 ? "help" : args[0];
        switch (cmd) {
            case "doctor" -> System.exit(doctor(args.length > 1 ? args[1] : ""));
            case "version" -> System.out.println("energy " + EnergySession.VERSION);
            case "nvml-bench" -> System.exit(NvmlBench.run(Arrays.copyOfRange(args, 1, args.length)));
            case "jfc" -> System.exit(jfc());
            case "help", "--help", "-h" -> System.out.print(help());
            default -> {
                System.err.print("unknown command '" + cmd + "'\n" + help());
                System.exit(2);
            }
        }
    }

    /** Lists every source looked for, what was found, why one is unusable and how to fix it. */
    public static int doctor(String options) {
        Config config;
        try {
            config = ConfigParser.parse(options);
        } catch (ConfigException e) {
            System.err.println("[energy] " + e.getMessage());
            return 2;
        }
        System.out.println(doctorReport(config));
        return 0;
    }

    /** Prints the JFR settings file for the energy events (it lives inside the agent's core jar). */
    static int jfc() {
        try (java.io.InputStream in = AgentCommandLine.class.getResourceAsStream("/energy.jfc")) {
            if (in == null) {
                System.err.println("[energy] energy.jfc is missing from this build of the agent");
                return 1;
            }
            System.out.write(in.readAllBytes());
            System.out.flush();
            return 0;
        } catch (java.io.IOException e) {
            System.err.println("[energy] cannot read energy.jfc: " + e);
            return 1;
        }
    }

    public static String doctorReport(Config config) {
        StringBuilder sb = new StringBuilder("energy doctor: power sources on this machine\n");
        sb.append(String.format("  %s %s (%s), Java %s, user %s, source=%s%n", System.getProperty("os.name"),
                System.getProperty("os.version"), System.getProperty("os.arch"), System.getProperty("java.version"),
                System.getProperty("user.name"), config.source().name().toLowerCase(java.util.Locale.ROOT)));
        java.util.Map<String, ProbeResult> bySource = new java.util.LinkedHashMap<>();
        for (ProbeResult r : SourceSelector.probeAll(config)) {
            bySource.put(r.source(), r);
            sb.append('\n').append(r.usable() ? "[usable]   " : "[unusable] ").append(r.source()).append('\n');
            for (String f : r.found()) {
                sb.append("    found: ").append(f).append('\n');
            }
            if (r.problem() != null) {
                sb.append("    why:   ").append(r.problem()).append('\n');
            }
            for (String fix : r.fixes()) {
                sb.append("    fix:   ").append(fix).append('\n');
            }
        }
        sb.append("\nwith these options the agent would use: ").append(wouldUse(config, bySource)).append('\n');
        sb.append("\nenergy doctor: stack samplers (CPU energy follows their samples; sampler=")
                .append(config.sampler().name().toLowerCase(java.util.Locale.ROOT)).append(")\n");
        sb.append("\nasync-profiler\n");
        for (String line : io.energy.sampling.AsyncProfilerSampler.probe()) {
            sb.append("    ").append(line).append('\n');
        }
        sb.append("\njfr-cpu-time\n    ").append(io.energy.sampling.JfrCpuTimeSampler.available()
                ? "found: this JVM has jdk.CPUTimeSample" : "why:   this JVM has no jdk.CPUTimeSample (JDK 25+ on Linux)")
                .append('\n');
        sb.append("\ncall-paths\n    found: always available (instrumented methods only; the last fallback)\n");
        return sb.toString();
    }

    /** The same choice SourceSelector makes, from the probes alone (nothing is opened). */
    private static String wouldUse(Config config, java.util.Map<String, ProbeResult> probes) {
        Config.Source s = config.source();
        boolean rapl = probes.get("rapl") != null && probes.get("rapl").usable();
        boolean nvml = probes.get("nvml") != null && probes.get("nvml").usable();
        if (s == Config.Source.REPLAY && probes.get("replay") != null && probes.get("replay").usable()) {
            return "replay of " + config.replay();
        }
        String cpu = (s == Config.Source.AUTO || s == Config.Source.RAPL) && rapl
                ? "rapl (CPU energy measured)" : "estimate (CPU energy ESTIMATED from CPU time)";
        String gpu = (s == Config.Source.AUTO || s == Config.Source.NVML) && nvml
                ? " + nvml (GPU energy measured)" : ", no GPU energy";
        return cpu + gpu;
    }

    static String help() {
        StringBuilder sb = new StringBuilder();
        sb.append("energy: joules per Java method\n\n");
        sb.append("  java -javaagent:energy.jar=include=com.acme.**,out=energy-out -jar app.jar\n");
        sb.append("  java -jar energy.jar doctor [key=value,...]   which power sources work here, and why not\n");
        sb.append("  java -jar energy.jar nvml-bench [library] [s]  what NVML readings cost and how often they move here\n");
        sb.append("  java -jar energy.jar jfc > energy.jfc            JFR settings for the energy events\n");
        sb.append("  java -jar energy.jar diff BASE NEW [--fail-above PCT] [--out DIR]\n");
        sb.append("                                                 joules per method between two runs' output folders,\n");
        sb.append("                                                 a differential flame graph; --fail-above makes it a CI gate\n");
        sb.append("  java -jar energy.jar compare DIR... [--work DIR=N] [--out DIR]\n");
        sb.append("                                                 variants of the same work on one time-energy chart\n");
        sb.append("  java -jar energy.jar version\n\noptions (also -Denergy.KEY=VALUE or config=FILE):\n");
        sb.append(OptionTable.helpLines());
        return sb.toString();
    }
}

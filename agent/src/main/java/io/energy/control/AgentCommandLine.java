package io.energy.control;

import io.energy.config.Config;
import io.energy.config.ConfigException;
import io.energy.config.ConfigParser;
import io.energy.power.ProbeResult;
import io.energy.power.SourceSelector;

import java.util.Map;

/** {@code java -jar energy.jar doctor [options] | jfc | help | version}. */
public final class AgentCommandLine {
    private AgentCommandLine() {
    }

    public static void main(String[] args) {
        String cmd = args.length == 0 ? "help" : args[0];
        switch (cmd) {
            case "doctor" -> System.exit(doctor(args.length > 1 ? args[1] : ""));
            case "version" -> System.out.println("energy " + EnergySession.VERSION);
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
        for (ProbeResult r : SourceSelector.probeAll(config)) {
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
        return sb.toString();
    }

    static String help() {
        StringBuilder sb = new StringBuilder();
        sb.append("energy: joules per Java method\n\n");
        sb.append("  java -javaagent:energy.jar=include=com.acme.**,out=energy-out -jar app.jar\n");
        sb.append("  java -jar energy.jar doctor [key=value,...]   which power sources work here, and why not\n");
        sb.append("  java -jar energy.jar jfc > energy.jfc            JFR settings for the energy events\n");
        sb.append("  java -jar energy.jar version\n\noptions (also -Denergy.KEY=VALUE or config=FILE):\n");
        for (Map.Entry<String, String> e : ConfigParser.KEYS.entrySet()) {
            sb.append(String.format("  %-20s %s%n", e.getKey(), e.getValue()));
        }
        return sb.toString();
    }
}

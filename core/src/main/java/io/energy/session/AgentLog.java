package io.energy.session;

import io.energy.config.Config;

/** The agent's voice: one prefix, stderr, and quiet means quiet (problems are still said). */
public final class AgentLog {
    private static volatile Config.LogLevel level = Config.LogLevel.INFO;

    private AgentLog() {
    }

    public static void setLevel(Config.LogLevel l) {
        level = l;
    }

    public static void info(String message) {
        if (level != Config.LogLevel.QUIET) {
            System.err.println("[energy] " + message);
        }
    }

    public static void problem(String message) {
        System.err.println("[energy] " + message);
    }

    /** Whether info lines are said: for lines that cost something to build. */
    static boolean sayingInfo() {
        return level != Config.LogLevel.QUIET;
    }

    /** Whether debug lines are said: for what costs something to measure (PhaseClock's CPU clock). */
    static boolean debugging() {
        return level == Config.LogLevel.DEBUG;
    }

    public static void debug(String message) {
        if (level == Config.LogLevel.DEBUG) {
            System.err.println("[energy] debug: " + message);
        }
    }
}

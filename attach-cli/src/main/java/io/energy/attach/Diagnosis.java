package io.energy.attach;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every decision and every explanation the CLI gives about a target, as plain functions of what was
 * observed, so that each one can be tested without the situation it describes (another user's JVM, an
 * old Java) having to exist.
 */
final class Diagnosis {
    /** The oldest Java the agent runs on. */
    static final int MIN_FEATURE = 17;
    /** From this version on, the JVM warns when an agent is loaded into it at run time (JEP 451). */
    static final int WARNS_FROM_FEATURE = 21;

    private Diagnosis() {
    }

    /** The state of -XX:[+-]EnableDynamicAgentLoading in a target, as far as it could be read. */
    enum DynamicLoading {
        /** Not set: Java 21+ loads the agent and prints a warning. */
        DEFAULT,
        /** -XX:+EnableDynamicAgentLoading: loads quietly. */
        ENABLED,
        /** -XX:-EnableDynamicAgentLoading: refuses agents loaded at run time. */
        DISABLED,
        /** Could not be read. */
        UNKNOWN
    }

    /** {@code java.specification.version} to a feature number: "1.8" is 8, "17" is 17; -1 if unreadable. */
    static int feature(String specificationVersion) {
        if (specificationVersion == null) {
            return -1;
        }
        String v = specificationVersion.trim();
        if (v.startsWith("1.")) {
            v = v.substring(2);
        }
        int end = 0;
        while (end < v.length() && Character.isDigit(v.charAt(end))) {
            end++;
        }
        if (end == 0) {
            return -1;
        }
        try {
            return Integer.parseInt(v.substring(0, end));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Why the agent cannot be loaded into a JVM of this version, or null if it can. */
    static String versionProblem(long pid, String specificationVersion, String javaVersion) {
        int feature = feature(specificationVersion);
        if (feature < 0) {
            return "pid " + pid + " did not say which Java it runs (java.specification.version is "
                    + (specificationVersion == null ? "missing" : "'" + specificationVersion + "'")
                    + "); energy needs Java " + MIN_FEATURE + " or newer, so nothing was loaded";
        }
        if (feature < MIN_FEATURE) {
            return "pid " + pid + " runs Java " + (javaVersion == null ? feature : javaVersion) + "; energy needs Java "
                    + MIN_FEATURE + " or newer in the target, so nothing was loaded. Run the service on Java "
                    + MIN_FEATURE + "+ to measure it";
        }
        return null;
    }

    /** Reads the dynamic-agent-loading flag from the output of the {@code VM.flags} diagnostic command. */
    static DynamicLoading fromVmFlags(String vmFlags) {
        if (vmFlags == null) {
            return DynamicLoading.UNKNOWN;
        }
        DynamicLoading last = lastSetting(vmFlags);
        return last == null ? DynamicLoading.DEFAULT : last;
    }

    /**
     * Reads the flag from a JVM's input arguments ({@code sun.jvm.args}). Less complete than VM.flags (a
     * flags file is not seen), so absence means "probably the default".
     */
    static DynamicLoading fromJvmArgs(String jvmArgs) {
        if (jvmArgs == null) {
            return DynamicLoading.UNKNOWN;
        }
        DynamicLoading last = lastSetting(jvmArgs);
        return last == null ? DynamicLoading.DEFAULT : last;
    }

    private static DynamicLoading lastSetting(String text) {
        Boolean last = booleanFlag(text, "EnableDynamicAgentLoading");
        return last == null ? null : last ? DynamicLoading.ENABLED : DynamicLoading.DISABLED;
    }

    /** The last -XX:+NAME / -XX:-NAME in {@code options}, or null if neither is there. */
    static Boolean booleanFlag(String options, String name) {
        if (options == null) {
            return null;
        }
        Matcher m = Pattern.compile("-XX:([+-])" + Pattern.quote(name) + "(?![A-Za-z0-9_])").matcher(options);
        Boolean last = null;
        while (m.find()) {
            last = m.group(1).equals("+");
        }
        return last;
    }

    /**
     * What a JVM's options say about attaching to it, read before any signal is sent, or null if nothing
     * stands in the way. Without perf data (-XX:-UsePerfData) a disabled attach mechanism cannot be seen
     * any other way, and asking would cost the attach timeout and a thread dump in the target's output.
     */
    static String attachDisabledByOptions(long pid, String jvmOptions) {
        if (Boolean.TRUE.equals(booleanFlag(jvmOptions, "DisableAttachMechanism"))) {
            return disabledAttach(pid);
        }
        return null;
    }

    private static String disabledAttach(long pid) {
        return "pid " + pid + " was started with -XX:+DisableAttachMechanism, so no tool can attach to it. "
                + "Restart it without that flag, or measure it from the start with -javaagent:energy.jar=...";
    }

    /** Why a Java 21+ target will refuse the agent, or null. */
    static String dynamicLoadingRefusal(long pid, int feature, DynamicLoading flag) {
        if (feature >= WARNS_FROM_FEATURE && flag == DynamicLoading.DISABLED) {
            return "pid " + pid + " runs with -XX:-EnableDynamicAgentLoading, so it refuses agents loaded at run time. "
                    + "Restart it with -javaagent:energy.jar=... to measure it, or without that flag to attach";
        }
        return null;
    }

    /** What to tell about the JVM's warning on dynamic agent loading, or null when it does not print one. */
    static String dynamicLoadingHint(long pid, int feature, DynamicLoading flag) {
        if (feature < WARNS_FROM_FEATURE || flag == DynamicLoading.ENABLED || flag == DynamicLoading.DISABLED) {
            return null;
        }
        return "note: Java " + feature + " prints \"WARNING: A Java agent has been loaded dynamically\" in pid " + pid
                + "'s error output on every energy-attach command" + (flag == DynamicLoading.UNKNOWN
                ? " (unless it runs with the flag below)" : "") + ". It does not affect the measurement; start the "
                + "service with -XX:+EnableDynamicAgentLoading to allow energy-attach without the warning";
    }

    static String noSuchPid(long pid) {
        return "no process with pid " + pid + " (it may have exited); `energy-attach list` shows the JVMs you can attach to";
    }

    static String self(long pid) {
        return "pid " + pid + " is energy-attach itself; give the pid of the JVM to measure (`energy-attach list`)";
    }

    /**
     * Null when we may attach to a process owned by {@code targetUid}: the attach mechanism only accepts
     * the same effective user, or root.
     */
    static String otherUser(long pid, int targetUid, String targetUser, int ourUid, String ourUser) {
        if (targetUid < 0 || ourUid < 0 || targetUid == ourUid || ourUid == 0) {
            return null;
        }
        String them = targetUser != null ? targetUser + " (uid " + targetUid + ")" : "uid " + targetUid;
        String us = ourUser != null ? ourUser + " (uid " + ourUid + ")" : "uid " + ourUid;
        String sudo = targetUser != null ? targetUser : "#" + targetUid;
        return "pid " + pid + " belongs to user " + them + ", and you are " + us + ": a JVM only accepts attach "
                + "requests from its own user (or root). Run energy-attach as that user, e.g. "
                + "`sudo -u " + sudo + " energy-attach " + pid + " ...`";
    }

    /**
     * Said before trying a pid that the JVM list does not show. {@code perfData}: the JVM has a perf-data
     * file (then only a disabled attach mechanism keeps it off the list); {@code jvmOptions}: its options.
     */
    static String notListed(long pid, boolean perfData, String jvmOptions) {
        if (Boolean.FALSE.equals(booleanFlag(jvmOptions, "UsePerfData"))) {
            return "pid " + pid + " runs with -XX:-UsePerfData, so `energy-attach list` cannot see it; attaching "
                    + "works without perf data";
        }
        if (perfData) {
            return "pid " + pid + " is a JVM that the attach list leaves out (its perf data says it is not attachable); "
                    + "trying anyway";
        }
        return "pid " + pid + " is not in the list of JVMs: it may run with -XX:-UsePerfData or "
                + "-XX:+PerfDisableSharedMem, or in another container, or not be a JVM at all; trying to attach anyway";
    }

    /**
     * The attach handshake starts by sending SIGQUIT. A JVM catches it; any other process dies of it. So a
     * process that does not catch it, and has no attach socket yet, must not be sent it.
     */
    static String noQuitHandler(long pid) {
        return "pid " + pid + " does not handle SIGQUIT, so it is not a JVM that accepts attach requests (or it runs "
                + "with -Xrs); energy-attach did not signal it, because that would kill a process that is not a JVM";
    }

    /** Turns an attach failure into an answer that says what is wrong and what to do. */
    static String attachFailed(long pid, String message, boolean listed, long timeoutMillis) {
        String m = message == null ? "" : message;
        String lower = m.toLowerCase(Locale.ROOT);
        if (lower.contains("does not support the attach mechanism")) {
            return disabledAttach(pid);
        }
        if (lower.contains("non existent") || lower.contains("no such process")) {
            return noSuchPid(pid);
        }
        if (lower.contains("permission denied") || lower.contains("ownership") || lower.contains("operation not permitted")) {
            return "pid " + pid + " refused the attach request (" + m + "): it runs as another user, or in a "
                    + "container whose files you cannot reach; run energy-attach as the user that runs the JVM";
        }
        if (lower.contains("not responding") || lower.contains("unable to open socket") || lower.contains("timed out")
                || lower.contains("not ready")) {
            return "pid " + pid + " did not answer the attach request within " + timeoutMillis / 1000 + " s. It may run "
                    + "with -XX:+DisableAttachMechanism" + (listed ? "" : " (without perf data that cannot be seen beforehand)")
                    + ", with -Xrs, be stopped or too busy, or not be a HotSpot JVM. Try `jcmd " + pid + " VM.version`"
                    + " to check";
        }
        return "cannot attach to pid " + pid + ": " + m;
    }

    static String noAttachModule(String javaHome) {
        return "this Java (" + javaHome + ") has no jdk.attach module, which energy-attach needs to reach other JVMs: "
                + "run it with a full JDK's java (set JAVA_HOME to a JDK 17 or newer)";
    }
}

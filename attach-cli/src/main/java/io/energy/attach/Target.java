package io.energy.attach;

import io.energy.protocol.AttachProtocol;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** One attached JVM: the checks before loading anything, and the commands sent to the agent in it. */
final class Target implements AutoCloseable {
    /** "running VERSION" or "stopped VERSION", left by the agent. */
    static final String STATE_PROPERTY = AttachProtocol.STATE_PROPERTY;
    /** How long the JDK's attach client waits for a JVM to open its attach socket. */
    static final long ATTACH_TIMEOUT_MILLIS = Long.getLong("sun.tools.attach.attachTimeout", 10_000);

    /** The agent's answer: its exit code and its message. */
    record Reply(int code, String message) {
    }

    final long pid;
    final boolean listed;
    private final VirtualMachine vm;
    private final Properties properties;
    private final int targetUid;

    private Target(long pid, boolean listed, VirtualMachine vm, Properties properties, int targetUid) {
        this.pid = pid;
        this.listed = listed;
        this.vm = vm;
        this.properties = properties;
        this.targetUid = targetUid;
    }

    /**
     * Attaches after the checks that can be made from outside, and reads the target's system properties.
     * {@code notes} hears what the user should know but does not stop the attach.
     */
    static Target attach(long pid, java.util.function.Consumer<String> notes) throws AttachException {
        long self = ProcessHandle.current().pid();
        if (pid == self) {
            throw new AttachException(2, Diagnosis.self(pid));
        }
        if (ProcessHandle.of(pid).isEmpty()) {
            throw new AttachException(1, Diagnosis.noSuchPid(pid));
        }
        String p = Long.toString(pid);
        int targetUid = Proc.uid(p);
        String other = Diagnosis.otherUser(pid, targetUid, Proc.user(p), Proc.uid("self"), Proc.user("self"));
        if (other != null) {
            throw new AttachException(1, other);
        }
        boolean listed = false;
        for (VirtualMachineDescriptor d : VirtualMachine.list()) {
            if (d.id().equals(p)) {
                listed = true;
                break;
            }
        }
        String options = Proc.jvmOptions(pid);
        String disabled = Diagnosis.attachDisabledByOptions(pid, options);
        if (disabled != null) {
            throw new AttachException(1, disabled);
        }
        if (!listed) {
            notes.accept(Diagnosis.notListed(pid, Proc.perfDataPids().contains(pid), options));
            if (!Proc.hasAttachSocket(pid) && Boolean.FALSE.equals(Proc.catchesQuit(pid))) {
                throw new AttachException(1, Diagnosis.noQuitHandler(pid));
            }
        }
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(p);
        } catch (AttachNotSupportedException | IOException | RuntimeException e) {
            if (ProcessHandle.of(pid).isEmpty()) {
                throw new AttachException(1, Diagnosis.noSuchPid(pid));
            }
            throw new AttachException(1, Diagnosis.attachFailed(pid, e.getMessage(), listed, ATTACH_TIMEOUT_MILLIS));
        }
        try {
            return new Target(pid, listed, vm, vm.getSystemProperties(), targetUid);
        } catch (IOException | RuntimeException e) {
            detachQuietly(vm);
            throw new AttachException(1, "attached to pid " + pid + " but could not read its system properties: " + e);
        }
    }

    String property(String name) {
        return properties.getProperty(name);
    }

    int feature() {
        return Diagnosis.feature(property("java.specification.version"));
    }

    /** The energy state the agent left in the target, or null if the agent was never loaded. */
    String energyState() {
        return property(STATE_PROPERTY);
    }

    boolean energyRunning() {
        String s = energyState();
        return s != null && s.startsWith("running");
    }

    /** Refuses targets that cannot run the agent, before anything is loaded into them. */
    void checkCanLoad() throws AttachException {
        String problem = Diagnosis.versionProblem(pid, property("java.specification.version"), property("java.version"));
        if (problem != null) {
            throw new AttachException(1, problem);
        }
    }

    /**
     * Reads -XX:[+-]EnableDynamicAgentLoading: from the VM.flags diagnostic command when the JDK's attach
     * internals are reachable (the jar's manifest exports them to us), else from the target's input arguments.
     */
    Diagnosis.DynamicLoading dynamicLoading() {
        try {
            Class<?> hotspot = Class.forName("sun.tools.attach.HotSpotVirtualMachine");
            if (hotspot.isInstance(vm)) {
                Method jcmd = hotspot.getMethod("executeJCmd", String.class);
                try (InputStream in = (InputStream) jcmd.invoke(vm, "VM.flags")) {
                    return Diagnosis.fromVmFlags(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        } catch (ReflectiveOperationException | IOException | RuntimeException e) {
            // Not exported to us (run with -cp instead of -jar) or not HotSpot: fall back below.
        }
        try {
            return Diagnosis.fromJvmArgs(vm.getAgentProperties().getProperty("sun.jvm.args"));
        } catch (IOException | RuntimeException e) {
            return Diagnosis.DynamicLoading.UNKNOWN;
        }
    }

    /**
     * Loads the agent jar with {@code cmd=<command>} and reads its answer. The agent writes the answer to a
     * file we create, because the attach protocol only carries back whether agentmain threw.
     */
    Reply send(Path agentJar, String command, String options) throws AttachException {
        Path reply = null;
        try {
            reply = Files.createTempFile("energy-attach-" + pid + "-", ".reply");
            if (targetUid >= 0 && targetUid != Proc.uid("self")) {
                // We are root attaching to another user's JVM: that user must be able to write the answer.
                Files.setAttribute(reply, "unix:uid", targetUid);
            }
            String args = AttachProtocol.request(command, reply.toString(), options);
            vm.loadAgent(agentJar.toString(), args);
            String text = Files.readString(reply, StandardCharsets.UTF_8);
            return parseReply(text, pid);
        } catch (AgentLoadException | AgentInitializationException e) {
            throw new AttachException(1, "pid " + pid + " could not load the energy agent " + agentJar + ": "
                    + e.getMessage() + loadHint(e.getMessage()));
        } catch (IOException e) {
            if (ProcessHandle.of(pid).isEmpty()) {
                throw new AttachException(1, "pid " + pid + " exited while the energy agent was being loaded");
            }
            throw new AttachException(1, "talking to pid " + pid + " failed: " + e);
        } finally {
            if (reply != null) {
                try {
                    Files.deleteIfExists(reply);
                } catch (IOException ignored) {
                    // a leftover empty file in the temp directory is harmless
                }
            }
        }
    }

    private String loadHint(String message) {
        if (message != null && message.toLowerCase(java.util.Locale.ROOT).contains("dynamic")) {
            return " (the JVM refuses agents loaded at run time: restart it with -javaagent:energy.jar=...)";
        }
        return "";
    }

    static Reply parseReply(String text, long pid) throws AttachException {
        if (text == null || text.isBlank()) {
            throw new AttachException(1, "the energy agent in pid " + pid + " did not answer; look for a line starting "
                    + "with [energy] in that JVM's error output");
        }
        try {
            AttachProtocol.Reply r = AttachProtocol.Reply.parse(text);
            return new Reply(r.code(), r.message());
        } catch (IllegalArgumentException e) {
            throw new AttachException(1, "the energy agent in pid " + pid + " answered in an unknown form: " + text.strip());
        }
    }

    @Override
    public void close() {
        detachQuietly(vm);
    }

    private static void detachQuietly(VirtualMachine vm) {
        try {
            vm.detach();
        } catch (IOException | RuntimeException ignored) {
            // the target may be gone; there is nothing to release on our side then
        }
    }
}

package io.energy.sampling;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns one stack as a profiler prints it (frames outermost first, async-profiler's collapsed form: Java
 * frames as {@code java/lang/Thread.run}, native and JVM frames as C/C++ names, kernel frames with
 * {@code _[k]}) into a {@link Stack}: what kind of thread it came from, and its Java frames.
 *
 * <p>Native, JVM and kernel frames of a Java thread are folded into the Java frame that called them: an
 * intrinsic stub ({@code sha256_implCompressMB}), a page fault or a JNI call is work done by the method
 * that asked for it, which is the unit a Java developer can act on.
 */
public final class StackClassifier {
    /** Packages of the agent itself: frames there are the agent's cost, never an application method's. */
    private static final String[] AGENT_PACKAGES = {
        "io/energy/agent/", "io/energy/attribute/", "io/energy/bridge/", "io/energy/config/", "io/energy/command/",
        "io/energy/instrument/", "io/energy/power/", "io/energy/report/", "io/energy/sampling/", "io/energy/shaded/",
        "io/energy/session/", "io/energy/attach/", "io/energy/window/", "io/energy/metrics/", "io/energy/export/",
        "io/energy/text/", "io/energy/protocol/",
        "io.energy.agent.", "io.energy.attribute.", "io.energy.bridge.", "io.energy.config.", "io.energy.command.",
        "io.energy.instrument.", "io.energy.power.", "io.energy.report.", "io.energy.sampling.", "io.energy.shaded.",
        "io.energy.session.", "io.energy.attach.", "io.energy.window.", "io.energy.metrics.", "io.energy.export.",
        "io.energy.text.", "io.energy.protocol.",
        "one/profiler/", "one.profiler.",
    };
    /** Frames of the JIT compilers' threads. */
    private static final String[] JIT_MARKERS = {"CompileBroker", "C2Compiler", "Compiler::compile", "CompilerThread"};
    /** Frames of garbage collection, in GC threads or in a VM operation that collects. */
    private static final String[] GC_MARKERS = {
        "G1", "GCTask", "GangWorker", "WorkerThread", "ConcurrentGCThread", "ConcurrentMark", "ParallelGC",
        "PSParallel", "PSScavenge", "PSPromotion", "PSOldGen", "Shenandoah", "ZDriver", "ZWorker", "ZGeneration",
        "XDriver", "SerialHeap", "DefNewGeneration", "TenuredGeneration", "GenCollectedHeap", "VM_GC_Operation",
        "VM_CollectForMetadataAllocation", "CollectedHeap::collect", "MarkSweep", "Epsilon", "ZCollectedHeap",
        "ParallelScavengeHeap", "StringDedup", "GCWorker",
    };

    private final FrameIds ids;
    private final int maxDepth;

    public StackClassifier(FrameIds ids, int maxDepth) {
        this.ids = ids;
        this.maxDepth = maxDepth;
    }

    /** @param frames the stack, outermost first */
    public Stack classify(List<String> frames) {
        if (frames.isEmpty() || !isJava(frames.get(0)) && !brokenJavaWalk(frames)) {
            return new Stack(jvmKind(frames), new int[0]);
        }
        List<String> java = new ArrayList<>(frames.size());
        for (String f : frames) {
            if (isJava(f)) {
                if (isAgent(f)) {
                    // The bridge's enter/exit inside an application thread, or one of the agent's own threads:
                    // what observing costs is its own bucket, never the measured method's energy.
                    return new Stack(ThreadKind.AGENT, new int[0]);
                }
                java.add(f);
            }
        }
        int n = Math.min(java.size(), maxDepth);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            String f = normalise(java.get(i));
            int dot = f.lastIndexOf('.');
            out[i] = ids.id(f.substring(0, dot), f.substring(dot + 1));
        }
        return new Stack(ThreadKind.JAVA, out);
    }

    /** Splits a collapsed stack ({@code a;b;c}) and classifies it. */
    public Stack classify(String collapsed) {
        List<String> frames = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= collapsed.length(); i++) {
            if (i == collapsed.length() || collapsed.charAt(i) == ';') {
                if (i > from) {
                    frames.add(collapsed.substring(from, i));
                }
                from = i + 1;
            }
        }
        return classify(frames);
    }

    /**
     * A Java thread whose outer frames async-profiler could not walk: its stack begins with a marker such as
     * {@code [break_interpreted]}, {@code [break_compiled]} or {@code [unknown_Java]} (seen after a class was
     * retransformed under a method still running its old code). It is still an application thread: its Java
     * frames are kept, and if none is left its energy is {@code (unattributed)}, never the JVM's.
     */
    static boolean brokenJavaWalk(List<String> frames) {
        String first = frames.get(0);
        if (!first.startsWith("[")) {
            return false;
        }
        if (first.contains("interpreted") || first.contains("compiled") || first.contains("Java")) {
            return true;
        }
        for (String f : frames) {
            if (isJava(f)) {
                return true;
            }
        }
        return false;
    }

    static ThreadKind jvmKind(List<String> frames) {
        for (String f : frames) {
            for (String m : JIT_MARKERS) {
                if (f.contains(m)) {
                    return ThreadKind.JIT;
                }
            }
        }
        for (String f : frames) {
            for (String m : GC_MARKERS) {
                if (f.contains(m)) {
                    return ThreadKind.GC;
                }
            }
        }
        for (String f : frames) {
            if (isJava(f) && isAgent(f)) {
                return ThreadKind.AGENT;
            }
        }
        return ThreadKind.VM;
    }

    static boolean isAgent(String frame) {
        for (String p : AGENT_PACKAGES) {
            if (frame.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A Java frame is {@code pkg/Class.method} (or {@code pkg.Class.method}): no C++ scope ({@code ::}), no
     * symbol version ({@code @@GLIBC}), no spaces (stubs such as {@code new_type_array Runtime1 stub}), no
     * {@code [..]} (kernel, vdso, unknown), not a shared library name.
     */
    static boolean isJava(String f) {
        int dot = f.lastIndexOf('.');
        if (dot <= 0 || dot == f.length() - 1 || f.charAt(0) == '[') {
            return false;
        }
        for (int i = 0; i < f.length(); i++) {
            char c = f.charAt(i);
            if (c == ' ' || c == '@' || c == ':' || c == '(' || c == '[') {
                return false;
            }
        }
        return !f.endsWith(".so") && !f.contains(".so.");
    }

    /**
     * {@code java/lang/String.hashCode} → {@code java.lang.String.hashCode}; the addresses in the names of
     * hidden classes ({@code Foo$$Lambda.0x0000000800c0b000.run}, {@code LambdaForm$MH/0x...}) are dropped, so
     * the same lambda is one frame across runs and class redefinitions.
     */
    static String normalise(String f) {
        String s = f;
        if (s.indexOf("0x") >= 0) {
            StringBuilder b = new StringBuilder(s.length());
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if ((c == '.' || c == '/') && i + 2 < s.length() && s.charAt(i + 1) == '0' && s.charAt(i + 2) == 'x') {
                    int j = i + 3;
                    while (j < s.length() && Character.digit(s.charAt(j), 16) >= 0) {
                        j++;
                    }
                    i = j - 1;
                    continue;
                }
                b.append(c);
            }
            s = b.toString();
        }
        int lambda = s.indexOf("$$Lambda$");
        if (lambda >= 0) {
            int j = lambda + "$$Lambda$".length();
            int k = j;
            while (k < s.length() && Character.isDigit(s.charAt(k))) {
                k++;
            }
            s = s.substring(0, lambda) + "$$Lambda" + s.substring(k);
        }
        return s.replace('/', '.');
    }
}

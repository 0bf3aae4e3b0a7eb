package io.energy.instrument;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Keeps the application's C2 compiler off the agent's own weaving code (ASM and the weaver), with a compiler
 * directive added at run time, as {@code jcmd PID Compiler.directives_add FILE} would, before the transformer is
 * installed (its name filter runs at every class load and would be C2's before a directive added later; the command
 * costs 3–5 ms of CPU on premain's thread).
 *
 * <p>Why: weaving runs once per class load, early, mostly while that code is still interpreted or in C1; by the
 * time C2 gets to it the weaving is nearly done. Yet C2 compiled it, on the application's one C2 thread of a
 * 2-CPU machine: in an H2 run with three packages included, JFR's {@code jdk.Compilation} showed 31–34 C2 compiles
 * of {@code io.energy.shaded} methods taking 1.3–1.7 s (ASM's {@code ClassReader.readCode} alone 0.4–0.5 s, twice,
 * once on-stack), against 0.2 s of C2 for all of the agent's code when nothing is woven. Excluded from C2, the
 * policy compiles them with C1 at full optimisation (tier 1) instead, and the weaving took the same time
 * (health.overhead.weaveMs 306–347 ms with the directive, 335–367 without; docs/performance.md).
 *
 * <p>The directive matches only the agent's classes, so it never changes how an application method is compiled,
 * and it is pushed on top of any directive the application has (those match first only for their own
 * patterns). The command is run through the JDK's own diagnostic-command bean, reached by opening its package
 * with {@link Instrumentation#redefineModule}, not through the platform MBean server: creating that server in
 * premain breaks applications that install their own server builder (application servers). Any failure
 * (another JVM, a JDK without the command) leaves the JIT as it is and is only logged.
 */
public final class WeaverJitDirective {
    /** The directive, in the JVM's directive syntax (relaxed JSON). */
    static final String DIRECTIVE = "[ { match: [\"io/energy/shaded/*.*\", \"io/energy/instrument/*.*\"],"
            + " c2: { Exclude: true } } ]";
    private static final String MODULE = "jdk.management";
    private static final String PACKAGE = "com.sun.management.internal";
    private static final String IMPL = PACKAGE + ".DiagnosticCommandImpl";

    private WeaverJitDirective() {
    }

    /**
     * Adds the directive.
     *
     * @return the JVM's answer ("1 compiler directives added"), or why it was not added
     */
    public static String add(Instrumentation inst) {
        Path file = null;
        try {
            Object bean = diagnosticCommands(inst);
            // Not Files.createTempFile: its first use initialises SecureRandom, ~25 ms of CPU on premain's thread.
            file = io.energy.protocol.PrivateFiles.tempCopy(
                    new java.io.ByteArrayInputStream(DIRECTIVE.getBytes(StandardCharsets.US_ASCII)), "energy-jit-", ".json");
            Method execute = bean.getClass().getDeclaredMethod("executeDiagnosticCommand", String.class);
            execute.setAccessible(true);
            Object answer = execute.invoke(bean, "Compiler.directives_add " + file.toAbsolutePath());
            return String.valueOf(answer).trim();
        } catch (Throwable t) {
            return "not added (" + t + ")";
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (Throwable ignored) {
                    // a temp file of a few bytes left behind is not worth a message
                }
            }
        }
    }

    private static Object diagnosticCommands(Instrumentation inst) throws ReflectiveOperationException {
        Module self = WeaverJitDirective.class.getModule();
        Module target = ModuleLayer.boot().findModule(MODULE)
                .orElseThrow(() -> new ClassNotFoundException("module " + MODULE));
        if (!target.isOpen(PACKAGE, self)) {
            inst.redefineModule(target, Set.of(), Map.of(), Map.of(PACKAGE, Set.of(self)), Set.of(), Map.of());
        }
        Class<?> impl = Class.forName(target, IMPL);
        if (impl == null) {
            throw new ClassNotFoundException(IMPL);
        }
        Method get = impl.getDeclaredMethod("getDiagnosticCommandMBean");
        get.setAccessible(true);
        Object bean = get.invoke(null);
        if (bean == null) {
            throw new IllegalStateException("this JVM offers no diagnostic commands");
        }
        return bean;
    }
}

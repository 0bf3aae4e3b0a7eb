package io.energy.instrument;

import org.junit.jupiter.api.Test;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The failure paths of {@link WeaverJitDirective} (its effect on the JIT is {@code WeaverJitIT}'s, in a forked JVM):
 * whatever goes wrong, it answers why and throws nothing, and it asks for exactly one package to be opened.
 */
class WeaverJitDirectiveTest {
    @Test
    void aJvmThatRefusesToOpenThePackageGetsAReasonAndNoException() {
        Instrumentation refusing = instrumentation((name, args) -> {
            throw new UnsupportedOperationException("no module changes here");
        }, new ArrayList<>());
        String answer = WeaverJitDirective.add(refusing);
        assertTrue(answer.startsWith("not added (") && answer.contains("no module changes here"), answer);
    }

    @Test
    void itOpensOnlyTheDiagnosticCommandPackageToTheAgentsOwnModule() {
        List<Object[]> calls = new ArrayList<>();
        Instrumentation recording = instrumentation((name, args) -> null, calls);
        String answer = WeaverJitDirective.add(recording);
        // This JVM was not started with the package open and the fake cannot open it: the reflective access fails.
        assertTrue(answer.startsWith("not added ("), answer);
        assertEquals(1, calls.size(), "redefineModule calls");
        Object[] a = calls.get(0);
        assertEquals("jdk.management", ((Module) a[0]).getName());
        assertEquals(Set.of(), a[1]);
        assertEquals(Map.of(), a[2]);
        assertEquals(Map.of("com.sun.management.internal", Set.of(WeaverJitDirective.class.getModule())), a[3]);
    }

    @Test
    void theDirectiveExcludesTheWeavingPackagesFromC2Only() {
        String d = WeaverJitDirective.DIRECTIVE;
        assertTrue(d.contains("\"io/energy/shaded/*.*\"") && d.contains("\"io/energy/instrument/*.*\""), d);
        assertTrue(d.contains("c2: { Exclude: true }") && !d.contains("c1"), d);
        assertTrue(!d.contains("io/energy/bridge"), "the bridge must stay inlinable and compiled: " + d);
    }

    private interface Call {
        Object on(String name, Object[] args);
    }

    private static Instrumentation instrumentation(Call redefineModule, List<Object[]> calls) {
        return (Instrumentation) Proxy.newProxyInstance(WeaverJitDirectiveTest.class.getClassLoader(),
                new Class<?>[]{Instrumentation.class}, (proxy, method, args) -> {
                    if (method.getName().equals("redefineModule")) {
                        calls.add(args);
                        return redefineModule.on(method.getName(), args);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}

package io.energy.sampling;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The edges of reading one stack (issue 14: survivors of the mutation run). */
class StackClassifierEdgeTest {
    private final Map<String, Integer> ids = new HashMap<>();
    private final StackClassifier classifier = new StackClassifier(
            (c, m) -> ids.computeIfAbsent(c + "." + m, k -> ids.size() + 1), 256);

    @Test
    void emptyFramesBetweenSeparatorsAreSkipped() {
        Stack s = classifier.classify(";A.main;;A.b;");
        assertEquals(ThreadKind.JAVA, s.kind);
        assertEquals(2, s.frames.length);
        assertEquals((int) ids.get("A.main"), s.frames[0]);
        assertEquals((int) ids.get("A.b"), s.frames[1]);
    }

    @Test
    void anUnknownMarkerBeforeJavaFramesIsABrokenJavaWalkAndWithoutThemIsTheJvm() {
        Stack s = classifier.classify("[unknown];A.main;A.b");
        assertEquals(ThreadKind.JAVA, s.kind);
        assertEquals(2, s.frames.length);
        assertTrue(StackClassifier.brokenJavaWalk(List.of("[unknown]", "A.main")));
        assertFalse(StackClassifier.brokenJavaWalk(List.of("[unknown]", "libc.so.6")));
        assertEquals(ThreadKind.VM, classifier.classify("[unknown];libc.so.6").kind);
    }

    @Test
    void aNativeThreadRunningAgentJavaCodeIsTheAgentButAnAgentLibraryFrameIsNot() {
        assertEquals(ThreadKind.AGENT,
                classifier.classify("start_thread;thread_native_entry;io/energy/session/Collector.run").kind);
        assertEquals(ThreadKind.AGENT, StackClassifier.jvmKind(List.of("start_thread", "one/profiler/Sampler.run")));
        // The profiler's shared library starts like its package but is no Java frame.
        assertEquals(ThreadKind.VM, classifier.classify("start_thread;one/profiler/libasyncProfiler.so").kind);
    }

    @Test
    void aFrameNeedsAClassAndAMethodAroundItsLastDot() {
        assertFalse(StackClassifier.isJava(".run"), "no class");
        assertFalse(StackClassifier.isJava("a/B."), "no method");
        assertTrue(StackClassifier.isJava("a/B.c"));
        assertTrue(StackClassifier.isJava("B.c"));
    }

    @Test
    void addressesAndLambdaNumbersAtTheEndOfANameAreDropped() {
        assertEquals("p.Foo$$Lambda", StackClassifier.normalise("p/Foo$$Lambda/0x0000000800c0b000"));
        assertEquals("p.Foo$$Lambda", StackClassifier.normalise("p/Foo$$Lambda$42"));
        assertEquals("$$Lambda.run", StackClassifier.normalise("$$Lambda$12.run"));
        assertEquals("p.Foo$$Lambda.run", StackClassifier.normalise("p/Foo$$Lambda.0x00ab00.run"));
    }

    @Test
    void aZeroXNearTheEndThatIsNoAddressIsKept() {
        assertEquals("p.A0x.0", StackClassifier.normalise("p/A0x.0"));
        assertEquals("p.A0x.", StackClassifier.normalise("p/A0x."));
        assertEquals("p.A0x.m", StackClassifier.normalise("p/A0x.m"));
    }

    /**
     * A name may begin with {@code 0x} (the JVM allows any package name a generator writes): its hidden class's
     * address is dropped all the same, so its lambda stays one frame across runs.
     */
    @Test
    void anAddressIsDroppedAlsoFromANameThatBeginsWithZeroX() {
        assertEquals("0xdead.Gen$$Lambda.run", StackClassifier.normalise("0xdead/Gen$$Lambda/0x0000000800c0b000.run"));
    }
}

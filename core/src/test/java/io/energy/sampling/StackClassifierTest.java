package io.energy.sampling;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stacks as async-profiler 4.2 prints them (taken from real runs on these machines). */
class StackClassifierTest {
    private final List<String> names = new ArrayList<>();
    private final StackClassifier classifier = new StackClassifier((cls, m) -> {
        String n = cls + "." + m;
        int i = names.indexOf(n);
        if (i < 0) {
            names.add(n);
            i = names.size() - 1;
        }
        return i + 1;
    }, 256);

    private List<String> frames(Stack s) {
        List<String> out = new ArrayList<>();
        for (int f : s.frames) {
            out.add(names.get(f - 1));
        }
        return out;
    }

    @Test
    void aJavaThreadKeepsItsJavaFramesAndFoldsTheNativeAndKernelTailIntoTheCaller() {
        Stack s = classifier.classify("T.main;T.hash;java/security/MessageDigest.update;"
                + "sun/security/provider/DigestBase.implCompressMultiBlock;sha256_implCompressMB;"
                + "asm_exc_page_fault_[k];clear_page_erms_[k]");
        assertEquals(ThreadKind.JAVA, s.kind);
        assertEquals(List.of("T.main", "T.hash", "java.security.MessageDigest.update",
                "sun.security.provider.DigestBase.implCompressMultiBlock"), frames(s));
    }

    @Test
    void jvmRuntimeFramesBetweenJavaFramesAreDropped() {
        Stack s = classifier.classify("V.main;InterpreterRuntime::newarray;TypeArrayKlass::allocate_common;"
                + "MemAllocator::allocate;__memset_avx512_unaligned_erms;clock_gettime@@GLIBC_2.17;[vdso]");
        assertEquals(List.of("V.main"), frames(s));
    }

    @Test
    void garbageCollectionThreadsAreTheGcBucket() {
        Stack s = classifier.classify("clone3;start_thread;thread_native_entry;Thread::call_run;GangWorker::run;"
                + "GangWorker::loop;G1EvacuateRegionsBaseTask::work;clear_page_erms_[k]");
        assertEquals(ThreadKind.GC, s.kind);
        assertEquals(0, s.frames.length);
    }

    @Test
    void compilerThreadsAreTheJitBucketEvenWhenTheyTouchGcNamedCode() {
        Stack s = classifier.classify("clone3;start_thread;thread_native_entry;Thread::call_run;"
                + "JavaThread::thread_main_inner;CompileBroker::compiler_thread_loop;"
                + "CompileBroker::invoke_compiler_on_method;C2Compiler::compile_method;G1BarrierSetC2::late_barrier");
        assertEquals(ThreadKind.JIT, s.kind);
    }

    @Test
    void aJavaStackWhoseWalkBrokeStaysAnApplicationStackWithTheFramesThatWereFound() {
        // Seen after the overhead budget retransformed the class of a method still running its old code.
        Stack s = classifier.classify("[break_interpreted];Hot.g");
        assertEquals(ThreadKind.JAVA, s.kind);
        assertEquals(List.of("Hot.g"), frames(s));
        Stack none = classifier.classify("[break_interpreted];InterpreterRuntime::frequency_counter_overflow;"
                + "CompilationPolicy::event");
        assertEquals(ThreadKind.JAVA, none.kind, "not the JVM's: the application thread was running");
        assertEquals(0, none.frames.length);
        assertEquals(ThreadKind.JAVA, classifier.classify("[unknown_Java]").kind);
    }

    @Test
    void otherNativeThreadsAreTheJvmBucket() {
        assertEquals(ThreadKind.VM, classifier.classify("clone3;start_thread;thread_native_entry;Thread::call_run;"
                + "VMThread::run;VMThread::inner_execute;SafepointSynchronize::begin").kind);
        assertEquals(ThreadKind.VM, classifier.classify("[unknown]").kind);
    }

    @Test
    void theAgentsOwnThreadAndTheBridgeInsideAnApplicationThreadAreTheAgentBucket() {
        assertEquals(ThreadKind.AGENT, classifier.classify("java/lang/Thread.run;io/energy/session/Collector.run;"
                + "io/energy/sampling/AsyncProfilerSampler.harvest;one/profiler/AsyncProfiler.dumpCollapsed0").kind);
        assertEquals(ThreadKind.AGENT, classifier.classify("com/acme/App.main;com/acme/App.work;"
                + "io/energy/bridge/EnergyBridge.enter").kind);
    }

    @Test
    void theSampleAppsAndTheApplicationsOwnIoEnergyPackagesAreNotTheAgent() {
        Stack s = classifier.classify("io/energy/samples/Samples.main;io/energy/samples/CpuSample.hashBlocks");
        assertEquals(ThreadKind.JAVA, s.kind);
        assertEquals(List.of("io.energy.samples.Samples.main", "io.energy.samples.CpuSample.hashBlocks"), frames(s));
    }

    @Test
    void hiddenClassAddressesAreDroppedSoALambdaIsOneFrameAcrossRuns() {
        assertEquals("com.acme.App$$Lambda.run",
                StackClassifier.normalise("com/acme/App$$Lambda.0x0000000801001234.run"));
        assertEquals("com.acme.App$$Lambda.run", StackClassifier.normalise("com/acme/App$$Lambda$14/0x0000000800c0b000.run"));
        assertEquals("java.lang.invoke.LambdaForm$MH.invoke",
                StackClassifier.normalise("java/lang/invoke/LambdaForm$MH.0x00007f0000001000.invoke"));
        assertEquals("java.lang.String.hashCode", StackClassifier.normalise("java/lang/String.hashCode"));
    }

    @Test
    void nativeLibraryAndStubNamesAreNotJavaFrames() {
        for (String f : List.of("libjvm.so", "libc.so.6", "new_type_array Runtime1 stub", "os::javaTimeNanos",
                "clock_gettime@@GLIBC_2.17", "[vdso]", "start_thread", "do_syscall_64_[k]")) {
            assertEquals(false, StackClassifier.isJava(f), f);
        }
        for (String f : List.of("T.main", "java/lang/Thread.run", "com/acme/Foo$Bar.<init>", "a/B.lambda$main$0")) {
            assertEquals(true, StackClassifier.isJava(f), f);
        }
    }

    @Test
    void framesBeyondMaxDepthAreCutFromTheInnerEnd() {
        StackClassifier shallow = new StackClassifier((c, m) -> m.charAt(0) - 'a' + 1, 2);
        Stack s = shallow.classify("X.a;X.b;X.c;X.d");
        assertArrayEquals(new int[]{1, 2}, s.frames);
    }

    @Test
    void everyPackageOfTheAgentsCoreIsTheAgentsCostNeverAnApplicationMethods() throws java.io.IOException {
        // Read from the core's compiled classes: a package added to the agent must not leave its frames to be
        // counted as the application's (io.energy.text was missed once).
        java.nio.file.Path classes = java.nio.file.Path.of("target/classes/io/energy");
        java.util.Set<String> packages = new java.util.TreeSet<>();
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(classes)) {
            files.filter(f -> f.toString().endsWith(".class")).forEach(f -> packages.add(
                    "io/energy/" + classes.relativize(f.getParent()).toString().replace('\\', '/') + "/"));
        }
        assertTrue(packages.size() > 10, "the core's packages: " + packages);
        for (String p : packages) {
            assertTrue(StackClassifier.isAgent(p + "Some.method"), p + " is not the agent's in StackClassifier");
            assertTrue(StackClassifier.isAgent(p.replace('/', '.') + "Some.method"), p + " (dotted) is not the agent's");
        }
        assertTrue(!StackClassifier.isAgent("io/energy/samples/CpuSample.run"), "the sample application is not the agent");
    }
}

package io.energy.instrument;

import io.energy.bridge.EnergyBridge;
import io.energy.bridge.PathNode;
import io.energy.bridge.ThreadContext;
import io.energy.config.ConfigParser;
import io.energy.instrument.fixture.Fixture;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The woven bytecode, loaded for real: the JVM's verifier checks every woven class (it is defined by a
 * plain class loader), and the bridge records what the calls did.
 */
class EnergyTransformerTest {
    private static final String FIXTURES = "io.energy.instrument.fixture";

    private final MethodRegistry registry = new MethodRegistry();
    private final AtomicLong errors = new AtomicLong();
    private final Set<String> woven = ConcurrentHashMap.newKeySet();
    private final List<String> log = new ArrayList<>();
    private EnergyTransformer transformer;
    private Class<?> wovenFixture;

    @BeforeEach
    void weaveFixture() throws Exception {
        // weave.trivial=true: these tests are about the woven code itself, trivial methods included.
        transformer = new EnergyTransformer(ConfigParser.parse("include=" + FIXTURES + ".**,weave.trivial=true", new Properties()),
                registry, log::add, new String[]{"java."}, woven, errors);
        wovenFixture = new WeavingLoader().loadClass(Fixture.class.getName());
        EnergyBridge.start(256, 20_000, 0, null);
    }

    @AfterEach
    void stopBridge() {
        EnergyBridge.stop();
        while (EnergyBridge.pollNewContext() != null) {
            // drop what this test recorded
        }
    }

    @Test
    void wovenMethodsReturnWhatTheOriginalsReturn() throws Exception {
        assertEquals(Fixture.plus(2, 3), call("plus", 2, 3));
        assertEquals(Fixture.sumLongs(1000), call("sumLongs", 1000L));
        assertEquals(Fixture.mixed(5, 7L, 1.25, "abc"), call("mixed", 5, 7L, 1.25, "abc"));
        assertEquals(Fixture.recurse(6), call("recurse", 6));
        assertEquals(Fixture.switcher(5), call("switcher", 5));
        assertEquals(Fixture.switcher(3), call("switcher", 3));
        assertEquals(Fixture.lambdaUser(4), call("lambdaUser", 4));
        assertEquals(Fixture.manyLocals(3), call("manyLocals", 3));
        assertEquals(Fixture.manyLocals(1), call("manyLocals", 1));
        assertNull(call("nothing"));
        Object instance = wovenFixture.getConstructor().newInstance();
        assertEquals(new Fixture().addToField(5), wovenFixture.getMethod("addToField", int.class).invoke(instance, 5));
        assertEquals(0, errors.get(), () -> "weaving errors: " + log);
        assertTrue(woven.contains(Fixture.class.getName()));
    }

    @Test
    void everyCallIsCountedOnItsOwnPathAndThePathIsLeftAfterwards() throws Exception {
        for (int i = 0; i < 3; i++) {
            call("plus", i, i);
        }
        call("recurse", 3); // recurse(3) → recurse(2) → recurse(1) → recurse(0)
        ThreadContext ctx = myContext();
        assertSame(ctx.root, ctx.current(), "back at the root after the calls");
        assertEquals(3, child(ctx.root, "plus").calls);
        PathNode r = child(ctx.root, "recurse");
        for (int depth = 1; depth <= 4; depth++) {
            assertEquals(1, r.calls, "recurse at depth " + depth);
            r = depth < 4 ? child(r, "recurse") : r;
        }
        assertEquals(0, r.children().length, "recurse(0) calls nothing instrumented");
    }

    @Test
    void anExceptionPropagatesUnchangedAndLeavesThePathWhereItWas() throws Exception {
        InvocationTargetException thrown = assertThrows(InvocationTargetException.class, () -> call("thrower", "boom"));
        assertEquals(IllegalStateException.class, thrown.getCause().getClass());
        assertEquals("boom", thrown.getCause().getMessage());
        int before = wovenFixture.getField("finallyRuns").getInt(null);
        InvocationTargetException negative = assertThrows(InvocationTargetException.class, () -> call("withFinally", -1));
        assertEquals(IllegalArgumentException.class, negative.getCause().getClass());
        ThreadContext ctx = myContext();
        assertSame(ctx.root, ctx.current());
        assertEquals(1, child(ctx.root, "thrower").calls);
        assertEquals(1, child(ctx.root, "withFinally").calls);
        // Issue 14: this used to read the plain class's counter, which the woven call never touches.
        assertEquals(before + 1, wovenFixture.getField("finallyRuns").getInt(null),
                "the woven method's own finally block ran once on the exceptional path");
    }

    @Test
    void aMethodsOwnHandlerStillCatchesFirst() throws Exception {
        assertEquals("caught inner", call("catchesOwn"));
        ThreadContext ctx = myContext();
        assertSame(ctx.root, ctx.current());
        PathNode own = child(ctx.root, "catchesOwn");
        assertEquals(1, own.calls);
        assertEquals(1, child(own, "thrower").calls, "the callee's path sits under the caller's");
    }

    @Test
    void constructorsInitialisersNativeMethodsSyntheticLambdaBodiesAndInterfacesAreLeftAlone() throws Exception {
        // Asserted on the woven class file itself (issue 14): which methods call the bridge.
        Map<String, Integer> enters = bridgeEnters(transformer.weave(Fixture.class.getName(), bytes(Fixture.class.getName())));
        assertEquals(0, enters.get("<init>"), "constructor");
        assertEquals(0, enters.get("<clinit>"), "static initialiser");
        assertFalse(enters.containsKey("notWovenNative") && enters.get("notWovenNative") > 0, "native");
        List<String> lambdas = enters.keySet().stream().filter(n -> n.startsWith("lambda$")).toList();
        assertFalse(lambdas.isEmpty(), "the fixture has a lambda body: " + enters.keySet());
        for (String l : lambdas) {
            assertEquals(0, enters.get(l), "synthetic lambda body " + l + " is not woven (docs/design.md)");
        }
        assertEquals(1, enters.get("plus"));
        assertEquals(1, enters.get("lambdaUser"), "the method that wrote the lambda is");
        for (MethodRegistry.MethodInfo m : registry.all()) {
            assertTrue(!m.methodName().startsWith("<") && !m.methodName().startsWith("lambda$")
                    && !m.methodName().equals("notWovenNative"), "registered " + m.display());
        }
        assertEquals(21, wovenFixture.getMethod("lambdaUser", int.class).invoke(null, 7));
        assertEquals(7 + 5, wovenFixture.getMethod("addToField", int.class).invoke(
                wovenFixture.getConstructor().newInstance(), 5), "the woven class's constructor and <clinit> ran");
        assertNull(transformer.weave(Fixture.WithDefault.class.getName(), bytes(Fixture.WithDefault.class.getName())));
    }

    @Test
    void methodsInstrumentedCountsExactlyTheMethodsThatCallTheBridgeInTheWovenClass() throws Exception {
        Map<String, Integer> enters = bridgeEnters(transformer.weave(Fixture.class.getName(), bytes(Fixture.class.getName())));
        int woven = 0;
        for (int n : enters.values()) {
            woven += n > 0 ? 1 : 0;
        }
        assertTrue(woven >= 10, enters.toString());
        assertEquals(woven, registry.size(), () -> "registry " + registry.all() + " vs woven " + enters);
    }

    @Test
    void aMethodThatWeavingWouldPushPast64KbIsLeftAloneAndTheRestOfItsClassIsStillWoven() throws Exception {
        String name = FIXTURES + ".Huge";
        byte[] plain = hugeClass(name.replace('.', '/'));
        MethodRegistry fresh = new MethodRegistry();
        List<String> said = new ArrayList<>();
        // weave.trivial: the small neighbour is a constant return, which would otherwise be left unwoven as trivial.
        EnergyTransformer t = new EnergyTransformer(ConfigParser.parse("include=" + FIXTURES + ".**,weave.trivial=true",
                new Properties()), fresh, said::add, new String[]{"java."}, woven, errors);
        byte[] out = t.transform(null, name.replace('.', '/'), null, null, plain);
        assertNotNull(out, "the class is still woven: " + said);
        Map<String, Integer> enters = bridgeEnters(out);
        assertEquals(0, enters.get("huge"), "the method at the limit stays as it was");
        assertEquals(1, enters.get("small"), "its neighbour is measured");
        assertEquals(1, fresh.size(), "only the woven method counts as instrumented");
        assertEquals(1, fresh.tooLarge(), "and the skipped one is reported");
        assertEquals(0, errors.get());
        assertTrue(said.toString().contains("64 KB"), said.toString());
        Class<?> c = new ClassLoader(getClass().getClassLoader()) {
            Class<?> define() {
                return defineClass(name, out, 0, out.length);
            }
        }.define();
        assertEquals(7, c.getMethod("huge").invoke(null), "the verifier accepts the class and both methods run");
        assertEquals(8, c.getMethod("small").invoke(null));
    }

    /** A class with {@code static int huge()}, 65 532 bytes of code (the weaving adds more), and a small one. */
    private static byte[] hugeClass(String internalName) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS | ClassWriter.COMPUTE_FRAMES);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, internalName, null, "java/lang/Object", null);
        MethodVisitor huge = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "huge", "()I", null, null);
        huge.visitCode();
        for (int i = 0; i < 32_764; i++) { // 2 bytes each
            huge.visitInsn(Opcodes.ICONST_0);
            huge.visitInsn(Opcodes.POP);
        }
        huge.visitIntInsn(Opcodes.BIPUSH, 7);
        huge.visitInsn(Opcodes.IRETURN);
        huge.visitMaxs(0, 0);
        huge.visitEnd();
        MethodVisitor small = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "small", "()I", null, null);
        small.visitCode();
        small.visitIntInsn(Opcodes.BIPUSH, 8);
        small.visitInsn(Opcodes.IRETURN);
        small.visitMaxs(0, 0);
        small.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** Per method name of the class file: how many calls to {@code EnergyBridge.enter} its code makes. */
    private static Map<String, Integer> bridgeEnters(byte[] classFile) {
        assertNotNull(classFile, "woven");
        Map<String, Integer> out = new HashMap<>();
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int acc, String name, String desc, String sig, String[] ex) {
                out.putIfAbsent(name, 0);
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int op, String owner, String m, String d, boolean itf) {
                        if (owner.equals(MethodWeaver.BRIDGE) && m.equals("enter")) {
                            out.merge(name, 1, Integer::sum);
                        }
                    }
                };
            }
        }, 0);
        return out;
    }

    @Test
    void classesOutsideTheIncludePatternsAndBrokenClassFilesStayAsTheyAre() throws Exception {
        assertNull(transformer.transform(null, "java/lang/String", null, null, bytes(String.class.getName())));
        assertNull(transformer.transform(null, "io/energy/instrument/MethodRegistry", null, null,
                bytes(MethodRegistry.class.getName())));
        assertNull(transformer.transform(null, "io/energy/instrument/fixture/Broken", null, null, new byte[]{1, 2, 3}));
        assertEquals(1, errors.get(), "the broken class is counted as an error");
        assertTrue(log.get(0).contains("fixture.Broken"), log.toString());
    }

    @Test
    void whileTheBridgeIsStoppedWovenMethodsRunAndRecordNothing() throws Exception {
        EnergyBridge.stop();
        assertEquals(5, call("plus", 2, 3));
        assertNull(EnergyBridge.pollNewContext());
    }

    private Object call(String name, Object... args) throws Exception {
        for (Method m : wovenFixture.getMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == args.length) {
                return m.invoke(null, args);
            }
        }
        throw new NoSuchMethodException(name);
    }

    private static ThreadContext myContext() {
        for (ThreadContext c; (c = EnergyBridge.pollNewContext()) != null; ) {
            if (c.thread == Thread.currentThread()) {
                return c;
            }
        }
        throw new AssertionError("no context recorded for this thread");
    }

    private PathNode child(PathNode parent, String method) {
        for (PathNode k : parent.children()) {
            MethodRegistry.MethodInfo info = registry.info(k.methodId);
            if (info != null && info.methodName().equals(method)) {
                return k;
            }
        }
        throw new AssertionError("no child " + method + " under " + registry.info(parent.methodId));
    }

    private static byte[] bytes(String className) throws IOException {
        try (InputStream in = ClassLoader.getSystemResourceAsStream(className.replace('.', '/') + ".class")) {
            assertNotNull(in, className);
            return in.readAllBytes();
        }
    }

    /** Defines the fixture package's classes itself, woven; everything else comes from the test's loader. */
    private final class WeavingLoader extends ClassLoader {
        WeavingLoader() {
            super(EnergyTransformerTest.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(FIXTURES + ".")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    try {
                        byte[] plain = bytes(name);
                        byte[] out = transformer.transform(this, name.replace('.', '/'), null, null, plain);
                        byte[] use = out != null ? out : plain;
                        c = defineClass(name, use, 0, use.length);
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
                return c;
            }
        }
    }
}

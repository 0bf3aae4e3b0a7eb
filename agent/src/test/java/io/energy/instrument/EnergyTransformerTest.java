package io.energy.instrument;

import io.energy.bridge.EnergyBridge;
import io.energy.bridge.PathNode;
import io.energy.bridge.ThreadContext;
import io.energy.config.ConfigParser;
import io.energy.instrument.fixture.Fixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        int before = Fixture.finallyRuns;
        InvocationTargetException negative = assertThrows(InvocationTargetException.class, () -> call("withFinally", -1));
        assertEquals(IllegalArgumentException.class, negative.getCause().getClass());
        ThreadContext ctx = myContext();
        assertSame(ctx.root, ctx.current());
        assertEquals(1, child(ctx.root, "thrower").calls);
        assertEquals(1, child(ctx.root, "withFinally").calls);
        assertEquals(before, Fixture.finallyRuns, "the plain class's counter is its own");
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
    void constructorsInitialisersNativeMethodsAndInterfacesAreLeftAlone() throws Exception {
        wovenFixture.getConstructor().newInstance();
        for (MethodRegistry.MethodInfo m : registry.all()) {
            assertTrue(!m.methodName().startsWith("<") && !m.methodName().equals("notWovenNative"),
                    "registered " + m.display());
        }
        assertNull(transformer.weave(Fixture.WithDefault.class.getName(), bytes(Fixture.WithDefault.class.getName())));
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

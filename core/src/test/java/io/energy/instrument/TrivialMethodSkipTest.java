package io.energy.instrument;

import io.energy.config.ConfigParser;
import io.energy.instrument.shapes.Shapes;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Which methods get the bridge calls, read back from the woven class file itself: javac's bytecode of
 * {@link Shapes} goes through the transformer, and the output is searched for calls of the bridge.
 */
class TrivialMethodSkipTest {
    private static final String SHAPES = Shapes.class.getName();
    private final Set<String> skipped = ConcurrentHashMap.newKeySet();
    private final Set<String> unwoven = ConcurrentHashMap.newKeySet();
    private final List<String> log = new ArrayList<>();

    private EnergyTransformer transformer(String options) {
        return new EnergyTransformer(ConfigParser.parse("include=" + SHAPES + options, new Properties()),
                new MethodRegistry(), log::add, new String[]{"java."}, ConcurrentHashMap.newKeySet(), new AtomicLong(),
                skipped, unwoven);
    }

    @Test
    void gettersSettersConstantsAndFieldComparesAreNotWovenButLoopsCallsLongCodeAndMonitorsAre() throws Exception {
        byte[] out = transformer("").weave(SHAPES, bytes(SHAPES));
        assertNotNull(out);
        assertEquals(new TreeSet<>(List.of("sum", "spin", "twice", "mix", "locked")), methodsCallingEnter(out));
        assertEquals(new TreeSet<>(List.of(key("getValue", "()I"), key("setValue", "(I)V"), key("answer", "()I"),
                key("isCurrent", "()Z"))), new TreeSet<>(skipped));
        assertArrayEquals(code(bytes(SHAPES), "getValue"), code(out, "getValue"), "the getter is byte for byte javac's");
    }

    @Test
    void weaveTrivialTrueWeavesEveryMethodAndSkipsNone() throws Exception {
        byte[] out = transformer(",weave.trivial=true").weave(SHAPES, bytes(SHAPES));
        assertEquals(new TreeSet<>(List.of("getValue", "setValue", "answer", "isCurrent", "sum", "spin", "twice",
                "mix", "locked")), methodsCallingEnter(out));
        assertEquals(Set.of(), skipped);
    }

    @Test
    void methodsTheBudgetUnwoveAreLeftOutAndAClassWithNoneLeftKeepsItsOriginalBytes() throws Exception {
        unwoven.add(key("sum", "([I)I"));
        unwoven.add(key("mix", "(JJJ)J"));
        unwoven.add(key("spin", "(I)I"));
        EnergyTransformer t = transformer("");
        assertEquals(new TreeSet<>(List.of("twice", "locked")), methodsCallingEnter(t.weave(SHAPES, bytes(SHAPES))));
        unwoven.add(key("twice", "()I"));
        unwoven.add(key("locked", "()I"));
        assertNull(t.weave(SHAPES, bytes(SHAPES)), "nothing left to weave: the class loads as it was");
    }

    private static String key(String name, String desc) {
        return EnergyTransformer.key(SHAPES, name, desc);
    }

    /** Names of the methods whose code calls EnergyBridge.enter, read from the class file. */
    private static Set<String> methodsCallingEnter(byte[] classFile) {
        Set<String> found = new TreeSet<>();
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int acc, String name, String desc, String sig, String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int op, String owner, String m, String d, boolean itf) {
                        if (owner.equals(MethodWeaver.BRIDGE) && m.equals("enter")) {
                            found.add(name);
                        }
                    }
                };
            }
        }, 0);
        return found;
    }

    /** The raw bytes of a method's Code attribute, found by walking the class file. */
    private static byte[] code(byte[] classFile, String method) {
        ClassReader r = new ClassReader(classFile);
        char[] buf = new char[r.getMaxStringLength()];
        int at = r.header + 6;
        at += 2 + 2 * r.readUnsignedShort(at); // interfaces
        int fields = r.readUnsignedShort(at);
        at += 2;
        for (int i = 0; i < fields; i++) {
            int attrs = r.readUnsignedShort(at + 6);
            at += 8;
            for (int a = 0; a < attrs; a++) {
                at += 6 + r.readInt(at + 2);
            }
        }
        int methods = r.readUnsignedShort(at);
        at += 2;
        for (int i = 0; i < methods; i++) {
            String name = r.readUTF8(at + 2, buf);
            int attrs = r.readUnsignedShort(at + 6);
            at += 8;
            for (int a = 0; a < attrs; a++) {
                String attr = r.readUTF8(at, buf);
                int len = r.readInt(at + 2);
                if (name.equals(method) && attr.equals("Code")) {
                    int codeLength = r.readInt(at + 10);
                    byte[] out = new byte[codeLength];
                    System.arraycopy(classFile, at + 14, out, 0, codeLength);
                    return out;
                }
                at += 6 + len;
            }
        }
        throw new AssertionError("no method " + method);
    }

    private static byte[] bytes(String className) throws IOException {
        try (InputStream in = ClassLoader.getSystemResourceAsStream(className.replace('.', '/') + ".class")) {
            assertNotNull(in, className);
            return in.readAllBytes();
        }
    }
}

package io.energy.bridge;

import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bridge's fast path stays inlinable (issue 13): every method on the way from {@code enter} or {@code exit} to a
 * repeat call's count is at most HotSpot's {@code MaxInlineSize} (35 bytes of bytecode), so that C2, at call sites
 * it does not count as hot too, inlines it into the woven method instead of calling it (docs/design.md, "What a woven
 * call costs in real code"). C1 is meant to call enter and exit (see below). Read from the class files, as the JIT
 * sees them.
 */
class BridgeFastPathSizeTest {
    private static final int MAX_INLINE_SIZE = 35;

    @Test
    void everyMethodOnTheFastPathFitsTheInliningLimit() throws IOException {
        Map<String, Integer> bridge = codeLengths(EnergyBridge.class);
        Map<String, Integer> context = codeLengths(ThreadContext.class);
        Map<String, Integer> node = codeLengths(PathNode.class);
        check(bridge, "enter(I)Lio/energy/bridge/PathNode;");
        check(bridge, "exit(Lio/energy/bridge/PathNode;)V");
        check(bridge, "context(Ljava/lang/Thread;)Lio/energy/bridge/ThreadContext;");
        check(context, "enter(I)Lio/energy/bridge/PathNode;");
        check(context, "moveTo(Lio/energy/bridge/PathNode;)V");
        check(context, "here()Lio/energy/bridge/PathNode;");
        check(node, "entered(Lio/energy/bridge/PathNode;)Lio/energy/bridge/PathNode;");
        check(context, "exitTo(Lio/energy/bridge/PathNode;I)V");
        check(node, "cached(I)Lio/energy/bridge/PathNode;");
    }

    /**
     * C1 inlines no callee whose max_stack + max_locals − parameter slots exceed {@code C1InlineStackLimit} (5; seen to
     * refuse at 5 in JDK 17's PrintInlining: "callee uses too much stack"). enter and exit are kept past it on
     * purpose: inlined by C1 into every woven method they raised C1's compile time by half on H2 (docs/design.md).
     */
    @Test
    void c1CallsEnterAndExitInsteadOfInliningThem() throws IOException {
        Map<String, Integer> bridge = codeLengths(EnergyBridge.class);
        int enter = bridge.get("stack+locals enter(I)Lio/energy/bridge/PathNode;") - 1;
        int exit = bridge.get("stack+locals exit(Lio/energy/bridge/PathNode;)V") - 1;
        assertTrue(enter >= 5, "enter's stack and locals beyond its parameter: " + enter);
        assertTrue(exit >= 5, "exit's stack and locals beyond its parameter: " + exit);
    }

    private static void check(Map<String, Integer> lengths, String method) {
        Integer n = lengths.get(method);
        assertTrue(n != null, "no method " + method + " in " + lengths.keySet());
        assertTrue(n <= MAX_INLINE_SIZE, method + " is " + n + " bytes of bytecode, over MaxInlineSize " + MAX_INLINE_SIZE);
    }

    /** Name + descriptor to code_length, from the class file (JVMS 4.1, 4.6, 4.7.3). */
    static Map<String, Integer> codeLengths(Class<?> type) throws IOException {
        String resource = "/" + type.getName().replace('.', '/') + ".class";
        try (InputStream raw = type.getResourceAsStream(resource); DataInputStream in = new DataInputStream(raw)) {
            in.readInt();
            in.readUnsignedShort();
            in.readUnsignedShort();
            int count = in.readUnsignedShort();
            String[] utf8 = new String[count];
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> utf8[i] = in.readUTF();
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
                    case 5, 6 -> {
                        in.readLong();
                        i++;
                    }
                    case 7, 8, 16, 19, 20 -> in.readUnsignedShort();
                    case 15 -> {
                        in.readUnsignedByte();
                        in.readUnsignedShort();
                    }
                    default -> throw new IOException("constant pool tag " + tag);
                }
            }
            in.readUnsignedShort();
            in.readUnsignedShort();
            in.readUnsignedShort();
            in.skipBytes(2 * in.readUnsignedShort());
            int fields = in.readUnsignedShort();
            for (int f = 0; f < fields; f++) {
                in.skipBytes(6);
                skipAttributes(in);
            }
            Map<String, Integer> out = new HashMap<>();
            int methods = in.readUnsignedShort();
            for (int m = 0; m < methods; m++) {
                in.readUnsignedShort();
                String name = utf8[in.readUnsignedShort()] + utf8[in.readUnsignedShort()];
                int attributes = in.readUnsignedShort();
                for (int a = 0; a < attributes; a++) {
                    String attribute = utf8[in.readUnsignedShort()];
                    int length = in.readInt();
                    if (attribute.equals("Code")) {
                        int maxStack = in.readUnsignedShort();
                        int maxLocals = in.readUnsignedShort();
                        int code = in.readInt();
                        out.put(name, code);
                        out.put("stack+locals " + name, maxStack + maxLocals);
                        in.skipBytes(length - 8);
                    } else {
                        in.skipBytes(length);
                    }
                }
            }
            return out;
        }
    }

    private static void skipAttributes(DataInputStream in) throws IOException {
        int attributes = in.readUnsignedShort();
        for (int a = 0; a < attributes; a++) {
            in.readUnsignedShort();
            in.skipBytes(in.readInt());
        }
    }
}

package io.energy.instrument;

import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Weaves the bridge calls into one method's code, as it streams from the class reader to the writer:
 *
 * <pre>
 *   PathNode p = EnergyBridge.enter(ID);      // at the start
 *   ... original code, with EnergyBridge.exit(p) before every return ...
 *   catch (any t) { EnergyBridge.exit(p); throw t; }   // one handler around the whole body, listed last
 * </pre>
 *
 * <p>{@code p} lives in a new local slot just past the method's own locals ({@code slot} is the original
 * {@code max_locals}). The reader must expand frames ({@code ClassReader.EXPAND_FRAMES}): every frame
 * then lists all locals, and each gets {@code p} appended (after TOP padding) so the verifier knows its
 * type at every branch target. The handler's frame declares every original local TOP, which is true of
 * any code and so needs no analysis. The bridge methods never throw, so their calls need no handler.
 */
final class MethodWeaver extends MethodVisitor {
    static final String BRIDGE = "io/energy/bridge/EnergyBridge";
    static final String PATH_NODE = "io/energy/bridge/PathNode";
    private static final String ENTER_DESC = "(I)L" + PATH_NODE + ";";
    private static final String EXIT_DESC = "(L" + PATH_NODE + ";)V";

    private final int id;
    private final int slot;
    private final boolean frames;
    private final Label bodyStart = new Label();
    private final Label bodyEnd = new Label();
    private final Label handler = new Label();

    /**
     * @param slot   the first free local slot (the method's original {@code max_locals})
     * @param frames whether the class file carries stack map frames (version 51 and later must)
     */
    MethodWeaver(int api, MethodVisitor next, int id, int slot, boolean frames) {
        super(api, next);
        this.id = id;
        this.slot = slot;
        this.frames = frames;
    }

    @Override
    public void visitCode() {
        super.visitCode();
        pushInt(id);
        super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, "enter", ENTER_DESC, false);
        super.visitVarInsn(Opcodes.ASTORE, slot);
        super.visitLabel(bodyStart);
    }

    @Override
    public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
        if (type != Opcodes.F_NEW) {
            // Only expanded frames can be extended with the new local; the reader is asked for them.
            throw new IllegalStateException("compressed frame in woven method; read with EXPAND_FRAMES");
        }
        Object[] locals = withPathNode(local, numLocal);
        super.visitFrame(Opcodes.F_NEW, locals.length, locals, numStack, stack);
    }

    /** The frame's locals padded with TOP up to {@code slot}, then the path node. */
    private Object[] withPathNode(Object[] local, int numLocal) {
        int used = 0;
        for (int i = 0; i < numLocal; i++) {
            used += local[i] == Opcodes.LONG || local[i] == Opcodes.DOUBLE ? 2 : 1;
        }
        if (used > slot) {
            throw new IllegalStateException("frame uses " + used + " local slots, more than max_locals " + slot);
        }
        Object[] out = new Object[numLocal + (slot - used) + 1];
        System.arraycopy(local, 0, out, 0, numLocal);
        for (int i = numLocal; i < out.length - 1; i++) {
            out[i] = Opcodes.TOP;
        }
        out[out.length - 1] = PATH_NODE;
        return out;
    }

    @Override
    public void visitInsn(int opcode) {
        if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
            exitCall();
        }
        super.visitInsn(opcode);
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
        super.visitLabel(bodyEnd);
        super.visitLabel(handler);
        if (frames) {
            Object[] locals = new Object[slot + 1];
            for (int i = 0; i < slot; i++) {
                locals[i] = Opcodes.TOP;
            }
            locals[slot] = PATH_NODE;
            super.visitFrame(Opcodes.F_NEW, locals.length, locals, 1, new Object[]{"java/lang/Throwable"});
        }
        exitCall();
        super.visitInsn(Opcodes.ATHROW);
        // Registered after the method's own handlers, so theirs still catch first.
        super.visitTryCatchBlock(bodyStart, bodyEnd, handler, null);
        // What the woven code adds: the path node's local; on the stack, the id (at entry, empty stack), the
        // path node above a return value (before each return), and the throwable plus the path node (handler).
        super.visitMaxs(Math.max(maxStack + 1, 2), Math.max(maxLocals, slot + 1));
    }

    private void exitCall() {
        super.visitVarInsn(Opcodes.ALOAD, slot);
        super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, "exit", EXIT_DESC, false);
    }

    private void pushInt(int v) {
        if (v >= -1 && v <= 5) {
            super.visitInsn(Opcodes.ICONST_0 + v);
        } else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            super.visitIntInsn(Opcodes.BIPUSH, v);
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            super.visitIntInsn(Opcodes.SIPUSH, v);
        } else {
            super.visitLdcInsn(v);
        }
    }
}

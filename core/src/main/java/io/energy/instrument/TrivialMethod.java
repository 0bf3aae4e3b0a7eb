package io.energy.instrument;

import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

import java.util.HashSet;
import java.util.Set;

/**
 * Reads one method's code and says whether it is too trivial to carry its own counting: no call of any
 * kind (invoke, invokedynamic, and so no allocation of an object, whose constructor is a call), no
 * backward branch (no loop), no monitor, and at most {@link #MAX_BYTES} bytes of bytecode.
 *
 * <p>Such a method is straight-line code of a few dozen instructions: accessors, setters, constant
 * returns, a comparison of two fields. It runs in a few nanoseconds, less than the woven enter/exit pair,
 * and it cannot run long, so its own time is always a sliver of its caller's. The limit is HotSpot's
 * {@code MaxInlineSize} (35 bytes): methods up to that size are inlined by C2 whatever their call count,
 * so unwoven they cost their caller nothing at all. Woven, they grow past it and the JIT treats them as
 * calls (see docs/design.md, "What a woven call costs in real code").
 *
 * <p>The byte count is an upper estimate from the instructions (ASM does not hand over offsets): short
 * forms such as {@code iload_1} are counted as their two-byte long forms.
 */
class TrivialMethod extends MethodVisitor {
    /** HotSpot's {@code -XX:MaxInlineSize} default. */
    static final int MAX_BYTES = 35;

    private final Set<Label> seen = new HashSet<>();
    private int bytes;
    private boolean calls;
    private boolean loops;
    private boolean monitors;

    TrivialMethod(int api) {
        super(api);
    }

    /** True when the method is straight-line code without calls or monitors, within {@link #MAX_BYTES}. */
    boolean trivial() {
        return !calls && !loops && !monitors && bytes <= MAX_BYTES;
    }

    int estimatedBytes() {
        return bytes;
    }

    @Override
    public void visitLabel(Label label) {
        seen.add(label);
    }

    @Override
    public void visitInsn(int opcode) {
        bytes += 1;
        if (opcode == Opcodes.MONITORENTER) {
            monitors = true;
        }
    }

    @Override
    public void visitIntInsn(int opcode, int operand) {
        bytes += opcode == Opcodes.SIPUSH ? 3 : 2;
    }

    @Override
    public void visitVarInsn(int opcode, int var) {
        bytes += var > 255 ? 4 : 2;
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
        bytes += 3;
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
        bytes += 3;
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
        bytes += opcode == Opcodes.INVOKEINTERFACE ? 5 : 3;
        calls = true;
    }

    @Override
    public void visitInvokeDynamicInsn(String name, String descriptor, Handle bsm, Object... bsmArgs) {
        bytes += 5;
        calls = true;
    }

    @Override
    public void visitJumpInsn(int opcode, Label label) {
        bytes += 3;
        // The reader visits labels in code order: a target already seen lies behind the jump.
        if (seen.contains(label)) {
            loops = true;
        }
    }

    @Override
    public void visitLdcInsn(Object value) {
        bytes += value instanceof Long || value instanceof Double ? 3 : 2;
    }

    @Override
    public void visitIincInsn(int var, int increment) {
        bytes += 3;
    }

    @Override
    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
        bytes += 16 + 4 * labels.length;
        switchTargets(dflt, labels);
    }

    @Override
    public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
        bytes += 12 + 8 * labels.length;
        switchTargets(dflt, labels);
    }

    @Override
    public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
        bytes += 4;
    }

    private void switchTargets(Label dflt, Label[] labels) {
        loops |= seen.contains(dflt);
        for (Label l : labels) {
            loops |= seen.contains(l);
        }
    }
}

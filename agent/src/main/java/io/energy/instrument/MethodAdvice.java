package io.energy.instrument;

import io.energy.bridge.EnergyBridge;
import io.energy.bridge.PathNode;
import net.bytebuddy.asm.Advice;

/**
 * The code inlined into every instrumented method. Static, stateless, and referring to nothing but the
 * bootstrap bridge, so it resolves from any class loader. Its own throwables are suppressed: a fault
 * here must never reach the application.
 */
public final class MethodAdvice {
    private MethodAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static PathNode enter(@MethodId int id) {
        return EnergyBridge.enter(id);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter PathNode previous) {
        EnergyBridge.exit(previous);
    }
}

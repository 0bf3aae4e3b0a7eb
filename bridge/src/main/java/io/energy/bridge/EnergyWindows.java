package io.energy.bridge;

import java.util.function.Function;

/**
 * Where the public measurement-window API ({@code io.energy.api.Energy}, artifact energy-api) finds the
 * agent. It lives in the bootstrap loader like the rest of the bridge, so code in any class loader sees the
 * same field through {@code Class.forName("io.energy.bridge.EnergyWindows", false, null)}; only JDK types
 * cross it, so the API and the agent share no class of their own.
 *
 * <p>The core sets {@link #hook} when measuring starts and clears it when measuring stops. Requests are
 * {@code Object[]} whose first element names the operation (see {@code io.energy.window.WindowTracker}).
 */
public final class EnergyWindows {
    /** The agent core's window service while measuring; null when no agent is measuring. */
    public static volatile Function<Object[], Object> hook;

    private EnergyWindows() {
    }
}

package io.energy.report.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/**
 * energy.MethodCall: one call that ran at least long.call. Committed on the application thread as the
 * call returns, so its stack trace is the caller's real stack (under three agent frames: the sink,
 * EnergyBridge.reportLongCall and EnergyBridge.exit, whose advice runs inside the method).
 */
@Name(EnergyEventNames.METHOD_CALL)
@Label("Long Method Call")
@Category(EnergyEventNames.CATEGORY)
@Description("An instrumented call that ran at least the configured long.call threshold")
public final class MethodCallEvent extends jdk.jfr.Event {
    @Label("Method")
    @Description("The instrumented method that returned")
    String method;

    @Label("Call Duration")
    @Description("Wall time of the call, counted in the agent's sample ticks (± one tick)")
    @Timespan(Timespan.NANOSECONDS)
    long callDuration;

    @Label("Estimated Energy (J)")
    @Description("The call path's average power so far (its own frames, the domains that add to a total) × the call's duration, in "
            + "joules; NaN before the path's first attributed interval. A rough guide: energy.jfr has the "
            + "attributed figures")
    double estimatedEnergy;
}

package io.energy.report.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * energy.MethodEnergy: what one call path (or one of the ledger's buckets) got in one flush window.
 * Committed by the collector thread, so it carries the path as a string, not as a stack trace: the
 * aggregated energy.jfr has the paths as stack traces.
 */
@Name(EnergyEventNames.METHOD_ENERGY)
@Label("Method Energy")
@Category(EnergyEventNames.CATEGORY)
@Description("Energy of one call path in one flush window: its own frames, not its callees")
@StackTrace(false)
public final class MethodEnergyEvent extends jdk.jfr.Event {
    @Label("Call Path")
    @Description(EnergyEventNames.PATH_DESC)
    String path;

    @Label("Method")
    @Description("The path's own (innermost) method, or the bucket's name")
    String method;

    @Label(EnergyEventNames.PACKAGE_ENERGY)
    @Description(EnergyEventNames.PACKAGE_DESC)
    double packageEnergy;

    @Label(EnergyEventNames.DRAM_ENERGY)
    @Description(EnergyEventNames.DRAM_DESC)
    double dramEnergy;

    @Label(EnergyEventNames.GPU_ENERGY)
    @Description(EnergyEventNames.GPU_DESC)
    double gpuEnergy;

    @Label(EnergyEventNames.OTHER_ENERGY)
    @Description(EnergyEventNames.OTHER_DESC)
    double otherEnergy;

    @Label(EnergyEventNames.TOTAL_ENERGY)
    @Description("All domains, in joules")
    double totalEnergy;

    @Label(EnergyEventNames.UNCERTAINTY)
    @Description(EnergyEventNames.UNCERTAINTY_DESC)
    double uncertainty;

    @Label("Calls")
    @Description("Calls of the path's method on this path in the window")
    long calls;

    @Label("Wall Time")
    @Description("Time the path was on top of a thread's instrumented stack in the window, summed over threads")
    @Timespan(Timespan.NANOSECONDS)
    long wallTime;

    @Label("CPU Time")
    @Description("CPU time of those threads while on this path in the window")
    @Timespan(Timespan.NANOSECONDS)
    long cpuTime;

    @Label("Window")
    @Description("Length of the flush window")
    @Timespan(Timespan.NANOSECONDS)
    long window;

    @Label("Estimated")
    @Description(EnergyEventNames.ESTIMATED_DESC)
    boolean estimated;
}

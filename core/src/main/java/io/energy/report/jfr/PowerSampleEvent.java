package io.energy.report.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * energy.PowerSample: one domain over one power interval. Committed by the agent's collector thread at the
 * end of the interval (a JFR event cannot start in the past), so the interval's length is a field.
 */
@Name(EnergyEventNames.POWER_SAMPLE)
@Label("Power Sample")
@Category(EnergyEventNames.CATEGORY)
@Description("Energy one domain used over one interval, and this process's part of it")
@StackTrace(false)
public final class PowerSampleEvent extends jdk.jfr.Event {
    @Label("Source")
    @Description("rapl, nvml, estimate, replay")
    String source;

    @Label("Domain")
    @Description("Domain key, such as package:0 or gpu:0")
    String domain;

    @Label("Kind")
    @Description("package, core, uncore, dram, psys or gpu")
    String kind;

    @Label("Device")
    @Description("Socket or GPU index")
    int device;

    @Label("Estimated")
    @Description(EnergyEventNames.ESTIMATED_DESC)
    boolean estimated;

    @Label(EnergyEventNames.POWER)
    @Description("Average power of the domain over the interval, in watts")
    double power;

    @Label(EnergyEventNames.MEASURED_ENERGY)
    @Description("Energy of the domain in the interval")
    double measuredEnergy;

    @Label(EnergyEventNames.PROCESS_ENERGY)
    @Description("This process's part of the interval's energy, in joules")
    double processEnergy;

    @Label("Counter Grain")
    @Description("How often the counter moves")
    @Timespan(Timespan.NANOSECONDS)
    long grain;

    @Label("Interval")
    @Description("Length of the interval")
    @Timespan(Timespan.NANOSECONDS)
    long interval;
}

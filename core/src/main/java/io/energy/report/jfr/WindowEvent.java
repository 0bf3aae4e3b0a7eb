package io.energy.report.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * energy.Window: one measurement window ({@code io.energy.api.Energy.begin(label)} ... {@code end()}). Begun and
 * ended on the application's thread, so the event's start time and duration are the window's own; committed by
 * the agent's collector once the interval holding the window's end is attributed (hence no stack trace).
 */
@Name(EnergyEventNames.WINDOW)
@Label("Window Energy")
@Category(EnergyEventNames.CATEGORY)
@Description("This process's energy over a measurement window opened by the application (io.energy.api)")
@StackTrace(false)
public final class WindowEvent extends jdk.jfr.Event {
    @Label("Label")
    @Description("The label given to Energy.begin")
    String label;

    @Label("Window Thread")
    @Description("Name of the thread that began the window")
    String windowThread;

    @Label(EnergyEventNames.ENERGY)
    @Description("This process's energy over the window, all domains that add up, in joules")
    double energy;

    @Label(EnergyEventNames.UNCERTAINTY)
    @Description("Half-width of the interval around the energy: the window's partial intervals, the CPU clock's "
            + "and the power source's grain, in joules")
    double uncertainty;

    @Label(EnergyEventNames.MEASURED_ENERGY)
    @Description("The whole machine's energy over the window's span, in joules")
    double machineEnergy;

    @Label("Process CPU Time")
    @Description("CPU time of the whole process over the window")
    @Timespan(Timespan.NANOSECONDS)
    long cpuTime;

    @Label("Estimated")
    @Description(EnergyEventNames.ESTIMATED_DESC)
    boolean estimated;

    /** Begins the event on the calling thread: the window's start. */
    public static WindowEvent start(String label) {
        WindowEvent e = new WindowEvent();
        e.label = label;
        e.windowThread = Thread.currentThread().getName();
        e.begin();
        return e;
    }

    /** Marks the window's end on the calling thread. */
    public void stop() {
        end();
    }

    /** Fills in the figures and commits (any thread). */
    public void commit(double joules, double bound, double machineJoules, long cpuNanos, boolean isEstimated) {
        this.energy = joules;
        this.uncertainty = bound;
        this.machineEnergy = machineJoules;
        this.cpuTime = cpuNanos;
        this.estimated = isEstimated;
        commit();
    }
}

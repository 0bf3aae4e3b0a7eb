package io.energy.power.estimate;

import io.energy.power.Domain;
import io.energy.power.PowerSource;
import io.energy.power.ProcStat;
import io.energy.text.Decimals;

import java.util.List;

/**
 * CPU package energy estimated from CPU time: {@code idle W × CPUs × elapsed + (busy W − idle W) × busy
 * CPU seconds}. The defaults (0.74 W idle, 3.5 W busy per logical CPU) are the averages over x86 server
 * microarchitectures used by the Cloud Carbon Footprint methodology; they are overridable because a real
 * machine can differ by a factor of two. Every figure from here is labelled estimated.
 */
public final class EstimatedPowerSource implements PowerSource {
    private final ProcStat stat;
    private final double idleWattsPerCpu;
    private final double busyWattsPerCpu;
    private final int cpus;
    private final List<Domain> domains;
    private final boolean machineWide;
    private long startNanos = -1;
    private long startBusy;
    private long last;

    public EstimatedPowerSource(ProcStat stat, double idleWattsPerCpu, double busyWattsPerCpu) {
        this.stat = stat;
        this.idleWattsPerCpu = idleWattsPerCpu;
        this.busyWattsPerCpu = Math.max(busyWattsPerCpu, idleWattsPerCpu);
        this.machineWide = stat.machineBusyNanos() >= 0;
        // Idle power and busy time count the same CPUs (issue 14): with the machine's busy time, the CPUs of the file
        // it comes from (the host's, in a container); with this process's CPU time, the CPUs this JVM may use.
        int machineCpus = machineWide ? stat.machineCpus() : -1;
        this.cpus = machineCpus > 0 ? machineCpus : stat.cpus();
        String limit = machineCpus > 0 && stat.cpus() < machineCpus
                ? " (this JVM may use " + stat.cpus() + ": a container's limit; idle and busy time are the machine's)" : "";
        // Not String.format: the Formatter's first use (locale data) is ~10 ms of the application's start-up.
        String origin = "model " + Decimals.fixed(idleWattsPerCpu, 2) + " W idle / "
                + Decimals.fixed(this.busyWattsPerCpu, 2) + " W busy per CPU x " + cpus + " CPUs" + limit + ", "
                + (machineWide ? "machine CPU time from /proc/stat" : "process CPU time");
        this.domains = List.of(new Domain(Domain.PACKAGE, 0, true, 10_000_000L, origin));
    }

    @Override
    public String name() {
        return "estimate";
    }

    @Override
    public List<Domain> domains() {
        return domains;
    }

    private long busyNanos() {
        long b = machineWide ? stat.machineBusyNanos() : -1;
        return b >= 0 ? b : Math.max(0, stat.processCpuNanos());
    }

    @Override
    public void read(long nowNanos, long[] cumulativeNanoJoules) {
        if (startNanos < 0) {
            startNanos = nowNanos;
            startBusy = busyNanos();
        }
        double elapsedS = (nowNanos - startNanos) / 1e9;
        double busyS = Math.max(0, busyNanos() - startBusy) / 1e9;
        double joules = idleWattsPerCpu * cpus * elapsedS + (busyWattsPerCpu - idleWattsPerCpu) * busyS;
        long nj = Math.max(last, Math.round(joules * 1e9));
        last = nj;
        cumulativeNanoJoules[0] = nj;
    }

    @Override
    public double idleWatts(int domainIndex) {
        return idleWattsPerCpu * cpus;
    }
}

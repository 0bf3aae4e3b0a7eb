package io.energy.power.select;

import io.energy.config.Config;
import io.energy.power.PowerSource;
import io.energy.power.ProbeResult;
import io.energy.power.ProcStat;
import io.energy.power.nvml.NvmlProbe;
import io.energy.power.rapl.RaplPowerSource;
import io.energy.power.replay.ReplayPowerSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Looks for each kind of source and opens it. One place per source, so that {@code doctor} and the
 * agent's start-up say the same thing.
 */
final class SourceProbes {
    private SourceProbes() {
    }

    static ProbeResult rapl(Config config) {
        return RaplPowerSource.probe(config.raplRoot());
    }

    static ProbeResult nvml(Config config) {
        return NvmlProbe.probe(config);
    }

    static ProbeResult replay(Config config) {
        return ReplayPowerSource.probe(config.replay());
    }

    static ProbeResult estimate(Config config, ProcStat stat) {
        List<String> found = new ArrayList<>();
        int cpus = stat.machineStatReadable() && stat.machineCpus() > 0 ? stat.machineCpus() : stat.cpus();
        found.add(String.format(Locale.ROOT, "CPU-time model: %.2f W idle, %.2f W busy per logical CPU x %d CPUs "
                        + "(Cloud Carbon Footprint averages; estimate.idle.watts / estimate.busy.watts override them)%s",
                config.estimateIdleWattsPerCore(), config.estimateBusyWattsPerCore(), cpus,
                stat.cpus() < cpus ? "; this JVM may use " + stat.cpus() + " of them (a container's limit): the model "
                        + "is the machine's, as /proc/stat is" : ""));
        found.add(stat.machineStatReadable()
                ? "machine-wide CPU time from /proc/stat: readable"
                : "machine-wide CPU time from /proc/stat: NOT readable, so only this process's CPU time is modelled");
        return new ProbeResult("estimate", true, found, null, List.of());
    }

    static PowerSource openRapl(Config config, Consumer<String> log, boolean asked) {
        return RaplPowerSource.open(config.raplRoot(), log, asked);
    }

    static PowerSource openNvml(Config config, Consumer<String> log, boolean asked) {
        return NvmlProbe.open(config, log, asked);
    }

    static PowerSource openReplay(Config config, Consumer<String> log) {
        return ReplayPowerSource.open(config.replay(), log);
    }
}

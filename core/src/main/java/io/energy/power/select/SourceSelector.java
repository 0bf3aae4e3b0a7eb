package io.energy.power.select;

import io.energy.config.Config;
import io.energy.power.CompositePowerSource;
import io.energy.power.PowerSource;
import io.energy.power.ProbeResult;
import io.energy.power.ProcStat;
import io.energy.power.estimate.EstimatedPowerSource;
import io.energy.power.replay.RecordingPowerSource;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Chooses the power sources for a configuration and says why. {@code auto}: RAPL if its counters are
 * readable, else the estimated model; plus NVML for GPUs if a driver answers. An explicitly requested
 * source that cannot be used is reported with the reason and the fix, and the estimate takes its place,
 * so the application always runs on.
 */
public final class SourceSelector {
    private SourceSelector() {
    }

    /** Every probe, usable or not, for {@code doctor}. */
    public static List<ProbeResult> probeAll(Config config) {
        return probeAll(config, new ProcStat());
    }

    /** {@link #probeAll(Config)} with the estimate's CPUs counted by {@code stat}: tests give it a fake machine. */
    static List<ProbeResult> probeAll(Config config, ProcStat stat) {
        List<ProbeResult> out = new ArrayList<>();
        out.add(SourceProbes.rapl(config));
        out.add(SourceProbes.nvml(config));
        out.add(SourceProbes.replay(config));
        out.add(SourceProbes.estimate(config, stat));
        return out;
    }

    public static PowerSource select(Config config, ProcStat stat, Consumer<String> log) {
        PowerSource s = choose(config, stat, log);
        return config.record() == null ? s : RecordingPowerSource.wrap(s, config.record(), log);
    }

    private static PowerSource choose(Config config, ProcStat stat, Consumer<String> log) {
        List<PowerSource> parts = new ArrayList<>();
        Config.Source s = config.source();
        if (s == Config.Source.REPLAY) {
            PowerSource replay = SourceProbes.openReplay(config, log);
            if (replay != null) {
                return replay;
            }
        }
        boolean cpuSide = false;
        if (s == Config.Source.AUTO || s == Config.Source.RAPL) {
            PowerSource rapl = SourceProbes.openRapl(config, log, s == Config.Source.RAPL);
            if (rapl != null) {
                parts.add(rapl);
                cpuSide = true;
            }
        }
        if (s == Config.Source.AUTO || s == Config.Source.NVML) {
            PowerSource nvml = SourceProbes.openNvml(config, log, s == Config.Source.NVML);
            if (nvml != null) {
                parts.add(nvml);
            }
        }
        if (!cpuSide) {
            parts.add(0, new EstimatedPowerSource(stat, config.estimateIdleWattsPerCore(),
                    config.estimateBusyWattsPerCore()));
        }
        return parts.size() == 1 ? parts.get(0) : new CompositePowerSource(parts);
    }
}

package io.energy.power;

import io.energy.config.Config;
import io.energy.power.nvml.NvmlProbe;

import java.util.List;
import java.util.function.Consumer;

/**
 * Looks for each kind of source and opens it. One place per source, so that {@code doctor} and the
 * agent's start-up say the same thing.
 */
final class SourceProbes {
    private SourceProbes() {
    }

    static ProbeResult rapl(Config config) {
        return new ProbeResult("rapl", false, List.of("not looked for: RAPL reader not built yet"),
                "no RAPL reader in this build", List.of());
    }

    static ProbeResult nvml(Config config) {
        return NvmlProbe.probe(config);
    }

    static ProbeResult replay(Config config) {
        return new ProbeResult("replay", false, List.of(), "replay reader not built yet", List.of());
    }

    static ProbeResult estimate(Config config) {
        return new ProbeResult("estimate", true, List.of(String.format("CPU-time model: %.2f W idle, %.2f W busy per CPU",
                config.estimateIdleWattsPerCore(), config.estimateBusyWattsPerCore())), null, List.of());
    }

    static PowerSource openRapl(Config config, Consumer<String> log, boolean asked) {
        if (asked) {
            log.accept("source=rapl: " + rapl(config).problem() + "; using the ESTIMATED model instead");
        }
        return null;
    }

    static PowerSource openNvml(Config config, Consumer<String> log, boolean asked) {
        return NvmlProbe.open(config, log, asked);
    }

    static PowerSource openReplay(Config config, Consumer<String> log) {
        log.accept("source=replay: " + replay(config).problem() + "; using the ESTIMATED model instead");
        return null;
    }
}

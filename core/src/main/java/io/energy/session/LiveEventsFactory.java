package io.energy.session;

import io.energy.config.Config;
import io.energy.report.LiveEvents;
import io.energy.report.jfr.JfrLiveEvents;

import java.util.function.Consumer;

/** Creates the live (JFR) event emitter for a configuration. */
final class LiveEventsFactory {
    private LiveEventsFactory() {
    }

    static LiveEvents create(Config config, Consumer<String> log) {
        return create(config, config.samplePeriodFor(false).toNanos(), log);
    }

    /** @param samplePeriodNanos the period the session samples at: long calls are measured in its ticks */
    static LiveEvents create(Config config, long samplePeriodNanos, Consumer<String> log) {
        if (!config.jfr()) {
            if (config.jfrRecord()) {
                log.accept("jfr.record=true has no effect with jfr=false: no energy events are emitted");
            }
            return LiveEvents.NONE;
        }
        // A jlinked runtime may leave JFR out; the event classes would not even load.
        if (ModuleLayer.boot().findModule("jdk.jfr").isEmpty()) {
            log.accept("this Java runtime has no jdk.jfr module: live JFR events are off (energy.jfr is still written)");
            return LiveEvents.NONE;
        }
        try {
            return JfrLiveEvents.create(config, samplePeriodNanos, log);
        } catch (Throwable t) {
            log.accept("live JFR events are off: " + t);
            return LiveEvents.NONE;
        }
    }
}

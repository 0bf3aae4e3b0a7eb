package io.energy.control;

import io.energy.config.Config;
import io.energy.report.LiveEvents;

import java.util.function.Consumer;

/** Creates the live (JFR) event emitter for a configuration. */
final class LiveEventsFactory {
    private LiveEventsFactory() {
    }

    static LiveEvents create(Config config, Consumer<String> log) {
        return LiveEvents.NONE;
    }
}

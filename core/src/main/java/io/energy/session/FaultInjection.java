package io.energy.session;

import java.util.Locale;

/**
 * Test hook: {@code -Dio.energy.fault=bridge|collector|source|writer|sink} makes one stage of the agent fail
 * on purpose, so that the robustness suite can prove a failure there never reaches the application. It
 * is read once at start and costs nothing when unset. Not a user option, so not {@code energy.*}: those are
 * the configuration's keys (issue 14: under that prefix the switch never reached the agent).
 */
final class FaultInjection {
    static final String PROPERTY = "io.energy.fault";
    static final String STAGE = System.getProperty(PROPERTY, "").toLowerCase(Locale.ROOT);

    private FaultInjection() {
    }

    static boolean in(String stage) {
        return STAGE.equals(stage);
    }

    static void maybeFail(String stage) {
        if (in(stage)) {
            throw new IllegalStateException("injected fault in the " + stage);
        }
    }
}

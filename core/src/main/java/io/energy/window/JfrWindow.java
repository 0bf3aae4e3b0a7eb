package io.energy.window;

import io.energy.report.jfr.WindowEvent;

/**
 * The only place that touches the energy.Window event class, so that jdk.jfr is loaded only when live JFR
 * events are on ({@code jfr=true}, the default).
 */
final class JfrWindow {
    private JfrWindow() {
    }

    static Object begin(String label) {
        return WindowEvent.start(label);
    }

    static void end(Object event) {
        ((WindowEvent) event).stop();
    }

    static void commit(Object event, double joules, double bound, double machineJoules, long cpuNanos,
                       boolean estimated) {
        ((WindowEvent) event).commit(joules, bound, machineJoules, cpuNanos, estimated);
    }
}

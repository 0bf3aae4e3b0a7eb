package io.energy.control;

/**
 * Milliseconds spent in each step of a start or a stop, said in one line at {@code log=debug}: where the
 * agent's fixed cost goes (docs/performance.md, "Fixed cost at start and exit"). Costs two clock reads per step.
 */
final class PhaseClock {
    private final String what;
    private final StringBuilder steps = new StringBuilder();
    private final long began = System.nanoTime();
    private long last = began;

    PhaseClock(String what) {
        this.what = what;
    }

    /** Ends the step that began at the previous mark (or at construction). */
    void mark(String step) {
        long now = System.nanoTime();
        steps.append(steps.length() == 0 ? "" : ", ").append(step).append(' ').append(millis(now - last));
        last = now;
    }

    /** The debug line: every step, then the total. */
    void say() {
        AgentLog.debug(what + " ms: " + steps + "; total " + millis(System.nanoTime() - began));
    }

    private static String millis(long nanos) {
        long tenths = (nanos + 50_000) / 100_000;
        return tenths / 10 + "." + tenths % 10;
    }
}

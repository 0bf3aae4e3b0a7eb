package io.energy.session;

/**
 * Milliseconds spent in each step of a start or a stop, said in one line at {@code log=debug}: where the
 * agent's fixed cost goes (docs/performance.md, "Fixed cost at start and exit"). Wall time per step, and the
 * calling thread's CPU time for the whole (less disturbed by other load on a shared machine); the CPU clock is
 * read only when debug lines are said.
 */
public final class PhaseClock {
    private final String what;
    private final StringBuilder steps = new StringBuilder();
    private final long began = System.nanoTime();
    /** -1 when debug lines were off at construction (a launch's clock starts before the options are read). */
    private final long cpuBegan = AgentLog.debugging() ? cpu() : -1;
    private long last = began;

    public PhaseClock(String what) {
        this.what = what;
    }

    /** Ends the step that began at the previous mark (or at construction). */
    public void mark(String step) {
        long now = System.nanoTime();
        steps.append(steps.length() == 0 ? "" : ", ").append(step).append(' ').append(millis(now - last));
        last = now;
    }

    /** The debug line: every step, then the total, wall and this thread's CPU. */
    public void say() {
        if (AgentLog.debugging()) {
            AgentLog.debug(what + " ms: " + steps + "; total " + millis(System.nanoTime() - began)
                    + (cpuBegan < 0 ? "" : " (CPU " + millis(cpu() - cpuBegan) + " on this thread)"));
        }
    }

    private static long cpu() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static String millis(long nanos) {
        long tenths = (nanos + 50_000) / 100_000;
        return tenths / 10 + "." + tenths % 10;
    }
}

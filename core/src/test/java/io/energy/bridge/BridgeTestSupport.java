package io.energy.bridge;

/** What the bridge's unit tests share: stopping it between tests, and finding this thread's context. */
final class BridgeTestSupport {
    private BridgeTestSupport() {
    }

    /** Stops the bridge and forgets the contexts of the threads a test made. */
    static void stopBridge() {
        EnergyBridge.stop();
        while (EnergyBridge.pollNewContext() != null) {
            // forget this test's threads
        }
    }

    /** The calling thread's context, from the bridge's queue of new contexts. */
    static ThreadContext myContext() {
        for (ThreadContext c; (c = EnergyBridge.pollNewContext()) != null; ) {
            if (c.thread == Thread.currentThread()) {
                return c;
            }
        }
        throw new AssertionError("no context for this thread");
    }
}

package io.energy.bridge;

/** Receives calls that ran longer than the configured threshold, on the application thread itself. */
public interface LongCallSink {
    void longCall(PathNode node, int ticks);
}

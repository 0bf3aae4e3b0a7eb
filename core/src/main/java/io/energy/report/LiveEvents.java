package io.energy.report;

import io.energy.attribute.EnergyLedger;
import io.energy.attribute.IntervalInput;
import io.energy.bridge.LongCallSink;
import io.energy.instrument.MethodRegistry;
import io.energy.power.PowerSource;

/**
 * Events emitted while the agent runs (JFR), as opposed to files written at dump time. Called on the
 * collector thread, except {@link #longCalls()}, which runs on the application thread that made the call.
 */
public interface LiveEvents {
    /** After each interval: power samples. The ledger lock is held. */
    void interval(EnergyLedger ledger, IntervalInput in, PowerSource source);

    /** After each flush window: energy per call path for the window. The ledger lock is held. */
    void flush(EnergyLedger ledger, MethodRegistry registry, long nowNanos);

    /** Receives calls longer than the threshold, or null if long calls are not reported. */
    LongCallSink longCalls(MethodRegistry registry);

    void close();

    LiveEvents NONE = new LiveEvents() {
        @Override
        public void interval(EnergyLedger ledger, IntervalInput in, PowerSource source) {
        }

        @Override
        public void flush(EnergyLedger ledger, MethodRegistry registry, long nowNanos) {
        }

        @Override
        public LongCallSink longCalls(MethodRegistry registry) {
            return null;
        }

        @Override
        public void close() {
        }
    };
}

package io.energy.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * What one call costs: uninstrumented, instrumented by the real agent, and what a timing agent would pay
 * instead ({@code System.nanoTime()} once, and twice around the call).
 *
 * <p>All six run in the same forked JVM, so the instrumented − uninstrumented difference and the ratio to
 * one {@code nanoTime()} come from one run on one machine state. {@link CallCost} runs this class twice,
 * without and with {@code -javaagent:energy.jar=include=io.energy.bench.Instrumented*}; the agent changes
 * only {@link InstrumentedTarget}. Results are returned (JMH sinks them) so the JIT cannot drop the work;
 * {@code x} is a field so the small method cannot be folded to a constant.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CallCostBenchmark {
    private int x = 0x2545F491;

    @Benchmark
    public void plainEmpty() {
        PlainTarget.empty();
    }

    @Benchmark
    public void instrumentedEmpty() {
        InstrumentedTarget.empty();
    }

    @Benchmark
    public int plainSmall() {
        return PlainTarget.small(x);
    }

    @Benchmark
    public int instrumentedSmall() {
        return InstrumentedTarget.small(x);
    }

    /** The clock read a timing agent pays at least once per call. */
    @Benchmark
    public long nanoTime() {
        return System.nanoTime();
    }

    /** What a timing agent does: a clock read on each side of the (uninstrumented) call. */
    @Benchmark
    public int timedSmall(Blackhole bh) {
        long t0 = System.nanoTime();
        int r = PlainTarget.small(x);
        bh.consume(System.nanoTime() - t0);
        return r;
    }
}

package io.energy.session;

import io.energy.config.Config;
import io.energy.config.ConfigParser;
import io.energy.power.Domain;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The start-up policy alone: which idle power each domain gets, and which periods the collector and the
 * samplers run at, for configurations and probe results written out by hand (nothing is started).
 */
class SessionPlanTest {
    private static final long MS = 1_000_000L;
    private static final Domain RAPL = new Domain(Domain.PACKAGE, 0, false, MS, "/sys/class/powercap/intel-rapl:0");
    private static final Domain RAPL_DRAM = new Domain(Domain.DRAM, 0, false, MS, "/sys/class/powercap/intel-rapl:0:0");
    private static final Domain ESTIMATED = new Domain(Domain.PACKAGE, 0, true, 10 * MS, "CPU-time model");
    private static final Domain NVML = new Domain(Domain.GPU, 0, false, 100 * MS, "NVML H100 (0)");

    private static Config config(String args) {
        return ConfigParser.parse(args, new Properties());
    }

    private static SessionPlan plan(String args, List<Domain> domains, boolean stackSampler) {
        return SessionPlan.of(config(args), domains, d -> Double.NaN, stackSampler);
    }

    @Test
    void theAutoPathPeriodIsOneMillisecondOnlyWithAMeasuredMillisecondCounter() {
        assertEquals(MS, plan("", List.of(RAPL), false).pathPeriodNanos());
        assertEquals(MS, plan("", List.of(RAPL, NVML), false).pathPeriodNanos(), "one fine counter is enough");
        assertEquals(10 * MS, plan("", List.of(ESTIMATED), false).pathPeriodNanos(), "the model's own 10 ms grain");
        assertEquals(10 * MS, plan("", List.of(ESTIMATED, NVML), false).pathPeriodNanos(), "NVML's 100 ms is not fine");
        Domain twoMs = new Domain(Domain.PACKAGE, 0, false, 2 * MS, "a counter of 2 ms");
        Domain threeMs = new Domain(Domain.PACKAGE, 0, false, 3 * MS, "a counter of 3 ms");
        assertEquals(MS, plan("", List.of(twoMs), false).pathPeriodNanos(), "2 ms still counts as fine");
        assertEquals(10 * MS, plan("", List.of(threeMs), false).pathPeriodNanos());
        Domain fineModel = new Domain(Domain.PACKAGE, 0, true, MS, "a model read every millisecond");
        assertEquals(10 * MS, plan("", List.of(fineModel), false).pathPeriodNanos(), "only a measured counter");
        assertEquals(5 * MS, plan("sample.period=5ms", List.of(RAPL), false).pathPeriodNanos(), "configured wins");
        assertEquals(5 * MS, plan("sample.period=5ms", List.of(ESTIMATED), true).pathPeriodNanos());
    }

    @Test
    void withAStackSamplerAndNothingIncludedTheCollectorTicksOnceAnInterval() {
        assertEquals(100 * MS, plan("", List.of(RAPL), true).collectorPeriodNanos(), "the default interval");
        assertEquals(250 * MS, plan("interval=250ms", List.of(ESTIMATED), true).collectorPeriodNanos());
        assertEquals(MS, plan("", List.of(RAPL), true).pathPeriodNanos(), "the path period is still reported");
        // Without a stack sampler the call paths are the samples: the collector ticks at their period.
        assertEquals(MS, plan("", List.of(RAPL), false).collectorPeriodNanos());
        assertEquals(10 * MS, plan("interval=250ms", List.of(ESTIMATED), false).collectorPeriodNanos());
        // Instrumented threads are followed every tick even when a stack sampler finds the CPU stacks.
        assertEquals(MS, plan("include=com.acme.**", List.of(RAPL), true).collectorPeriodNanos());
        assertEquals(10 * MS, plan("include=com.acme.**", List.of(ESTIMATED), true).collectorPeriodNanos());
    }

    @Test
    void theStackSamplersPeriodIsTenMillisecondsOfCpuUnlessConfigured() {
        assertEquals(10 * MS, SessionPlan.stackPeriodNanos(config("")));
        assertEquals(Config.STACK_SAMPLE_PERIOD.toNanos(), SessionPlan.stackPeriodNanos(config("sample.period=auto")));
        assertEquals(3 * MS, SessionPlan.stackPeriodNanos(config("sample.period=3ms")));
    }

    @Test
    void longCallsAreCountedInCollectorTicksRoundedUp() {
        assertEquals(20, plan("", List.of(RAPL), false).longCallTicks(), "20 ms at 1 ms");
        assertEquals(3, plan("long.call=25ms", List.of(ESTIMATED), false).longCallTicks(), "25 ms at 10 ms");
        assertEquals(2, plan("long.call=20ms", List.of(ESTIMATED), false).longCallTicks(), "exactly two ticks");
        assertEquals(1, plan("", List.of(RAPL), true).longCallTicks(), "20 ms at one 100 ms interval: at least one");
        assertEquals(0, plan("long.call=0", List.of(RAPL), false).longCallTicks(), "off");
    }

    @Test
    void idleWattsComeFromTheDomainsKeyThenItsKindThenTheSource() {
        List<Domain> domains = List.of(RAPL, RAPL_DRAM, NVML);
        double[] fromSource = {11, 3, 60};
        SessionPlan bySource = SessionPlan.of(config(""), domains, d -> fromSource[d], false);
        assertArrayEquals(new double[]{11, 3, 60}, bySource.idleWatts());
        assertEquals(List.of(), bySource.notes(), "every idle power known, nothing estimated");

        SessionPlan byKind = SessionPlan.of(config("idle=package:12.5;gpu:70"), domains, d -> fromSource[d], false);
        assertArrayEquals(new double[]{12.5, 3, 70}, byKind.idleWatts());

        SessionPlan byKey = SessionPlan.of(config("idle=package:0:20;package:12.5"), domains, d -> fromSource[d], false);
        assertArrayEquals(new double[]{20, 3, 60}, byKey.idleWatts(), "package:0 is more specific than package");
    }

    @Test
    void unknownIdlePowerAndEstimatedDomainsAreSaidInTheNotes() {
        SessionPlan p = SessionPlan.of(config(""), List.of(ESTIMATED, NVML), d -> d == 0 ? 1.5 : Double.NaN, false);
        assertEquals(1.5, p.idleWatts()[0]);
        assertTrue(Double.isNaN(p.idleWatts()[1]), "unknown stays NaN: all of the GPU's energy is dynamic");
        assertEquals(2, p.notes().size(), p.notes().toString());
        assertTrue(p.notes().get(0).startsWith("package:0 is ESTIMATED from CPU time (CPU-time model)"), p.notes().get(0));
        assertTrue(p.notes().get(1).startsWith("Idle power of gpu:0 is unknown"), p.notes().get(1));

        SessionPlan configured = SessionPlan.of(config("idle=gpu:70"), List.of(NVML), d -> Double.NaN, false);
        assertEquals(List.of(), configured.notes(), "a configured idle power is known");
        assertEquals(List.of("Idle power of package:0, dram:0 is unknown"), plan("", List.of(RAPL, RAPL_DRAM), false)
                .notes().stream().map(n -> n.substring(0, n.indexOf(" is unknown") + 11)).toList());
    }

    @Test
    void aPlanCannotBeChangedThroughWhatItReturns() {
        SessionPlan p = SessionPlan.of(config("idle=package:12"), List.of(RAPL), d -> Double.NaN, false);
        p.idleWatts()[0] = 99;
        assertEquals(12, p.idleWatts()[0]);
        assertEquals(p, SessionPlan.of(config("idle=package:12"), List.of(RAPL), d -> Double.NaN, false));
    }
}

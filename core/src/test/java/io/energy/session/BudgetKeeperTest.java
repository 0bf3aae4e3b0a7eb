package io.energy.session;

import io.energy.attribute.CallPathSampler;
import io.energy.attribute.EnergyLedger;
import io.energy.attribute.IntervalInput;
import io.energy.bridge.EnergyBridge;
import io.energy.bridge.PathNode;
import io.energy.config.ConfigParser;
import io.energy.instrument.Instrumenter;
import io.energy.instrument.MethodRegistry;
import io.energy.power.Domain;
import io.energy.report.EnergyProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The budget keeper on a real registry, ledger, sampler and bridge, one closed interval at a time: which calls it
 * adds up decides what the budget sees. Until this test only OverheadBudgetIT (a forked JVM, 600 M calls) caught
 * a keeper that sized its count by {@link MethodRegistry#size()} and so never saw a method woven after the stack
 * sampler had named frames (issue 13, commit 6445055).
 *
 * <p>Every window here is 1 s, with 1 s of the process's CPU (a 1% budget allows 10 ms of counting, 333 333 calls
 * at {@link io.energy.instrument.OverheadBudget#CALL_COST_NANOS} each) except where two CPUs were busy (2 s): the
 * budget's base is the process's CPU, which a share computed against the wall time would not show. The unweave
 * the keeper asks for is only recorded, never run: there is no instrumentation here, and what is tested is the
 * decision.
 */
class BudgetKeeperTest {
    private static final long S = 1_000_000_000L;
    private static final long MS = 1_000_000L;
    /** Frames the stack sampler names before the late class is woven: ids 1 to 50. */
    private static final int SAMPLED_FRAMES = 50;

    private final MethodRegistry registry = new MethodRegistry();
    private final EnergyLedger ledger = new EnergyLedger(List.of(new Domain(Domain.PACKAGE, 0, false, 1_000_000L, "test")),
            new EnergyLedger.Options(false, false, new double[]{0}, 1000, id -> false));
    private final CallPathSampler sampler = new CallPathSampler(ctx -> CallPathSampler.Activity.RUNNING, ctx -> 0L);
    /** The writer thread, as the keeper sees it: tasks handed to it are kept, not run. */
    private final List<Runnable> handedToWriter = new ArrayList<>();
    private int late;
    private BudgetKeeper keeper;

    @BeforeEach
    void wovenAfterSampledFrames() {
        EnergyBridge.start(256, 100_000, 0, null);
        for (int i = 0; i < SAMPLED_FRAMES; i++) {
            registry.frame("java.util.Frame" + i, "call");
        }
        late = registry.register("com.acme.Late", "hot", "(J)J");
        registry.confirm(List.of(late));
        // The premise: the one woven method's id is far past the number of woven methods, within idLimit().
        assertEquals(1, registry.size());
        assertEquals(SAMPLED_FRAMES + 1, late);
        assertEquals(late + 1, registry.idLimit());
        Instrumenter instrumenter = new Instrumenter(ConfigParser.parse("", new Properties()), registry, m -> { });
        keeper = new BudgetKeeper(0.01, registry, instrumenter, null, ledger, sampler, handedToWriter::add, 0);
    }

    /** The test thread is left inside the late method; the next test's start() gives it a fresh context. */
    @AfterEach
    void stopBridge() {
        EnergyBridge.stop();
        while (EnergyBridge.pollNewContext() != null) {
            // forget this test's thread
        }
    }

    /** The budget's first look only remembers the counts: the baseline of the window. */
    private void firstIntervalClosed() {
        keeper.intervalClosed(0);
    }

    /** One second on, the ledger having been told of 1 s of the process's CPU: the budget decides. */
    private void secondIntervalClosed() {
        secondIntervalClosed(S);
    }

    /** One second on, the ledger having been told of {@code processCpu} of the process's CPU. */
    private void secondIntervalClosed(long processCpu) {
        ledger.apply(new IntervalInput(0, S, new long[]{S}, processCpu, processCpu, 0, new double[]{Double.NaN},
                10 * MS, List.of()));
        keeper.intervalClosed(S);
    }

    /**
     * The test thread enters the late method through the bridge and the sampler takes its context in: the thread's
     * live path for that method, whose {@code calls} the test then sets as if the thread had made them.
     */
    private PathNode enterLateMethod() {
        EnergyBridge.enter(late);
        sampler.sample();
        assertEquals(1, sampler.contexts().size());
        PathNode here = sampler.contexts().get(0).current();
        assertEquals(late, here.methodId);
        return here;
    }

    private EnergyProfile.CountingStopped onlyStop() {
        List<EnergyProfile.CountingStopped> stopped = keeper.report(0).stopped();
        assertEquals(1, stopped.size(), "stopped: " + stopped);
        return stopped.get(0);
    }

    @Test
    void aHotMethodWovenAfterTheSamplerNamedManyFramesIsStoppedAndOneUnweaveIsHandedToTheWriter() {
        firstIntervalClosed();
        PathNode hot = enterLateMethod();
        hot.calls = 10_000_000; // 300 ms of counting in a 1 s window: 15 times the 1% budget of 2 s of CPU

        secondIntervalClosed(2 * S); // two CPUs busy: the process's CPU, not the wall time, is the budget's base

        assertEquals(1, keeper.stoppedCount(), "the late method's 10 M calls were seen (id " + late + ", "
                + registry.size() + " woven method): " + keeper.report(0).stopped());
        EnergyProfile.CountingStopped stop = onlyStop();
        assertEquals("com.acme.Late.hot", stop.method());
        assertTrue(stop.reason().startsWith("overhead budget: "), stop.reason());
        assertEquals(1.0, stop.atSeconds(), 1e-12);
        assertEquals(10_000_000, stop.callsPerSecond(), 1e-6);
        assertEquals(0.15, stop.costShare(), 1e-12, "10 M calls x 30 ns of 2 s of the process's CPU (not 1 s of wall)");
        assertEquals(1, handedToWriter.size(), "one retransformation for the decision, on the writer thread");
    }

    /**
     * The class comment's claim: calls so far are the ledger's (moved there at each flush) plus what the threads
     * counted since ({@code calls - reportedCalls}), and nothing twice. 200 000 calls each way are 6 ms apiece,
     * within the 10 ms budget alone and over it together; counting the thread's 200 000 reported calls again
     * would make 600 000.
     */
    @Test
    void callsInTheLedgerAndCallsTheThreadHasNotReportedYetAreAddedUpOnce() {
        firstIntervalClosed();
        PathNode hot = enterLateMethod();
        hot.calls = 200_000;
        sampler.syncCalls(ledger); // the flush: these 200 000 are the ledger's now
        assertEquals(200_000, ledger.child(ledger.root(), late).calls);
        assertEquals(200_000, hot.reportedCalls);
        hot.calls = 400_000; // and 200 000 more since, on the thread only

        secondIntervalClosed();

        assertEquals(1, keeper.stoppedCount(), "200 000 + 200 000 calls, 12 ms against 10 ms, must stop it: "
                + keeper.report(0).stopped());
        EnergyProfile.CountingStopped stop = onlyStop();
        assertEquals("com.acme.Late.hot", stop.method());
        assertEquals(400_000, stop.callsPerSecond(), 1e-6, "ledger and unreported calls, each counted once");
        assertEquals(1, handedToWriter.size());
    }

    /** The sum case's premise: half of its calls, on the thread alone, are within the budget and stop nothing. */
    @Test
    void halfOfThoseCallsAloneStayWithinTheBudgetAndStopNothing() {
        firstIntervalClosed();
        PathNode hot = enterLateMethod();
        hot.calls = 200_000; // 6 ms of the 10 ms budget

        secondIntervalClosed();

        assertEquals(0, keeper.stoppedCount(), "stopped: " + keeper.report(0).stopped());
        assertTrue(handedToWriter.isEmpty());
    }
}

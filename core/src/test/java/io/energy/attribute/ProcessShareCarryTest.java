package io.energy.attribute;

import io.energy.power.Domain;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The process's share of a shared machine's CPU energy when both CPU clocks move in 10 ms ticks (issue 14): the
 * process's CPU time reads above the machine's busy time in one interval and below in the next, and the share,
 * which cannot pass 1, must carry the excess instead of losing it to "(other processes)".
 */
class ProcessShareCarryTest {
    private static final long MS = 1_000_000L;
    private static final long JOULE = 1_000_000_000L;

    private static EnergyLedger sharedMachine() {
        return new EnergyLedger(List.of(new Domain(Domain.PACKAGE, 0, false, 1_000_000, "test")),
                new EnergyLedger.Options(false, false, new double[]{Double.NaN}, 1000, id -> true, true));
    }

    /** 1 J in a 100 ms interval, the process read at {@code processMs} of CPU, the machine at {@code machineMs}. */
    private static void interval(EnergyLedger l, int i, long processMs, long machineMs) {
        l.apply(new IntervalInput(i * 100 * MS, (i + 1) * 100 * MS, new long[]{JOULE}, processMs * MS, machineMs * MS,
                0, new double[]{Double.NaN}, 10 * MS, List.of(), null));
    }

    private static long others(EnergyLedger l) {
        return l.bucketNode(LedgerNode.OTHER_PROCESSES).selfNanoJoules[0];
    }

    @Test
    void aProcessThatKeepsTheMachineBusyGetsAllItsEnergyThoughItsTicksReadAboveAndBelowTheMachines() {
        EnergyLedger l = sharedMachine();
        // The truth: the process is all of the machine's busy time, 100 ms a 100 ms interval. Its clock ticks at
        // other moments than the machine's: it reads 110, 90, 110, 90 ... against 100.
        for (int i = 0; i < 100; i++) {
            interval(l, i, i % 2 == 0 ? 110 : 90, 100);
        }
        assertEquals(0, others(l), "no energy to other processes: there were none");
        assertEquals(100 * JOULE, l.pendingNanoJoules(0) + l.bucketNode(LedgerNode.UNINSTRUMENTED).selfNanoJoules[0]);
    }

    @Test
    void aReadingBelowTheMachinesIsAShareAndThenNothingIsCarried() {
        EnergyLedger l = sharedMachine();
        interval(l, 0, 110, 100); // 10 ms carried
        interval(l, 1, 40, 100); // 50 of 100
        interval(l, 2, 40, 100); // 40 of 100: the carry was spent
        assertEquals(50 * JOULE / 100 + 60 * JOULE / 100, others(l));
    }

    @Test
    void aReadingThatNeverAgreesWithTheMachinesCarriesAtMostOneSecondOfCpu() {
        EnergyLedger l = sharedMachine();
        for (int i = 0; i < 100; i++) {
            interval(l, i, 200, 100); // 100 ms too many every interval: 10 s if it were all kept
        }
        assertEquals(0, others(l));
        int full = 0;
        for (int i = 100; i < 200; i++) {
            long before = others(l);
            interval(l, i, 0, 100); // the process stopped; the machine is busy with others
            if (others(l) == before) {
                full++;
            }
        }
        assertEquals(EnergyLedger.MAX_SHARE_CARRY_NANOS / (100 * MS), full,
                "the carry gives the stopped process whole intervals for one second of CPU, then nothing");
        assertTrue(others(l) >= 90 * JOULE, "the rest goes to the other processes: " + others(l));
    }
}

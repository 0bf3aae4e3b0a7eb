package io.energy.attribute;

import io.energy.power.Domain;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** static=process: the machine's idle energy is charged by the process's share, all of it only when dedicated. */
class StaticShareTest {
    private static EnergyLedger ledger(boolean dedicated) {
        return new EnergyLedger(List.of(new Domain(Domain.PACKAGE, 0, false, 1_000_000, "test")),
                new EnergyLedger.Options(dedicated, true, new double[]{40.0}, 1000, id -> true, true));
    }

    /** 10 J in 100 ms with 40 W idle: 4 J static, 6 J dynamic; the process used a quarter of the busy CPU. */
    private static IntervalInput interval() {
        return new IntervalInput(0, 100_000_000L, new long[]{10_000_000_000L}, 50_000_000L, 200_000_000L, 0,
                new double[]{Double.NaN}, 10_000_000L, List.of(), null);
    }

    @Test
    void onASharedMachineTheProcessTakesItsShareOfTheIdleEnergyNotAllOfIt() {
        EnergyLedger l = ledger(false);
        l.apply(interval());
        assertEquals(2_500_000_000L, l.pendingNanoJoules(0), "a quarter of 6 J dynamic plus a quarter of 4 J idle");
        assertEquals(7_500_000_000L, l.bucketNode(LedgerNode.OTHER_PROCESSES).selfNanoJoules[0]);
        assertEquals(0, l.bucketNode(LedgerNode.STATIC_IDLE).selfNanoJoules[0]);
    }

    @Test
    void onADedicatedMachineTheProcessTakesAllOfIt() {
        EnergyLedger l = ledger(true);
        l.apply(interval());
        assertEquals(10_000_000_000L, l.pendingNanoJoules(0));
        assertEquals(0, l.bucketNode(LedgerNode.OTHER_PROCESSES).selfNanoJoules[0]);
    }
}

package io.energy.api;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** This JVM has no agent: windows must still work, say why they have no joules, and never throw. */
class WithoutAgentTest {
    @Test
    void withoutAnAgentAReadingSaysSoAndStillHasWallAndCpuTime() throws Exception {
        assertFalse(Energy.available());
        assertTrue(Energy.unavailableReason().contains("no energy agent is loaded"), Energy.unavailableReason());
        assertNull(Energy.source());
        EnergyWindow w = Energy.begin("busy");
        long end = System.nanoTime() + 50_000_000L;
        double x = 0;
        while (System.nanoTime() < end) {
            x += Math.sqrt(x + 1);
        }
        EnergyReading r = w.end();
        assertFalse(r.available());
        assertFalse(w.measured());
        assertTrue(r.reason().contains("-javaagent:"), r.reason());
        assertTrue(Double.isNaN(r.joules()) && Double.isNaN(r.bound()), r.toString());
        assertTrue(r.wallNanos() >= 50_000_000L, r.toString());
        assertTrue(r.threadCpuNanos() > 0, r.toString());
        assertTrue(r.toString().startsWith("busy: no energy reading (no energy agent"), r.toString());
        assertTrue(x > 0);
    }

    @Test
    void endingTwiceGivesTheFirstReadingAndAsyncCompletes() throws Exception {
        EnergyWindow w = Energy.begin(null);
        EnergyReading a = w.endAsync().get(1, TimeUnit.SECONDS);
        assertSame(a, w.end());
        assertEquals("window", a.label());
        w.close();
    }
}

package io.energy.command;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The restore check's verdicts. The witnesses themselves need a live Instrumentation and are exercised
 * end to end by the attach CLI's AttachIT (start, stop, then the status that reports this check).
 */
class RestoreCheckTest {
    @Test
    void aReferenceToTheBridgeIsFoundAnywhereInTheClassBytes() {
        byte[] bridge = "io/energy/bridge/EnergyBridge".getBytes(StandardCharsets.US_ASCII);
        byte[] withRef = ("\u00ca\u00fe\u00ba\u00be....\u0001\u0000\u001dio/energy/bridge/EnergyBridge\u0001")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] without = "\u00ca\u00fe\u00ba\u00be....io/energy/bridge/EnergyBridg".getBytes(StandardCharsets.ISO_8859_1);
        assertTrue(RestoreCheck.contains(withRef, bridge));
        assertFalse(RestoreCheck.contains(without, bridge));
        assertFalse(RestoreCheck.contains(new byte[0], bridge));
        assertTrue(RestoreCheck.contains(bridge, bridge));
    }

    @Test
    void aCleanRestoreSaysEveryClassIsByteIdenticalAndNoneCallsTheBridge() {
        RestoreCheck.Report r = new RestoreCheck.Report(3, 3, 0, 0, List.of(), List.of());
        assertTrue(r.clean());
        assertEquals("original bytecode restored in 3 classes: 3 byte-identical to before start, 0 still calling the "
                + "energy bridge", r.describe());
    }

    @Test
    void classesThatStillCallTheBridgeOrWereNotRetransformedAreNamed() {
        RestoreCheck.Report r = new RestoreCheck.Report(2, 1, 1, 0, List.of("com.acme.Foo"), List.of("com.acme.Gone"));
        assertFalse(r.clean());
        String d = r.describe();
        assertTrue(d.contains("1 still calling the energy bridge"), d);
        assertTrue(d.contains("1 different from before start"), d);
        assertTrue(d.contains("still instrumented: com.acme.Foo"), d);
        assertTrue(d.contains("not retransformed by the reset (unloaded since?): com.acme.Gone"), d);
        String loadedLater = new RestoreCheck.Report(1, 0, 0, 1, List.of(), List.of()).describe();
        assertTrue(loadedLater.contains("1 not compared (no earlier bytes seen)"), loadedLater);
    }
}

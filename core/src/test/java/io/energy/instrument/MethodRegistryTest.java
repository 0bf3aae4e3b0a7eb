package io.energy.instrument;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ids of instrumented methods and sampled frames share one space; arrays indexed by id must cover all of it. */
class MethodRegistryTest {
    @Test
    void aMethodWovenAfterSampledFramesHasAnIdPastTheWovenCountButWithinTheIdLimit() {
        MethodRegistry r = new MethodRegistry();
        int early = r.register("com.acme.A", "run", "()V");
        r.confirm(List.of(early));
        for (int i = 0; i < 10; i++) {
            r.frame("java.util.Frame" + i, "call");
        }
        int late = r.register("com.acme.Late", "hot", "(J)J");
        r.confirm(List.of(late));
        assertEquals(2, r.size(), "woven methods");
        assertTrue(late > r.size(), "the late method's id " + late + " runs past the woven count");
        assertEquals(late + 1, r.idLimit(), "an array of idLimit() entries holds every id");
        // A sampled frame that is an instrumented method takes that method's id: no new id.
        assertEquals(late, r.frame("com.acme.Late", "hot"));
        assertEquals(late + 1, r.idLimit());
    }
}

package io.energy.report.jfr;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WindowEventTest {
    @TempDir
    Path dir;

    @Test
    void aWindowSpansItsBeginToItsEndOnTheBeginningThreadNotToItsLaterCommit() throws Exception {
        Path file = dir.resolve("window.jfr");
        Instant before;
        Instant after;
        try (Recording r = new Recording(JfrLiveEvents.settings())) {
            r.start();
            before = Instant.now();
            WindowEvent e = WindowEvent.start("checkout");
            Thread.sleep(30);
            e.stop();
            after = Instant.now();
            // The collector commits once the window's interval is attributed: later, and on its own thread.
            Thread.sleep(600);
            Thread committer = new Thread(() -> e.commit(1.234_567, 0.056_789, 7.891_011, 12_345_678L, true),
                    "collector");
            committer.start();
            committer.join();
            r.stop();
            r.dump(file);
        }
        List<RecordedEvent> windows = JfrTestSupport.events(file, "energy.Window");
        assertEquals(1, windows.size());
        RecordedEvent w = windows.get(0);
        assertEquals("checkout", w.getString("label"));
        assertEquals(Thread.currentThread().getName(), w.getString("windowThread"));
        assertEquals(1.234_567, w.getDouble("energy"));
        assertEquals(0.056_789, w.getDouble("uncertainty"));
        assertEquals(7.891_011, w.getDouble("machineEnergy"));
        assertEquals(Duration.ofNanos(12_345_678L), w.getDuration("cpuTime"));
        assertTrue(w.getBoolean("estimated"));
        // Clocks differ by a few ms (JFR's ticks against Instant.now), far less than the 600 ms before commit.
        Duration slack = Duration.ofMillis(100);
        assertTrue(!w.getStartTime().isBefore(before.minus(slack)) && w.getStartTime().isBefore(after),
                w.getStartTime() + " within [" + before + ", " + after + "]");
        assertTrue(w.getDuration().compareTo(Duration.ofMillis(25)) >= 0, w.getDuration().toString());
        assertTrue(w.getDuration().compareTo(Duration.between(before, after).plus(slack)) <= 0,
                w.getDuration() + " ends at stop(), not at commit");
    }
}

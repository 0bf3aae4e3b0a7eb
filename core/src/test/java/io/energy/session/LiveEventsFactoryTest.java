package io.energy.session;

import io.energy.config.ConfigParser;
import io.energy.report.LiveEvents;
import io.energy.report.jfr.JfrLiveEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LiveEventsFactoryTest {
    @TempDir
    Path dir;
    private final List<String> logged = new ArrayList<>();

    private LiveEvents create(String args) {
        return LiveEventsFactory.create(ConfigParser.parse("out=" + dir + (args.isEmpty() ? "" : "," + args),
                new Properties()), logged::add);
    }

    @Test
    void jfrEventsAreOnByDefault() {
        LiveEvents live = create("");
        try {
            assertInstanceOf(JfrLiveEvents.class, live);
            assertTrue(logged.isEmpty(), logged.toString());
        } finally {
            live.close();
        }
        assertTrue(Files.notExists(dir.resolve(JfrLiveEvents.LIVE_FILE)), "no recording of its own unless asked");
    }

    @Test
    void jfrFalseEmitsNothingAndSaysThatJfrRecordIsIgnored() {
        assertSame(LiveEvents.NONE, create("jfr=false"));
        assertTrue(logged.isEmpty());
        assertSame(LiveEvents.NONE, create("jfr=false,jfr.record=true"));
        assertEquals(1, logged.size());
        assertTrue(logged.get(0).contains("jfr.record"), logged.get(0));
    }

    @Test
    void jfrRecordWritesEnergyLiveJfrIntoTheOutputDirectoryAtClose() {
        LiveEvents live = create("jfr.record=true");
        live.close();
        assertTrue(Files.isRegularFile(dir.resolve(JfrLiveEvents.LIVE_FILE)), logged.toString());
    }
}

package io.energy.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptionTableTest {
    @Test
    void everyWrittenDefaultIsAcceptedByItsOwnOptionAndIsWhatAnEmptyConfigGets() {
        OptionTable.Values defaults = OptionTable.read(Map.of());
        for (Option<?> o : OptionTable.all()) {
            if (o.defaultValue() != null) {
                assertEquals(o.read(o.defaultValue()), defaults.get(o), o.key());
            }
        }
        Config c = ConfigParser.build(Map.of());
        assertEquals(Duration.ofMillis(100), c.interval());
        assertEquals(20_000, c.maxPaths());
        assertEquals(0.74, c.estimateIdleWattsPerCore());
        assertEquals(Config.LogLevel.INFO, c.log());
    }

    @Test
    void aRejectedValueIsAnsweredWithTheAcceptedValuesFromTheTable() {
        for (Option<?> o : OptionTable.all()) {
            if (o.accepted().isEmpty()) {
                continue;
            }
            ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.build(Map.of(o.key(), "x?")),
                    o.key());
            assertEquals(o.key(), e.key());
            String firstAccepted = o.accepted().split(" ")[0];
            assertTrue(e.getMessage().contains(firstAccepted), o.key() + ": " + e.getMessage());
        }
    }

    @Test
    void helpListsEveryKeyWithItsDefault() {
        String help = OptionTable.helpLines();
        for (Option<?> o : OptionTable.all()) {
            assertTrue(help.contains("  " + o.key() + " "), o.key());
            assertTrue(help.contains("(default " + o.defaultText() + ")"), o.key());
        }
        assertEquals(OptionTable.keys(), ConfigParser.KEYS.keySet(), "KEYS is a view of the table");
    }

    @Test
    void durationsAreShownTheWayTheyAreWritten() {
        assertEquals("100us", Option.format(Duration.ofNanos(100_000)));
        assertEquals("10ms", Option.format(Duration.ofMillis(10)));
        assertEquals("24h", Option.format(Duration.ofHours(24)));
        assertEquals("90s", Option.format(Duration.ofSeconds(90)));
    }
}

package io.energy.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigParserTest {
    private static Config parse(String args) {
        return ConfigParser.parse(args, new Properties());
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        Config c = parse("");
        assertEquals(Path.of("energy-out"), c.out());
        assertEquals(Config.Source.AUTO, c.source());
        assertEquals(Duration.ofMillis(100), c.interval());
        assertEquals(Duration.ZERO, c.samplePeriod(), "auto");
        assertEquals(Duration.ofMillis(1), c.samplePeriodFor(true), "auto with a RAPL-grained counter");
        assertEquals(Duration.ofMillis(10), c.samplePeriodFor(false), "auto with the estimated model");
        Config explicit = parse("sample.period=2ms");
        assertEquals(Duration.ofMillis(2), explicit.samplePeriodFor(true));
        assertEquals(Duration.ofMillis(2), explicit.samplePeriodFor(false));
        assertEquals(Duration.ZERO, parse("sample.period=auto").samplePeriod());
        assertEquals(Duration.ofSeconds(60), c.checkpoint());
        assertTrue(c.include().isEmpty());
    }

    @Test
    void trivialMethodsAreSkippedAndTheOverheadBudgetIsOnePercentUnlessToldOtherwise() {
        Config c = parse("");
        assertFalse(c.weaveTrivial());
        assertEquals(0.01, c.overheadBudget(), 1e-15);
        assertFalse(c.overheadUnbounded());
        assertTrue(parse("weave.trivial=true").weaveTrivial());
        assertEquals(0.005, parse("overhead=0.5%").overheadBudget(), 1e-15);
        assertEquals(0.02, parse("overhead=2").overheadBudget(), 1e-15, "a bare number is a percentage");
        assertTrue(parse("overhead=off").overheadUnbounded());
        assertTrue(parse("overhead=0").overheadUnbounded());
        for (String bad : new String[]{"overhead=abc", "overhead=101%", "overhead=0.001%", "overhead=-1%"}) {
            ConfigException e = assertThrows(ConfigException.class, () -> parse(bad), bad);
            assertEquals("overhead", e.key(), bad);
            assertTrue(e.getMessage().contains("0.01% to 100%, or off"), e.getMessage());
        }
        assertEquals("weave.trivial", assertThrows(ConfigException.class, () -> parse("weave.trivial=2")).key());
    }

    @Test
    void agentArgumentsOverrideSystemPropertiesWhichOverrideTheConfigFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("energy.properties");
        Files.writeString(file, "include=com.file.**\nout=from-file\ninterval=50ms\ntop=3\n");
        Properties sys = new Properties();
        sys.setProperty("energy.out", "from-sys");
        sys.setProperty("energy.interval", "200ms");
        sys.setProperty("energy.config", file.toString());
        Config c = ConfigParser.parse("interval=300ms", sys);
        assertEquals("com.file.**", c.include().get(0).toString());
        assertEquals(Path.of("from-sys"), c.out());
        assertEquals(Duration.ofMillis(300), c.interval());
        assertEquals(3, c.top());
    }

    @Test
    void patternsSelectClassesAndMethodsByName() {
        Config c = parse("include=com.acme.**;org.x.Foo#bar;org.y.*Service#get*,exclude=com.acme.internal.**");
        assertTrue(c.instruments("com.acme.Foo", "run"));
        assertTrue(c.instruments("com.acme.deep.er.Foo", "run"));
        assertFalse(c.instruments("com.acmeX.Foo", "run"));
        assertFalse(c.instruments("com.acme.internal.Secret", "run"));
        assertTrue(c.instruments("org.x.Foo", "bar"));
        assertFalse(c.instruments("org.x.Foo", "baz"));
        assertTrue(c.instruments("org.y.UserService", "getName"));
        assertFalse(c.instruments("org.y.sub.UserService", "getName"));
        assertFalse(c.mayInstrumentClass("com.acme.internal.Secret"));
    }

    @Test
    void anUnknownEnergySystemPropertyIsIgnoredAndNamedButAnUnknownAgentArgumentIsStillRefused() {
        Properties sys = new Properties();
        sys.setProperty("energy.fault", "bridge");
        sys.setProperty("energy.agent.jar", "/x.jar");
        sys.setProperty("energy.out", "from-sys");
        Config c = ConfigParser.parse("include=com.acme.**", sys);
        assertEquals(Path.of("from-sys"), c.out(), "known properties still apply");
        assertEquals(java.util.List.of("energy.agent.jar", "energy.fault"), ConfigParser.unknownSystemProperties(sys));
        assertThrows(ConfigException.class, () -> ConfigParser.parse("include=com.acme.**,fault=bridge", sys));
    }

    @Test
    void anUnknownKeyNamesItselfAndTheAcceptedKeys() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("inclde=com.acme.**"));
        assertEquals("inclde", e.key());
        assertTrue(e.getMessage().contains("unknown option 'inclde'"), e.getMessage());
        assertTrue(e.getMessage().contains("include"), e.getMessage());
    }

    @Test
    void malformedValuesNameTheKeyAndTheAcceptedForm() {
        String[][] bad = {
                {"interval=abc", "interval", "duration"},
                {"interval=1ms", "interval", "10ms to 10s"},
                {"source=gpu", "source", "auto | estimate | rapl | nvml | replay"},
                {"max.paths=-4", "max.paths", "whole number from 100"},
                {"jfr=maybe", "jfr", "true | false"},
                {"include=com..acme", "include", "not a class pattern"},
                {"include=a#b#c", "include", "more than one '#'"},
                {"include=**", "include", "every class"},
                {"estimate.busy.watts=NaN", "estimate.busy.watts", "number from 0"},
                {"idle=package", "idle", "domain:watts"},
                {"novalue", "novalue", "key=value"},
        };
        for (String[] b : bad) {
            ConfigException e = assertThrows(ConfigException.class, () -> parse(b[0]), b[0]);
            assertEquals(b[1], e.key(), b[0]);
            assertTrue(e.getMessage().contains(b[2]), b[0] + " -> " + e.getMessage());
        }
    }

    @Test
    void anUnreadableConfigFileIsOneClearMessage(@TempDir Path dir) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("config=" + dir.resolve("missing.properties")));
        assertEquals("config", e.key());
        assertTrue(e.getMessage().contains("cannot read config file"));
    }

    @Test
    void durationsAcceptEveryDocumentedUnit() {
        assertEquals(Duration.ofNanos(250_000), ConfigParser.duration("k", "250us", false, Duration.ZERO, Duration.ofDays(1)));
        assertEquals(Duration.ofMillis(100), ConfigParser.duration("k", "100", false, Duration.ZERO, Duration.ofDays(1)));
        assertEquals(Duration.ofSeconds(2), ConfigParser.duration("k", "2s", false, Duration.ZERO, Duration.ofDays(1)));
        assertEquals(Duration.ofMinutes(5), ConfigParser.duration("k", "5m", false, Duration.ZERO, Duration.ofDays(1)));
        assertEquals(Duration.ofHours(1), ConfigParser.duration("k", "1h", false, Duration.ZERO, Duration.ofDays(1)));
        assertEquals(Duration.ZERO, ConfigParser.duration("k", "off", true, Duration.ofSeconds(1), Duration.ofDays(1)));
    }

    /** Property-based fuzzing: any string either parses or fails with a ConfigException naming a key. */
    @Test
    void fuzzedArgumentsNeverFailWithAnythingButAClearConfigException() {
        Random r = new Random(99);
        String alphabet = "abcdefgijklmnopqrstuvwxyz.=,;#*$:/ 0123456789-_\u0000\u00e9\n\t%\\\"'";
        String[] keys = ConfigParser.KEYS.keySet().toArray(new String[0]);
        int parsed = 0;
        for (int i = 0; i < 5000; i++) {
            StringBuilder sb = new StringBuilder();
            int parts = r.nextInt(4);
            for (int p = 0; p < parts; p++) {
                if (p > 0) {
                    sb.append(',');
                }
                if (r.nextBoolean()) {
                    sb.append(keys[r.nextInt(keys.length)]).append('=');
                }
                int len = r.nextInt(12);
                for (int k = 0; k < len; k++) {
                    sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
                }
            }
            String args = sb.toString();
            try {
                parse(args);
                parsed++;
            } catch (ConfigException e) {
                assertTrue(e.key() != null && !e.getMessage().isBlank(), args);
                assertFalse(e.getMessage().contains("\u0000"), "control characters are not echoed: " + args);
            }
        }
        assertTrue(parsed > 0, "some fuzzed inputs must be valid");
    }
}

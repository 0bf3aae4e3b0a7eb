package io.energy.config;

import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The prometheus= and prometheus.methods= options: off by default, loopback unless a host is named. */
class MetricsOptionsTest {
    private static MetricsOptions parse(String args) {
        return ConfigParser.parse(args, new Properties()).metrics();
    }

    @Test
    void theEndpointIsOffUnlessAsked() {
        assertFalse(parse("").prometheusOn());
        assertFalse(parse("prometheus=off").prometheusOn());
        assertEquals(50, parse("").prometheusMethods());
    }

    @Test
    void aPortAloneBindsTheLoopbackAddressAndAHostIsTakenAsWritten() {
        MetricsOptions port = parse("prometheus=9464");
        assertEquals("127.0.0.1", port.prometheusHost());
        assertEquals(9464, port.prometheusPort());
        MetricsOptions all = parse("prometheus=0.0.0.0:9100,prometheus.methods=7");
        assertEquals("0.0.0.0", all.prometheusHost());
        assertEquals(9100, all.prometheusPort());
        assertEquals(7, all.prometheusMethods());
        MetricsOptions v6 = parse("prometheus=[::1]:0");
        assertEquals("::1", v6.prometheusHost());
        assertEquals(0, v6.prometheusPort());
        assertEquals("[::1]:0", v6.prometheusAddress());
        assertEquals(9464, ConfigParser.parse("", props("energy.prometheus", "9464")).metrics().prometheusPort(),
                "as a system property too");
    }

    @Test
    void aBadValueIsOneMessageNamingTheKeyAndWhatIsAccepted() {
        for (String bad : new String[]{"prometheus=abc", "prometheus=70000", "prometheus=-1", "prometheus=::1:9464",
                "prometheus=:9464", "prometheus=host/x:1"}) {
            ConfigException e = assertThrows(ConfigException.class, () -> parse(bad), bad);
            assertEquals("prometheus", e.key(), bad);
            assertTrue(e.getMessage().contains("HOST:PORT"), e.getMessage());
        }
        ConfigException e = assertThrows(ConfigException.class, () -> parse("prometheus.methods=0"));
        assertEquals("prometheus.methods", e.key());
    }

    private static Properties props(String k, String v) {
        Properties p = new Properties();
        p.setProperty(k, v);
        return p;
    }
}

package io.energy.config;

/**
 * Live metrics options: where the Prometheus endpoint listens (off by default) and how many methods get
 * their own series.
 *
 * @param prometheusHost    host or address to bind; null when the endpoint is off
 * @param prometheusPort    port to bind (0 = any free port); -1 when the endpoint is off
 * @param prometheusMethods methods with their own series; the rest go to {@code method="other"}
 */
public record MetricsOptions(String prometheusHost, int prometheusPort, int prometheusMethods) {

    public static final MetricsOptions OFF = new MetricsOptions(null, -1, 50);

    public boolean prometheusOn() {
        return prometheusPort >= 0;
    }

    /** The endpoint as the user would write it back: {@code HOST:PORT}, IPv6 hosts in brackets. */
    public String prometheusAddress() {
        if (!prometheusOn()) {
            return "off";
        }
        String h = prometheusHost.indexOf(':') >= 0 ? "[" + prometheusHost + "]" : prometheusHost;
        return h + ":" + prometheusPort;
    }

    /**
     * {@code off}, {@code PORT} (binds the loopback address: metrics say which methods a service runs, which
     * is not for the whole network unless asked), {@code HOST:PORT} or {@code [IPv6]:PORT}.
     */
    static MetricsOptions parse(String value, int methods) {
        String v = value.trim();
        if (v.isEmpty() || v.equals("off") || v.equals("false") || v.equals("no")) {
            return new MetricsOptions(null, -1, methods);
        }
        String host = "127.0.0.1";
        String port = v;
        int colon = v.lastIndexOf(':');
        if (colon >= 0) {
            host = v.substring(0, colon).trim();
            port = v.substring(colon + 1).trim();
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            } else if (host.indexOf(':') >= 0) {
                host = "";
            }
        }
        int p = -1;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException ignored) {
            // reported below
        }
        if (host.isEmpty() || p < 0 || p > 65_535 || host.chars().anyMatch(c -> c <= ' ' || c == '/')) {
            throw new ConfigException("prometheus", "option prometheus='" + ConfigParser.printable(value)
                    + "' is not off, a port (0 to 65535) or HOST:PORT ([ADDRESS]:PORT for IPv6), e.g. "
                    + "prometheus=9464 or prometheus=0.0.0.0:9464");
        }
        return new MetricsOptions(host, p, methods);
    }
}

package io.energy.metrics;

import io.energy.config.MetricsOptions;
import io.energy.report.EnergyProfile;
import io.prometheus.metrics.config.ExporterHttpServerProperties;
import io.prometheus.metrics.config.ExporterProperties;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.net.InetAddress;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The agent's Prometheus endpoint ({@code prometheus=PORT} or {@code HOST:PORT}): the Prometheus Java
 * client's own HTTP server and exposition writers (relocated inside the agent's core jar), serving
 * {@link EnergyMetrics} from a private registry. Nothing of it is loaded while the option is off.
 *
 * <p>Lifecycle, driven by the agent's start and stop: a start opens the endpoint (or keeps the one already
 * open when a reconfiguration names the same address) and points it at the new session; a
 * reconfiguration carries the counters on; a stop closes it, so the next start is a counter reset with a
 * new start time, as a restarted process would be. A failure to listen is reported once and measuring
 * goes on without the endpoint.
 */
public final class PrometheusEndpoint {
    /** Scrapes within this age of the last profile reuse it: the ledger lock is taken at most once a second. */
    static final long PROFILE_MAX_AGE_NANOS = 1_000_000_000L;

    private static HTTPServer server;
    private static PrometheusRegistry registry;
    private static MetricsOptions bound;
    private static EnergyMetrics metrics;
    private static String problem;

    private PrometheusEndpoint() {
    }

    /** What a session offers the endpoint: its profile for scrapes, and the sampler's name and period. */
    public interface Session {
        EnergyProfile profile(long maxAgeNanos);

        String sampler();

        double samplePeriodSeconds();
    }

    /**
     * A session started. {@code replacedFinal} is the final profile of the session it replaces when this
     * start is a reconfiguration of a running agent, else null. Returns a line for the person who started
     * it (empty when the endpoint is off). Never throws.
     */
    public static synchronized String sessionStarted(MetricsOptions options, Session session, EnergyProfile replacedFinal,
                                                     java.util.function.Consumer<String> problems) {
        problem = null;
        try {
            if (!options.prometheusOn()) {
                close();
                return "";
            }
            Supplier<EnergyProfile> profiles = () -> session.profile(PROFILE_MAX_AGE_NANOS);
            EnergyMetrics old = metrics;
            if (old != null && replacedFinal != null && old.methodLimit() == options.prometheusMethods()) {
                // A reconfiguration: the counters go on. One step, so no scrape sees the base without the source.
                old.carryOver(replacedFinal, profiles, session.sampler(), session.samplePeriodSeconds());
            } else {
                // A first start, or a reconfiguration that changes prometheus.methods (the series themselves
                // change): a new epoch, with a new start time.
                EnergyMetrics fresh = new EnergyMetrics(options.prometheusMethods(), System.currentTimeMillis(), profiles);
                fresh.source(profiles, session.sampler(), session.samplePeriodSeconds());
                if (registry != null) { // a server kept open serves the new epoch from now on
                    if (old != null) {
                        registry.unregister(old);
                    }
                    registry.register(fresh);
                }
                metrics = fresh;
            }
            if (server != null && !sameAddress(bound, options)) {
                stopServer();
            }
            if (server == null) {
                server = listen(options, metrics);
                bound = options;
            }
            return "prometheus metrics at " + url() + "\n";
        } catch (Throwable t) {
            close();
            problem = "the Prometheus endpoint could not listen on " + options.prometheusAddress() + " (" + t
                    + "); measuring goes on without it";
            problems.accept(problem);
            return problem + "\n";
        }
    }

    /** The agent stopped: the endpoint closes and the counters' epoch ends. */
    public static synchronized void sessionStopped() {
        close();
    }

    /** One line for {@code status}: where the endpoint is, or why not. */
    public static synchronized String statusLine() {
        if (server != null) {
            return "prometheus: " + url() + " (counters since "
                    + java.time.Instant.ofEpochMilli(metrics.epochStartMillis()) + ")\n";
        }
        return problem != null ? "prometheus: " + problem + "\n" : "prometheus: off\n";
    }

    /** The URL scrapers use, with the port actually bound (prometheus=0 picks one). */
    public static synchronized String url() {
        if (server == null) {
            return null;
        }
        String host = bound.prometheusHost();
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + server.getPort() + "/metrics";
    }

    private static boolean sameAddress(MetricsOptions a, MetricsOptions b) {
        return a != null && a.prometheusPort() != 0 && a.prometheusPort() == b.prometheusPort()
                && a.prometheusHost().equals(b.prometheusHost());
    }

    private static void close() {
        stopServer();
        metrics = null;
    }

    private static void stopServer() {
        HTTPServer s = server;
        server = null;
        bound = null;
        registry = null;
        if (s != null) {
            try {
                s.close();
            } catch (Throwable ignored) {
                // closing is best effort: the port is released when the JVM ends anyway
            }
        }
    }

    /**
     * Starts the library's HTTP server on our own daemon threads. The JDK's server makes its dispatcher thread
     * inherit the daemon flag of the thread that starts it, and the library starts it from a thread of the
     * executor it is given: a non-daemon executor would keep the application's JVM alive after its main
     * method returned (PrometheusEndpointIT checks that the JVM still ends).
     */
    private static HTTPServer listen(MetricsOptions options, EnergyMetrics m) throws Exception {
        PrometheusRegistry reg = new PrometheusRegistry();
        reg.register(m);
        // Our own properties, not PrometheusProperties.get(): that reads the application's prometheus.properties
        // and io.prometheus.* system properties, which configure the application's own client, not ours.
        PrometheusProperties props = PrometheusProperties.builder()
                .exporterProperties(ExporterProperties.builder().includeCreatedTimestamps(false).build())
                .exporterHttpServerProperties(ExporterHttpServerProperties.builder().port(options.prometheusPort()).build())
                .build();
        AtomicInteger n = new AtomicInteger();
        // Two threads at most: scrapes are cheap (a cached profile) and a slow client must not hold up the others.
        // A full queue (64 scrapes waiting) drops the oldest: that scraper times out, the application is untouched.
        ThreadPoolExecutor executor = new ThreadPoolExecutor(2, 2, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(64), r -> {
            Thread t = new Thread(r, "energy-prometheus-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.DiscardOldestPolicy());
        executor.allowCoreThreadTimeOut(true); // no idle threads between scrapes longer than a minute apart
        try {
            HTTPServer s = HTTPServer.builder(props)
                    .inetAddress(InetAddress.getByName(options.prometheusHost()))
                    .port(options.prometheusPort())
                    .registry(reg)
                    .executorService(executor)
                    .buildAndStart();
            registry = reg;
            return s;
        } catch (Exception | Error e) {
            executor.shutdownNow();
            throw e;
        }
    }
}

package io.energy.command;

import io.energy.config.MetricsOptions;
import io.energy.metrics.PrometheusEndpoint;
import io.energy.report.EnergyProfile;
import io.energy.session.AgentLog;
import io.energy.session.EnergySession;

/**
 * Between the agent's lifecycle (AgentCore) and the live metrics endpoint. The endpoint's classes, and
 * with them the Prometheus client's, are loaded only once some start asks for the endpoint: an agent
 * without {@code prometheus=} pays nothing for it (PrometheusEndpointIT checks the class log). For that, this
 * class only makes static calls into {@link Live}: passing a {@code PrometheusEndpoint.Session} here would make
 * the verifier load the endpoint's types when this class is linked.
 */
final class MetricsHook {
    private static boolean used;

    private MetricsHook() {
    }

    /**
     * After a start: {@code replaced} is the session this start reconfigured (stopped already), or null.
     * Returns a line for the start's answer, empty when there is no endpoint. At launch the endpoint opens on
     * a thread of its own, so that the application's main does not wait for the HTTP server's classes
     * (~300, ~80 ms of CPU); the address is logged when it listens. An attach start waits for it, to answer
     * with the address.
     */
    static synchronized String started(EnergySession s, EnergySession replaced, boolean launch) {
        MetricsOptions options = s.config().metrics();
        if (!options.prometheusOn() && !used) {
            return "";
        }
        used = true;
        if (launch) {
            Thread t = new Thread(() -> {
                synchronized (MetricsHook.class) {
                    if (!s.stopped()) {
                        start(options, s, replaced);
                    }
                }
            }, "energy-prometheus-start");
            t.setDaemon(true);
            t.start();
            return "";
        }
        return start(options, s, replaced);
    }

    private static String start(MetricsOptions options, EnergySession s, EnergySession replaced) {
        try {
            return Live.started(options, s, replaced);
        } catch (Throwable t) {
            AgentLog.problem("the Prometheus endpoint failed (" + t + "); measuring goes on without it");
            return "";
        }
    }

    /** After a stop (not a reconfiguration): the endpoint closes. */
    static synchronized void stopped() {
        if (used) {
            try {
                Live.stopped();
            } catch (Throwable t) {
                AgentLog.problem("could not close the Prometheus endpoint: " + t);
            }
        }
    }

    static synchronized String status() {
        return used ? Live.status() : "prometheus: off\n";
    }

    /** Everything that names the endpoint's types; loaded on the first start that asks for the endpoint. */
    private static final class Live {
        private Live() {
        }

        static String started(MetricsOptions options, EnergySession s, EnergySession replaced) {
            EnergyProfile replacedFinal = replaced == null ? null : replaced.recentProfile(0);
            String line = PrometheusEndpoint.sessionStarted(options, new PrometheusEndpoint.Session() {
                @Override
                public EnergyProfile profile(long maxAgeNanos) {
                    return s.recentProfile(maxAgeNanos);
                }

                @Override
                public String sampler() {
                    return s.samplerName();
                }

                @Override
                public double samplePeriodSeconds() {
                    return s.samplePeriodSeconds();
                }
            }, replacedFinal, AgentLog::problem);
            if (PrometheusEndpoint.url() != null) {
                AgentLog.info(line.trim());
            }
            return line;
        }

        static void stopped() {
            PrometheusEndpoint.sessionStopped();
        }

        static String status() {
            return PrometheusEndpoint.statusLine();
        }
    }
}

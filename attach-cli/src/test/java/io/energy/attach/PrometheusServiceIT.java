package io.energy.attach;

import io.energy.it.PrometheusServer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The service sample under the agent, started by the attach CLI with {@code prometheus=PORT}, scraped every
 * second by a real Prometheus server; the test asks Prometheus (its HTTP API) what it stored. Checks that
 * the series exist with the names and labels documented in docs/metrics.md, that the per-method counters
 * grow by what the agent's own energy-summary.json says (within its bounds) over a first session and over a
 * reconfiguration ({@code start} again: counters carry on, no reset), that a stop and a start is one counter
 * reset with a new start time, that rate() is never negative, and that promtool accepts a scrape.
 */
class PrometheusServiceIT {
    private static final Path AGENT = jar("energy.agent.jar");
    private static final Path CLI = jar("energy.attach.jar");
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final String PKG = "io.energy.samples.ServiceSample.";
    private static final List<String> HANDLERS = List.of(PKG + "handleHash", PKG + "handleSort", PKG + "handleJson");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    private static Path jar(String property) {
        String p = System.getProperty(property);
        if (p == null) {
            throw new IllegalStateException("system property " + property + " is not set (failsafe sets it)");
        }
        return Path.of(p).toAbsolutePath().normalize();
    }

    @Test
    void prometheusStoresPerMethodJoulesThatMatchTheSummaryAcrossReconfigureAndStopStart() throws Exception {
        PrometheusServer.binary("prometheus"); // fails in CI, skips elsewhere, before anything starts
        int metricsPort = PrometheusServer.freePort();
        String endpoint = "http://127.0.0.1:" + metricsPort + "/metrics";
        try (AttachIT.Service service = AttachIT.Service.start(dir.resolve("service"), JAVA);
             PrometheusServer prom = PrometheusServer.start(dir.resolve("prom"), "127.0.0.1:" + metricsPort)) {
            String pid = Long.toString(service.pid);
            double tBegin = now();

            // Session 1, started by attach with the endpoint.
            AttachIT.Cli start = cli(pid, "start", "include=io.energy.samples.**", "prometheus.methods=1000", "out=" + dir.resolve("out1"),
                    "prometheus=" + metricsPort, "checkpoint=0");
            assertEquals(0, start.code(), start.toString());
            assertTrue(start.out().contains("prometheus metrics at " + endpoint), start.toString());
            AttachIT.Cli status = cli(pid, "status");
            assertTrue(status.out().contains("prometheus: " + endpoint), status.toString());

            load(service, 4);
            // CPU energy follows real stacks: a handler's joules with the JDK code it calls are its inclusive ones.
            String hashSelf = sel(PKG + "handleHash", "inclusive");
            prom.awaitValue(hashSelf, v -> v > 0, 30);
            // The series Prometheus stored, with the documented names and labels.
            assertEquals(1, prom.query("energy_info{estimated=\"true\",source=\"estimate\",sampler=\"async-profiler\"}", Double.NaN).size(),
                    "info metric (these machines have no energy counters: estimated)");
            for (String kind : List.of("measured", "process", "idle", "other_processes")) {
                assertFalse(Double.isNaN(prom.value("energy_joules_total{domain=\"package:0\",kind=\"" + kind + "\"}", Double.NaN)), kind);
            }
            assertFalse(Double.isNaN(prom.value("energy_power_watts{domain=\"package:0\"}", Double.NaN)));
            assertFalse(Double.isNaN(prom.value("energy_agent_cpu_seconds_total", Double.NaN)));
            assertFalse(Double.isNaN(prom.value("energy_session_start_time_seconds", Double.NaN)));
            // A lambda's name ($) survives the library's exposition and Prometheus's parser unchanged.
            // (Its own series: a lambda body is not woven, so it is a sampled frame; prometheus.methods=1000 gives
            // every method a place, and a scrape or two may pass before its first sample is in a profile.)
            prom.awaitValue(sel(PKG + "lambda$guarded$1", "inclusive"), v -> v > 0, 30);
            double startTime1 = prom.value("energy_session_start_time_seconds", Double.NaN);

            // Quiet, then the agent's own summary against what Prometheus holds.
            Map<String, double[]> dump1 = quietThenDump(pid, dir.resolve("dump1"));
            Map<String, Double> v1 = awaitSettled(prom, dump1.keySet());
            for (String m : HANDLERS) {
                assertWithinBound(m + " after session 1", dump1.get(m), v1.get(m));
            }

            // Reconfiguration: start again while running. Counters carry on from session 1's final figures.
            AttachIT.Cli again = cli(pid, "start", "include=io.energy.samples.**", "prometheus.methods=1000", "out=" + dir.resolve("out2"),
                    "prometheus=" + metricsPort, "checkpoint=0");
            assertEquals(0, again.code(), again.toString());
            assertTrue(again.out().contains("reconfigured"), again.toString());
            load(service, 3);
            Map<String, double[]> dump2 = quietThenDump(pid, dir.resolve("dump2"));
            Map<String, Double> v2 = awaitSettled(prom, dump2.keySet());
            for (String m : HANDLERS) {
                double[] d = dump2.get(m);
                assertWithinBound(m + " over session 2 (Prometheus's increase since the end of session 1)",
                        d, v2.get(m) - v1.get(m));
            }
            double tReconfigured = now();
            assertEquals(0.0, prom.value("resets(energy_joules_total{kind=\"measured\"}[" + secs(tReconfigured - tBegin) + "])", Double.NaN),
                    "a reconfiguration is not a counter reset");
            assertEquals(0.0, prom.value("sum(resets(energy_method_joules_total[" + secs(tReconfigured - tBegin) + "]))", Double.NaN));
            assertEquals(startTime1, prom.value("energy_session_start_time_seconds", Double.NaN));

            // The exposition itself: promtool's linter and the OpenMetrics negotiation.
            String text = scrape(endpoint, null);
            String[] lint = PrometheusServer.promtoolCheck(dir, text);
            assertEquals("0", lint[0], "promtool check metrics:\n" + lint[1] + "\n" + text);
            String om = scrape(endpoint, "application/openmetrics-text; version=1.0.0; charset=utf-8");
            assertTrue(om.contains("# UNIT energy_joules joules") && om.endsWith("# EOF\n"), om);

            // Stop: the endpoint closes (Prometheus sees the target down); start: counters from zero, new start time.
            AttachIT.Cli stop = cli(pid, "stop");
            assertEquals(0, stop.code(), stop.toString());
            assertClosed(endpoint);
            prom.awaitValue("up{job=\"energy\"}", v -> v == 0, 20);
            AttachIT.Cli restart = cli(pid, "start", "include=io.energy.samples.**", "prometheus.methods=1000", "out=" + dir.resolve("out3"),
                    "prometheus=" + metricsPort, "checkpoint=0");
            assertEquals(0, restart.code(), restart.toString());
            load(service, 2);
            double startTime3 = prom.awaitValue("energy_session_start_time_seconds", v -> v > startTime1, 30);
            prom.awaitValue(hashSelf, v -> v > 0, 30);
            Thread.sleep(2_000);
            double tEnd = now();
            String window = "[" + secs(tEnd - tBegin) + "]";
            assertEquals(1.0, prom.value("resets(energy_joules_total{kind=\"measured\"}" + window + ")", Double.NaN),
                    "the stop/start is exactly one counter reset");
            assertTrue(startTime3 > startTime1);
            for (String q : List.of("rate(energy_method_joules_total[3s])", "rate(energy_joules_total[3s])",
                    "rate(energy_agent_cpu_seconds_total[3s])")) {
                List<Double> rates = prom.rangeValues(q, tBegin, tEnd);
                assertTrue(rates.size() >= 10, q + ": " + rates.size() + " points");
                for (double r : rates) {
                    assertTrue(r >= 0, q + " went negative: " + r);
                }
            }
            service.get("/quit");
            assertEquals(0, service.awaitExit());
        }
    }

    private static String sel(String method, String kind) {
        return "energy_method_joules_total{domain=\"package:0\",kind=\"" + kind + "\",method=\"" + method + "\"}";
    }

    private static void assertWithinBound(String what, double[] summary, double prometheus) {
        double selfJ = summary[0];
        double bound = summary[1];
        assertTrue(selfJ > 0, what + ": the summary has energy for it");
        assertEquals(selfJ, prometheus, bound + 1e-6, what + ": summary " + selfJ + " ± " + bound + " J, Prometheus " + prometheus);
    }

    /**
     * Stops the load's effect (the callers stopped sending), lets the last intervals close and the scrape
     * cache expire, then dumps: per handler, inclusiveJ and inclusiveBoundJ of the package domain from energy-summary.json.
     */
    private Map<String, double[]> quietThenDump(String pid, Path out) throws Exception {
        Thread.sleep(1_500);
        AttachIT.Cli dump = cli(pid, "dump", "--out", out.toString());
        assertEquals(0, dump.code(), dump.toString());
        JsonNode summary = JSON.readTree(out.resolve("energy-summary.json").toFile());
        Map<String, double[]> m = new LinkedHashMap<>();
        StringBuilder seen = new StringBuilder();
        for (JsonNode n : summary.get("methods")) {
            if (HANDLERS.contains(n.get("name").asText())) {
                JsonNode d = n.get("domains").get("package:0");
                m.put(n.get("name").asText(), new double[]{d.get("inclusiveJ").asDouble(),
                        d.get("inclusiveBoundJ").asDouble()});
                seen.append(n).append('\n');
            }
        }
        assertEquals(HANDLERS.size(), m.size(), "every handler in the summary: " + m.keySet());
        for (double[] d : m.values()) {
            // What the dump said, kept in the message: a handler with no energy is a fault to be explained.
            assertTrue(d[0] > 0, "a handler without energy in " + out + ":\n" + seen + "buckets " + summary.get("buckets")
                    + "\nhealth " + summary.get("health") + "\nsampler " + summary.get("sampler") + "\nnotes " + summary.get("notes")
                    + "\nduration " + summary.get("durationSeconds") + " s, totals " + summary.get("totals"));
        }
        return m;
    }

    /** Prometheus's latest inclusive joules per method, once two successive reads agree (no new scrape changes them). */
    private static Map<String, Double> awaitSettled(PrometheusServer prom, Iterable<String> methods) throws Exception {
        Map<String, Double> last = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            Thread.sleep(2_500); // more than two scrapes and the 1 s profile cache
            Map<String, Double> now = new LinkedHashMap<>();
            for (String m : methods) {
                now.put(m, prom.value(sel(m, "inclusive"), Double.NaN));
            }
            if (now.equals(last)) {
                return now;
            }
            last = now;
        }
        throw new AssertionError("Prometheus's values did not settle: " + last);
    }

    /**
     * Drives every endpoint from three clients for {@code seconds}. Each lane's request is sized to take tens of
     * milliseconds of CPU: a lane spends ~90 ms per round trip here (the JDK's HTTP server and client), and at
     * {@code /json?n=500} handleJson had about 7 samples of 10 ms in session 2's three seconds, few enough
     * that a slower CI machine twice saw none and the check of its joules had nothing to check.
     */
    private static void load(AttachIT.Service service, int seconds) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService clients = Executors.newFixedThreadPool(3);
        List<Future<Integer>> lanes = new ArrayList<>();
        String[][] paths = {{"/hash?n=64", "/health"}, {"/sort?n=200000", "/health"}, {"/json?n=5000", "/health"}};
        for (String[] lane : paths) {
            lanes.add(clients.submit(() -> {
                int n = 0;
                while (!stop.get()) {
                    service.get(lane[n++ % lane.length]);
                }
                return n;
            }));
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Future<Integer> f : lanes) {
            assertTrue(f.get(60, TimeUnit.SECONDS) > 1);
        }
        clients.shutdownNow();
    }

    private String scrape(String url, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (accept != null) {
            b.header("Accept", accept);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        if (accept != null) {
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text"),
                    r.headers().toString());
        }
        return r.body();
    }

    private void assertClosed(String url) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try {
                http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
            } catch (IOException refused) {
                return;
            }
            Thread.sleep(100);
        }
        fail("the endpoint still answers after stop: " + url);
    }

    private static double now() {
        return System.currentTimeMillis() / 1000.0;
    }

    private static String secs(double s) {
        return (long) Math.ceil(s + 1) + "s";
    }

    private AttachIT.Cli cli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(JAVA, "-jar", CLI.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put(AgentJar.ENV, AGENT.toString());
        Path o = Files.createTempFile(dir, "cli-", ".out");
        Path e = Files.createTempFile(dir, "cli-", ".err");
        Process p = pb.redirectOutput(o.toFile()).redirectError(e.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out: " + command);
        }
        return new AttachIT.Cli(p.exitValue(), Files.readString(o), Files.readString(e));
    }
}

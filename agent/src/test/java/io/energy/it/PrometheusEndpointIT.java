package io.energy.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.energy.config.ConfigParser;
import io.energy.config.MetricsOptions;
import io.energy.metrics.PrometheusEndpoint;
import io.energy.metrics.Profiles;
import io.energy.report.EnergyProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
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
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Prometheus endpoint against real parts: a real Prometheus parsing our exposition, and an application
 * that brings its own Prometheus client. */
class PrometheusEndpointIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /**
     * Method names that a hand-written exposition gets wrong: a lambda's $, non-ASCII letters, a quote, a
     * backslash, a newline (the JVM forbids only . ; [ / < > in a method's name, and other JVM languages use
     * the freedom). They go through the library's writer and Prometheus's parser and must come back unchanged.
     */
    @Test
    void hostileMethodNamesComeBackFromPrometheusUnchanged() throws Exception {
        List<String> names = List.of("com.acme.Svc.lambda$handle$0", "com.acme.Größe.berechne€",
                "com.acme.K.say \"hi\"", "com.acme.Back\\slash.m", "com.acme.New\nline.m", "日本.クラス.メソッド");
        Map<String, Long> self = new LinkedHashMap<>();
        long nj = 1_000_000_000L;
        for (String n : names) {
            self.put(n, nj);
            nj += 1_000_000_000L;
        }
        EnergyProfile profile = Profiles.flat(self, 500_000_000L);
        int port = PrometheusServer.freePort();
        MetricsOptions options = ConfigParser.parse("prometheus=" + port, new Properties()).metrics();
        String said = PrometheusEndpoint.sessionStarted(options, fixed(profile), null, p -> {
            throw new AssertionError(p);
        });
        try (PrometheusServer prom = PrometheusServer.start(dir.resolve("prom"), "127.0.0.1:" + port)) {
            assertEquals("prometheus metrics at http://127.0.0.1:" + port + "/metrics\n", said);
            prom.awaitValue("count(energy_method_joules_total{kind=\"self\"})", v -> v >= names.size(), 30);
            Set<String> stored = new TreeSet<>();
            for (JsonNode s : prom.query("energy_method_joules_total{kind=\"self\"}", Double.NaN)) {
                stored.add(s.get("metric").get("method").asText());
                String m = s.get("metric").get("method").asText();
                if (self.containsKey(m)) {
                    assertEquals(self.get(m) / 1e9, Double.parseDouble(s.get("value").get(1).asText()), 1e-9, m);
                }
            }
            for (String n : names) {
                assertTrue(stored.contains(n), "Prometheus has " + stored + ", not " + n);
            }
            String text = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            String[] lint = PrometheusServer.promtoolCheck(dir, text);
            assertEquals("0", lint[0], lint[1] + "\n" + text);
        } finally {
            PrometheusEndpoint.sessionStopped();
        }
    }

    /**
     * The endpoint is off by default and then costs nothing: not one class of the Prometheus client or of the
     * JDK's HTTP server is loaded. With prometheus=0 they are (so the class log would show them).
     */
    @Test
    void withTheEndpointOffNoClassOfTheClientIsLoaded() throws Exception {
        // Off: a whole run, start to exit (outputs written), loads nothing of the endpoint.
        Path off = dir.resolve("off");
        Files.createDirectories(off);
        ForkedJvm.Result r = ForkedJvm.run(off, 60, ForkedJvm.java(null), "-Xlog:class+load:file=" + off.resolve("classes.txt"),
                ForkedJvm.agentArg("include=io.energy.it.apps.**,out=" + off.resolve("out")),
                "-cp", ForkedJvm.TEST_CLASSES.toString(), "io.energy.it.apps.Workload", "plain");
        assertEquals(0, r.exitCode(), r.stderr());
        assertFalse(endpointClasses(Files.readString(off.resolve("classes.txt"))), "endpoint off: its classes were loaded");
        // On (the control: the same log shows them once the endpoint listens).
        Path on = dir.resolve("on");
        Files.createDirectories(on);
        Process p = ForkedJvm.start(on, List.of(ForkedJvm.java(null), "-Xlog:class+load:file=" + on.resolve("classes.txt"),
                ForkedJvm.agentArg("include=io.energy.it.apps.**,out=" + on.resolve("out") + ",prometheus=0"),
                "-cp", ForkedJvm.TEST_CLASSES.toString(), "io.energy.it.apps.Workload", "serve"));
        try {
            await(on.resolve("stderr.txt"), Pattern.compile("prometheus metrics at (http://\\S+)"));
            assertTrue(endpointClasses(Files.readString(on.resolve("classes.txt"))), "endpoint on: its classes in the log");
        } finally {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A session that always serves {@code profile}, as the path sampler at 10 ms would. */
    private static PrometheusEndpoint.Session fixed(EnergyProfile profile) {
        return new PrometheusEndpoint.Session() {
            @Override
            public EnergyProfile profile(long maxAgeNanos) {
                return profile;
            }

            @Override
            public String sampler() {
                return "instrumented-paths";
            }

            @Override
            public double samplePeriodSeconds() {
                return 0.01;
            }
        };
    }

    private static boolean endpointClasses(String classLog) {
        return classLog.contains("io.energy.shaded.prometheus.") || classLog.contains("io.energy.metrics.")
                || classLog.contains("sun.net.httpserver.");
    }

    /** A port already taken is one message, in the start's answer and in status; nothing is thrown. */
    @Test
    void aPortAlreadyTakenIsOneMessageAndNoException() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            MetricsOptions options = ConfigParser.parse("prometheus=" + taken.getLocalPort(), new Properties()).metrics();
            List<String> problems = new ArrayList<>();
            EnergyProfile profile = Profiles.flat(Map.of("a.A.run", 1L), 0);
            String said = PrometheusEndpoint.sessionStarted(options, fixed(profile), null, problems::add);
            assertEquals(1, problems.size(), problems.toString());
            assertTrue(said.startsWith("the Prometheus endpoint could not listen on 127.0.0.1:" + taken.getLocalPort()), said);
            assertTrue(said.contains("measuring goes on without it"), said);
            assertTrue(PrometheusEndpoint.statusLine().startsWith("prometheus: the Prometheus endpoint could not listen"),
                    PrometheusEndpoint.statusLine());
            assertEquals(null, PrometheusEndpoint.url());
        } finally {
            PrometheusEndpoint.sessionStopped();
        }
    }

    /**
     * An application with its own io.prometheus client on the class path, under the agent with the endpoint:
     * each endpoint serves only its own metrics, the application's classes come from its own jars, the
     * agent's core jar carries the client only under a relocated name, and the JVM still ends when main
     * returns (the endpoint's threads are daemons).
     */
    @Test
    void anApplicationWithItsOwnPrometheusClientAndTheAgentsDoNotMeet() throws Exception {
        try (ZipFile core = new ZipFile(ForkedJvm.AGENT_JAR.toFile())) {
            Path nested = dir.resolve("energy-core.jar");
            try (var in = core.getInputStream(core.getEntry("META-INF/energy/energy-core.jar"))) {
                Files.copy(in, nested);
            }
            try (ZipFile z = new ZipFile(nested.toFile())) {
                assertTrue(z.stream().noneMatch(e -> e.getName().startsWith("io/prometheus/")),
                        "no unrelocated io/prometheus classes in the agent's core");
                assertTrue(z.stream().anyMatch(e -> e.getName().startsWith("io/energy/shaded/prometheus/metrics/exporter/httpserver/")));
            }
        }
        List<String> cp = new ArrayList<>(List.of(ForkedJvm.TEST_CLASSES.toString()));
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (e.contains("io" + File.separator + "prometheus")) {
                cp.add(e);
            }
        }
        assertTrue(cp.size() > 3, "the app's own Prometheus jars: " + cp);
        Path work = dir.resolve("app");
        Files.createDirectories(work);
        Process p = ForkedJvm.start(work, List.of(ForkedJvm.java(null),
                ForkedJvm.agentArg("include=io.energy.it.apps.PrometheusApp,prometheus=0,out=" + work.resolve("out")),
                "-cp", String.join(File.pathSeparator, cp), "io.energy.it.apps.PrometheusApp"));
        try {
            String appPort = await(work.resolve("stdout.txt"), Pattern.compile("app metrics on port (\\d+)"));
            String ours = await(work.resolve("stderr.txt"), Pattern.compile("prometheus metrics at (http://127\\.0\\.0\\.1:\\d+/metrics)"));
            // The app prints where its registry class came from right after its port: wait for that line too.
            await(work.resolve("stdout.txt"), Pattern.compile("app registry from (\\S+)"));
            String stdout = ForkedJvm.read(work.resolve("stdout.txt"));
            assertFalse(stdout.contains("energy-core") || stdout.contains("energy.jar"), stdout);
            assertTrue(stdout.contains("prometheus-metrics-model"), "the app's registry class is its own: " + stdout);
            Thread.sleep(1_500);
            String app = get("http://127.0.0.1:" + appPort + "/metrics");
            // A method has its own series once it has energy, i.e. after a harvest of the stack sampler; harvests
            // are spaced by their cost (up to 5 s apart; early on at most the run's age or 1 s), and a
            // scrape does not force one.
            String method = "method=\"io.energy.it.apps.PrometheusApp.work\"";
            String agent = get(ours);
            for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                 !agent.contains(method) && System.nanoTime() < deadline; agent = get(ours)) {
                Thread.sleep(250);
            }
            assertTrue(app.contains("app_requests_total 3.0"), app);
            assertFalse(app.contains("energy_"), app);
            assertTrue(agent.contains("energy_joules_total{domain=\"package:0\",kind=\"measured\"}"), agent);
            assertTrue(agent.contains(method), agent);
            assertFalse(agent.contains("app_requests"), agent);
            Files.writeString(work.resolve("quit"), "");
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the JVM ends when main returns, endpoint or not");
            assertEquals(0, p.exitValue(), ForkedJvm.read(work.resolve("stderr.txt")));
        } finally {
            p.destroyForcibly();
        }
    }

    private static String await(Path file, Pattern pattern) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Matcher m = pattern.matcher(ForkedJvm.read(file));
            if (m.find()) {
                return m.group(1);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + pattern + " in " + file + ":\n" + ForkedJvm.read(file));
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }
}

package io.energy.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real Prometheus server (Debian's {@code prometheus} package; CI installs it in .ci/run) scraping
 * localhost targets every second, with its data in a temporary directory, queried through its HTTP API.
 * Missing binary: a failure in CI ({@code CI=true}), a skip with the reason elsewhere.
 */
public final class PrometheusServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PrometheusServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** The prometheus (or promtool) binary: -Denergy.prometheus.dir=DIR, else /usr/bin. */
    public static Path binary(String name) {
        Path p = Path.of(System.getProperty("energy.prometheus.dir", "/usr/bin"), name);
        if (!Files.isExecutable(p)) {
            String why = "no " + name + " at " + p + " (apt-get install prometheus; .ci/run installs it)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(why + ": in CI this test must run");
            }
            Assumptions.abort(why + ": skipped outside CI");
        }
        return p;
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Starts Prometheus scraping {@code target} (host:port) every second; returns once it is ready. */
    public static PrometheusServer start(Path dir, String target) throws Exception {
        Path bin = binary("prometheus");
        Files.createDirectories(dir);
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, String.join("\n",
                "global:",
                "  scrape_interval: 1s",
                "  scrape_timeout: 1s",
                "  evaluation_interval: 1s",
                "scrape_configs:",
                "  - job_name: energy",
                "    static_configs:",
                "      - targets: ['" + target + "']",
                ""));
        int port = freePort();
        Path log = dir.resolve("prometheus.log");
        Process p = new ProcessBuilder(bin.toString(), "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PrometheusServer s = new PrometheusServer(p, port, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && p.isAlive()) {
            try {
                if (s.get("/-/ready").statusCode() == 200) {
                    return s;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        s.close();
        throw new AssertionError("prometheus did not become ready:\n" + Files.readString(log));
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** /api/v1/query at {@code atSeconds} (epoch seconds; NaN = now): the result vector. */
    public JsonNode query(String promql, double atSeconds) throws Exception {
        String path = "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + (Double.isNaN(atSeconds) ? "" : "&time=" + atSeconds);
        return data(path).get("result");
    }

    /** /api/v1/query_range: the result matrix. */
    public JsonNode queryRange(String promql, double start, double end, double step) throws Exception {
        return data("/api/v1/query_range?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + "&start=" + start + "&end=" + end + "&step=" + step).get("result");
    }

    private JsonNode data(String path) throws Exception {
        HttpResponse<String> r = get(path);
        JsonNode n = JSON.readTree(r.body());
        if (r.statusCode() != 200 || !"success".equals(n.path("status").asText())) {
            throw new AssertionError("prometheus answered " + r.statusCode() + " to " + path + ": " + r.body());
        }
        return n.get("data");
    }

    /** The single value of an instant query, or NaN when it has no result. */
    public double value(String promql, double atSeconds) throws Exception {
        JsonNode result = query(promql, atSeconds);
        if (result.size() == 0) {
            return Double.NaN;
        }
        if (result.size() > 1) {
            throw new AssertionError(promql + " has " + result.size() + " series: " + result);
        }
        return Double.parseDouble(result.get(0).get("value").get(1).asText());
    }

    /** Waits (bounded) until the instant query has a result satisfying {@code ok}. */
    public double awaitValue(String promql, java.util.function.DoublePredicate ok, long timeoutSeconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        double v = Double.NaN;
        while (System.nanoTime() < deadline) {
            v = value(promql, Double.NaN);
            if (!Double.isNaN(v) && ok.test(v)) {
                return v;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("timed out waiting for " + promql + " (last " + v + ")\n" + log());
    }

    /** Every sample value of a range query, over all series. */
    public List<Double> rangeValues(String promql, double start, double end) throws Exception {
        List<Double> out = new ArrayList<>();
        for (JsonNode series : queryRange(promql, start, end, 1)) {
            for (JsonNode v : series.get("values")) {
                out.add(Double.parseDouble(v.get(1).asText()));
            }
        }
        return out;
    }

    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Runs {@code promtool check metrics} on an exposition; returns exit code and output. */
    public static String[] promtoolCheck(Path dir, String exposition) throws Exception {
        Path in = Files.writeString(dir.resolve("scrape.txt"), exposition);
        Path out = dir.resolve("promtool.out");
        Process p = new ProcessBuilder(binary("promtool").toString(), "check", "metrics").redirectInput(in.toFile())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("promtool did not finish");
        }
        return new String[]{Integer.toString(p.exitValue()), Files.readString(out)};
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}

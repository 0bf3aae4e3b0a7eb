package io.energy.it.apps;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * An application with its own Prometheus client (unrelocated io.prometheus classes on the class path):
 * a counter in the default registry, its own HTTP server; works until the file {@code quit} appears
 * (at most 60 s), then closes its server and returns, so the JVM ends only if nothing of the agent keeps it.
 */
public final class PrometheusApp {
    private PrometheusApp() {
    }

    public static void main(String[] args) throws Exception {
        Counter requests = Counter.builder().name("app_requests_total").help("the app's own counter").register();
        requests.inc(3);
        try (HTTPServer server = HTTPServer.builder().port(0).buildAndStart()) {
            System.out.println("app metrics on port " + server.getPort());
            System.out.println("app registry from " + PrometheusRegistry.class.getProtectionDomain().getCodeSource().getLocation());
            System.out.flush();
            long deadline = System.nanoTime() + 60_000_000_000L;
            byte[] block = new byte[1 << 16];
            while (!Files.exists(Path.of("quit")) && System.nanoTime() < deadline) {
                work(block);
            }
        }
    }

    static void work(byte[] block) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < 64; i++) {
            block[i] ^= sha.digest(block)[0];
        }
    }
}

package io.energy.samples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceSampleTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void endpointsAnswerOnAnEphemeralPort() throws Exception {
        try (ServiceSample service = ServiceSample.start(0)) {
            int port = service.port();
            assertTrue(port > 0);
            assertEquals("ok\n", get(port, "/health").body());

            HttpResponse<String> hash = get(port, "/hash?n=2");
            assertEquals(200, hash.statusCode());
            assertEquals("sha256 " + expectedHash(2) + "\n", hash.body());

            HttpResponse<String> sort = get(port, "/sort?n=1001");
            assertEquals(200, sort.statusCode());
            assertTrue(sort.body().startsWith("median 0."), sort.body());

            HttpResponse<String> json = get(port, "/json?n=10");
            assertEquals(200, json.statusCode());
            assertTrue(json.body().startsWith("{\"orders\":10,\"total\":11.25,"), json.body());
            assertTrue(json.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));

            assertEquals(4, service.requests());
        }
    }

    @Test
    void badParametersAnswer400AndUnknownPaths404() throws Exception {
        try (ServiceSample service = ServiceSample.start(0)) {
            HttpResponse<String> notNumber = get(service.port(), "/hash?n=lots");
            assertEquals(400, notNumber.statusCode());
            assertEquals("n must be an integer, got 'lots'\n", notNumber.body());
            assertEquals(400, get(service.port(), "/sort?n=0").statusCode());
            assertEquals(400, get(service.port(), "/hash?n=" + (ServiceSample.MAX_HASH_BLOCKS + 1)).statusCode());
            assertEquals(404, get(service.port(), "/nothing-here").statusCode());
            assertEquals("ok\n", get(service.port(), "/health").body()); // still serving
        }
    }

    @Test
    void quitAnswersByeThenReleasesTheWaiterAndClosingStopsListening() throws Exception {
        ServiceSample service = ServiceSample.start(0);
        int port = service.port();
        assertTrue(!service.awaitQuit(10, TimeUnit.MILLISECONDS));
        assertEquals("bye\n", get(port, "/quit").body());
        assertTrue(service.awaitQuit(10, TimeUnit.SECONDS));
        service.close();
        assertThrows(ConnectException.class, () -> get(port, "/health"));
    }

    @Test
    void runPrintsExactlyOneListeningLineAndExitsZeroAfterQuit() throws Exception {
        PipedInputStream pipe = new PipedInputStream(1 << 16);
        PrintStream out = new PrintStream(new PipedOutputStream(pipe), true, StandardCharsets.UTF_8);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> {
            try {
                return Samples.run(new String[] {"service", "port=0"}, out, out);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                out.close();
            }
        });
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        int port = -1;
        int c;
        while ((c = pipe.read()) >= 0) {
            if (c != '\n') {
                line.append((char) c);
                continue;
            }
            lines.add(line.toString());
            Matcher m = Pattern.compile("listening on port (\\d+)").matcher(line);
            if (m.matches()) {
                port = Integer.parseInt(m.group(1));
                assertEquals("bye\n", get(port, "/quit").body());
            }
            line.setLength(0);
        }
        assertEquals(0, exit.get(30, TimeUnit.SECONDS));
        assertEquals(List.of("listening on port " + port, "service sample: stopped after 1 requests"), lines);
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** What /hash?n= must answer: SHA-256 over n blocks from Random(n), computed independently. */
    private static String expectedHash(int blocks) throws Exception {
        Random random = new Random(blocks);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] block = new byte[64 * 1024];
        for (int i = 0; i < blocks; i++) {
            random.nextBytes(block);
            sha.update(block);
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}

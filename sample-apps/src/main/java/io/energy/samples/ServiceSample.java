package io.energy.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code service [port=0] [host=127.0.0.1] [threads=4]}: a small HTTP service (the JDK's built-in server)
 * whose endpoints cost very different amounts of energy per request, for attach demos and tests.
 *
 * <ul>
 *   <li>{@code /hash?n=16}: SHA-256 over n 64 KiB blocks (default 16 = 1 MiB): expensive, and the cost
 *       scales with n;</li>
 *   <li>{@code /sort?n=100000}: sorts n random doubles: medium;</li>
 *   <li>{@code /json?n=500}: builds n orders, writes them as JSON and parses them back with the app's own
 *       Jackson: medium, allocation-heavy;</li>
 *   <li>{@code /health}: answers {@code ok}: nearly free, so it is the top endpoint by calls and the
 *       bottom by energy under a health-checking load balancer;</li>
 *   <li>{@code /quit}: answers {@code bye} and stops the service (the process then exits).</li>
 * </ul>
 *
 * <p>When it is ready it prints exactly one line {@code listening on port NNNN} to standard output; tests
 * and scripts parse it to learn the port, which is why the default port is 0 (any free port): a fixed
 * default would fail whenever that port is taken. It runs until {@code /quit} or until it is killed.
 * Each endpoint has its own handler method ({@link #handleHash} …) so that the agent can be told to
 * instrument exactly those.
 */
public final class ServiceSample implements AutoCloseable {
    static final int MAX_HASH_BLOCKS = 4_096;
    static final int MAX_SORT = 10_000_000;
    static final int MAX_JSON_ORDERS = 100_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;
    private final CountDownLatch quit = new CountDownLatch(1);
    private final AtomicLong requests = new AtomicLong();

    private ServiceSample(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    public static void main(String[] args) throws Exception {
        int code = run(args, System.out);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Starts the service, announces the port, and returns 0 once {@code /quit} has been requested. */
    public static int run(String[] args, PrintStream out) throws Exception {
        Args parsed = new Args("service", args).allow("port", "host", "threads").maxPositional(0);
        int port = (int) parsed.option("port", 0, 0, 65_535);
        int threads = (int) parsed.option("threads", 4, 1, 256);
        InetAddress host = InetAddress.getByName(parsed.text("host", "127.0.0.1"));
        try (ServiceSample service = start(host, port, threads)) {
            out.println("listening on port " + service.port());
            out.flush();
            service.awaitQuit();
            out.println("service sample: stopped after " + service.requests() + " requests");
        }
        return 0;
    }

    /** Starts the service on the loopback interface; {@code port} 0 picks a free port. */
    public static ServiceSample start(int port) throws IOException {
        return start(InetAddress.getLoopbackAddress(), port, 4);
    }

    /** Starts the service with {@code threads} request threads; returns once it accepts connections. */
    public static ServiceSample start(InetAddress host, int port, int threads) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
        AtomicInteger next = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "http-worker-" + next.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        ServiceSample service = new ServiceSample(server, executor);
        server.createContext("/hash", service.guarded(service::handleHash));
        server.createContext("/sort", service.guarded(service::handleSort));
        server.createContext("/json", service.guarded(service::handleJson));
        server.createContext("/health", service.guarded(service::handleHealth));
        server.createContext("/quit", service.guarded(service::handleQuit));
        server.setExecutor(executor);
        server.start();
        return service;
    }

    /** The port actually bound (useful after starting on port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Requests answered so far, on every endpoint. */
    public long requests() {
        return requests.get();
    }

    /** Blocks until a client has requested {@code /quit}. */
    public void awaitQuit() throws InterruptedException {
        quit.await();
    }

    /** Waits up to {@code timeout} for {@code /quit}; true if it came. */
    public boolean awaitQuit(long timeout, TimeUnit unit) throws InterruptedException {
        return quit.await(timeout, unit);
    }

    /** Stops accepting requests at once and ends the request threads. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** {@code /hash?n=16}: SHA-256 over n deterministic 64 KiB blocks; answers the hex digest. */
    void handleHash(HttpExchange exchange) throws Exception {
        int blocks = intParameter(exchange, "n", 16, 1, MAX_HASH_BLOCKS);
        Random random = new Random(blocks);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] block = new byte[64 * 1024];
        for (int i = 0; i < blocks; i++) {
            random.nextBytes(block);
            sha.update(block);
        }
        respond(exchange, 200, "text/plain", "sha256 " + HexFormat.of().formatHex(sha.digest()) + "\n");
    }

    /** {@code /sort?n=100000}: sorts n deterministic random doubles; answers the median. */
    void handleSort(HttpExchange exchange) throws Exception {
        int n = intParameter(exchange, "n", 100_000, 1, MAX_SORT);
        Random random = new Random(n);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextDouble();
        }
        Arrays.sort(values);
        respond(exchange, 200, "text/plain", "median " + values[n / 2] + "\n");
    }

    /**
     * {@code /json?n=500}: builds n orders, serialises them with Jackson and parses the text back, as a
     * service does that receives JSON and calls another JSON service; answers a JSON summary.
     */
    void handleJson(HttpExchange exchange) throws Exception {
        int n = intParameter(exchange, "n", 500, 1, MAX_JSON_ORDERS);
        List<Map<String, Object>> orders = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Map<String, Object> order = new LinkedHashMap<>();
            order.put("id", i);
            order.put("customer", "customer-" + (i % 97));
            order.put("items", List.of("sku-" + i, "sku-" + (i * 7 % 1000)));
            order.put("amount", (i % 1000) * 0.25);
            orders.add(order);
        }
        String text = JSON.writeValueAsString(Map.of("orders", orders));
        JsonNode parsed = JSON.readTree(text);
        double total = 0;
        for (JsonNode order : parsed.get("orders")) {
            total += order.get("amount").asDouble();
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("orders", parsed.get("orders").size());
        summary.put("total", total);
        summary.put("bytes", text.length());
        respond(exchange, 200, "application/json", JSON.writeValueAsString(summary) + "\n");
    }

    /** {@code /health}: nearly free. */
    void handleHealth(HttpExchange exchange) throws Exception {
        respond(exchange, 200, "text/plain", "ok\n");
    }

    /** {@code /quit}: answers first, then releases {@link #awaitQuit} so the response is not cut off. */
    void handleQuit(HttpExchange exchange) throws Exception {
        respond(exchange, 200, "text/plain", "bye\n");
        quit.countDown();
    }

    /** A request parameter that is malformed or out of range: answered with 400 and the message. */
    static final class BadRequest extends Exception {
        BadRequest(String message) {
            super(message);
        }
    }

    /** The work of one endpoint; it may throw, and {@link #guarded} turns that into an HTTP error. */
    @FunctionalInterface
    interface Endpoint {
        void handle(HttpExchange exchange) throws Exception;
    }

    /**
     * Wraps an endpoint so a bad parameter answers 400 and a failure answers 500 instead of the JDK
     * server's default of dropping the connection, and counts the request.
     */
    private HttpHandler guarded(Endpoint endpoint) {
        return exchange -> {
            requests.incrementAndGet();
            try {
                endpoint.handle(exchange);
            } catch (BadRequest e) {
                respond(exchange, 400, "text/plain", e.getMessage() + "\n");
            } catch (IOException e) {
                // the client went away: nothing more to tell it
            } catch (Exception e) {
                respond(exchange, 500, "text/plain", e + "\n");
            } finally {
                exchange.close();
            }
        };
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Reads an integer query parameter, rejecting values outside [min, max] with a message. */
    static int intParameter(HttpExchange exchange, String name, int fallback, int min, int max)
            throws BadRequest {
        String query = exchange.getRequestURI().getRawQuery();
        if (query == null) {
            return fallback;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (!key.equals(name)) {
                continue;
            }
            String text = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            int value;
            try {
                value = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new BadRequest(name + " must be an integer, got '" + text + "'");
            }
            if (value < min || value > max) {
                throw new BadRequest(String.format(Locale.ROOT, "%s must be in [%d, %d], got %d",
                        name, min, max, value));
            }
            return value;
        }
        return fallback;
    }
}

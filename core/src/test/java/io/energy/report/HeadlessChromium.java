package io.energy.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Debian's Chromium, headless, driven over the DevTools protocol (JDK WebSocket + Jackson): the tests click,
 * hover and type with real input events and read the page's DOM, as a person would see it.
 */
final class HeadlessChromium implements AutoCloseable {
    static final Path BINARY = Path.of(System.getProperty("energy.chromium", "/usr/bin/chromium"));
    private static final long TIMEOUT_S = 30;

    private final ObjectMapper json = new ObjectMapper();
    private final Process process;
    private final Path profileDir;
    private final Path log;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<String> pageErrors = Collections.synchronizedList(new ArrayList<>());
    private volatile CompletableFuture<Void> loaded = new CompletableFuture<>();

    private HeadlessChromium(Process process, Path profileDir, Path log, String pageSocket) throws Exception {
        this.process = process;
        this.profileDir = profileDir;
        this.log = log;
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(pageSocket), new Listener()).get(TIMEOUT_S, TimeUnit.SECONDS);
        call("Page.enable", null);
        call("Runtime.enable", null);
    }

    /** Starts Chromium with an empty page of the given viewport; fails (never skips) when it is not installed. */
    static HeadlessChromium launch(int width, int height) throws Exception {
        if (!Files.isExecutable(BINARY)) {
            fail("The HTML report's browser tests need Debian's chromium at " + BINARY
                    + ": install it with `apt-get install -y chromium` (CI's .ci/run installs it), "
                    + "or point -Denergy.chromium= at another Chromium binary.");
        }
        Path dir = Files.createTempDirectory("energy-chromium");
        Path log = dir.resolve("chromium.log");
        Process p = new ProcessBuilder(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--no-default-browser-check", "--disable-extensions", "--hide-scrollbars", "--mute-audio",
                "--user-data-dir=" + dir.resolve("profile"), "--remote-debugging-port=0",
                "--window-size=" + width + "," + height, "about:blank")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            // Chromium writes the port it chose into the profile directory once DevTools is listening.
            Path portFile = dir.resolve("profile").resolve("DevToolsActivePort");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
            while (!(Files.exists(portFile) && Files.readAllLines(portFile).size() >= 2)) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("Chromium did not open DevTools (exit " + (p.isAlive() ? "-" : p.exitValue())
                            + "); its log:\n" + Files.readString(log));
                }
                Thread.sleep(50);
            }
            int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
            HttpResponse<String> list = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                            .timeout(Duration.ofSeconds(TIMEOUT_S)).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (JsonNode t : new ObjectMapper().readTree(list.body())) {
                if ("page".equals(t.path("type").asText())) {
                    return new HeadlessChromium(p, dir, log, t.get("webSocketDebuggerUrl").asText());
                }
            }
            throw new IOException("no page target in " + list.body());
        } catch (Exception e) {
            p.destroyForcibly();
            deleteTree(dir);
            throw e;
        }
    }

    /** Opens a page and waits until its load event and until the report's script has drawn it. */
    void open(Path file) throws Exception {
        open(file, "");
    }

    /** Opens a page with a URL fragment ({@code #...}), as a link to a particular view would. */
    void open(Path file, String fragment) throws Exception {
        pageErrors.clear();
        loaded = new CompletableFuture<>();
        ObjectNode params = json.createObjectNode().put("url", file.toUri() + fragment);
        call("Page.navigate", params);
        loaded.get(TIMEOUT_S, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (!eval("document.body && document.body.getAttribute('data-ready') === 'true'").asBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("the report never finished drawing; page errors: " + pageErrors);
            }
            Thread.sleep(20);
        }
    }

    /** Evaluates an expression in the page and returns its value as JSON. */
    JsonNode eval(String expression) throws Exception {
        ObjectNode params = json.createObjectNode().put("expression", expression).put("returnByValue", true);
        JsonNode r = call("Runtime.evaluate", params);
        if (r.has("exceptionDetails")) {
            throw new AssertionError("page threw on `" + expression + "`: " + r.get("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    /** The on-screen box of the first element matching a CSS selector: x, y, width, height (CSS pixels). */
    double[] box(String selector) throws Exception {
        JsonNode r = eval("(() => { const e = document.querySelector(" + json.writeValueAsString(selector) + ");"
                + " if (!e) return null; e.scrollIntoView({block: 'nearest'}); const r = e.getBoundingClientRect();"
                + " return [r.x, r.y, r.width, r.height]; })()");
        if (r.isNull() || r.isMissingNode()) {
            throw new AssertionError("no element matches " + selector);
        }
        return new double[]{r.get(0).asDouble(), r.get(1).asDouble(), r.get(2).asDouble(), r.get(3).asDouble()};
    }

    /** A left click with real mouse events at the centre of the element matching the selector. */
    void click(String selector) throws Exception {
        double[] b = box(selector);
        double x = b[0] + b[2] / 2;
        double y = b[1] + b[3] / 2;
        mouse("mouseMoved", x, y);
        mouse("mousePressed", x, y);
        mouse("mouseReleased", x, y);
    }

    void hover(String selector) throws Exception {
        double[] b = box(selector);
        mouse("mouseMoved", b[0] + b[2] / 2, b[1] + b[3] / 2);
    }

    private void mouse(String type, double x, double y) throws Exception {
        ObjectNode params = json.createObjectNode().put("type", type).put("x", x).put("y", y);
        if (!type.equals("mouseMoved")) {
            params.put("button", "left").put("clickCount", 1);
        }
        call("Input.dispatchMouseEvent", params);
    }

    /** Types text into the focused element, as a keyboard would (input events fire). */
    void type(String text) throws Exception {
        call("Input.insertText", json.createObjectNode().put("text", text));
    }

    byte[] screenshotPng() throws Exception {
        JsonNode r = call("Page.captureScreenshot", json.createObjectNode().put("format", "png"));
        return Base64.getDecoder().decode(r.get("data").asText());
    }

    /** Uncaught exceptions and console errors the page produced since it was opened. */
    List<String> pageErrors() {
        synchronized (pageErrors) {
            return List.copyOf(pageErrors);
        }
    }

    private JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode msg = json.createObjectNode().put("id", id).put("method", method);
        if (params != null) {
            msg.set("params", params);
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        synchronized (socket) {
            socket.sendText(json.writeValueAsString(msg), true).get(TIMEOUT_S, TimeUnit.SECONDS);
        }
        JsonNode r;
        try {
            r = answer.get(TIMEOUT_S, TimeUnit.SECONDS);
        } finally {
            pending.remove(id);
        }
        if (r.has("error")) {
            throw new IOException(method + " failed: " + r.get("error"));
        }
        return r.path("result");
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder part = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            part.append(data);
            if (last) {
                String text = part.toString();
                part.setLength(0);
                try {
                    onMessage(json.readTree(text));
                } catch (IOException e) {
                    pageErrors.add("unreadable DevTools message: " + e);
                }
            }
            ws.request(1);
            return null;
        }

        private void onMessage(JsonNode m) {
            if (m.has("id")) {
                CompletableFuture<JsonNode> f = pending.get(m.get("id").asInt());
                if (f != null) {
                    f.complete(m);
                }
                return;
            }
            String method = m.path("method").asText();
            JsonNode p = m.path("params");
            switch (method) {
                case "Page.loadEventFired" -> loaded.complete(null);
                case "Runtime.exceptionThrown" -> pageErrors.add(p.path("exceptionDetails").toString());
                case "Runtime.consoleAPICalled" -> {
                    if (p.path("type").asText().equals("error")) {
                        pageErrors.add("console.error " + p.path("args"));
                    }
                }
                default -> {
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            socket.abort();
        } finally {
            List<ProcessHandle> helpers = process.descendants().toList();
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // Renderer and zygote processes normally leave with the browser; make sure none outlives the test.
            helpers.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
            deleteTree(profileDir);
        }
    }

    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            // Chromium may still be writing its profile as it exits; a leftover temp dir is harmless.
        }
    }
}

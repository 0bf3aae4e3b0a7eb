package io.energy.attach;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The attach CLI against real, separate JVMs running the sample HTTP service: attach, measure, dump, stop
 * (with calls in flight), check that the original bytecode is back, re-attach; and the ways it refuses.
 * The CLI itself runs on the JDK that runs the tests (17); the targets run on 17 and on 25.
 */
class AttachIT {
    private static final Path AGENT = jar("energy.agent.jar");
    private static final Path SAMPLES = jar("energy.samples.jar");
    private static final Path CLI = jar("energy.attach.jar");
    private static final String JAVA17 = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final String JAVA25 = System.getProperty("energy.java25", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
    private static final String HASH = "io.energy.samples.ServiceSample.handleHash";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static Path jar(String property) {
        String p = System.getProperty(property);
        if (p == null) {
            throw new IllegalStateException("system property " + property + " is not set (failsafe sets it)");
        }
        return Path.of(p).toAbsolutePath().normalize();
    }

    private static String java(String feature) {
        String java = feature.equals("25") ? JAVA25 : JAVA17;
        if (!Files.isExecutable(Path.of(java))) {
            fail("no JDK " + feature + " at " + java + " (set -Denergy.java25=PATH/bin/java)");
        }
        return java;
    }

    @ParameterizedTest(name = "target on JDK {0}")
    @ValueSource(strings = {"17", "25"})
    void attachMeasureDumpStopWithCallsInFlightThenReattach(String feature) throws Exception {
        // Computed while the CLI and the service work: the answer the calls in flight during stop must give.
        // Long calls (256 MiB each, around a second): one that began before the bridge stopped is then still
        // running after the reset, which happens after the final outputs are written.
        CompletableFuture<String> inFlightDigest = CompletableFuture.supplyAsync(() -> digest(IN_FLIGHT_BLOCKS));
        try (Service service = Service.start(dir, java(feature))) {
            String pid = Long.toString(service.pid);
            Cli list = cli("list");
            assertEquals(0, list.code, list.toString());
            assertTrue(list.line(pid).contains(" no "), list.toString());

            Path out = dir.resolve("out");
            Cli start = cli(pid, "start", "include=io.energy.samples.**", "out=" + out);
            assertEquals(0, start.code, start.toString());
            assertTrue(start.out.contains("io.energy.samples.ServiceSample: ") && start.out.contains(" handleHash,"), start.toString());
            int retransformed = number(start.out, "\\((\\d+) loaded class(?:es)? retransformed in");
            assertTrue(retransformed >= 1, start.toString());
            assertEquals(feature.equals("25"), start.err.contains("-XX:+EnableDynamicAgentLoading"), start.toString());
            assertTrue(cli("list").line(pid).contains(" running "), "list shows energy running");

            for (int i = 0; i < 5; i++) {
                assertEquals(digest(32), service.get("/hash?n=32"));
            }
            service.get("/sort?n=50000");
            service.get("/json?n=200");
            assertEquals("ok\n", service.get("/health"));

            Path dumped = dir.resolve("dumped");
            Cli dump = cli(pid, "dump", "--out", dumped.toString());
            assertEquals(0, dump.code, dump.toString());
            assertEquals(5, calls(dumped, HASH), "handleHash calls in the dump");
            Cli status = cli(pid, "status");
            assertEquals(0, status.code, status.toString());
            assertTrue(status.out.contains("methods instrumented:"), status.toString());
            assertTrue(status.out.contains("trivial methods not instrumented: "), status.toString());
            assertTrue(status.out.contains("overhead budget: 1%, counting stopped in "), status.toString());
            assertTrue(java.util.regex.Pattern.compile("counting cost so far: ~\\d+ ms of CPU by the budget's estimate "
                    + "\\(30 ns a call\\): [0-9.]+% of the process's CPU \\(overhead=1%\\); weaving classes \\d+ ms")
                    .matcher(status.out).find(), status.toString());

            // Stop while requests are inside handleHash. Three clients keep the handler busy back to back (it
            // spends nearly all of each request hashing) from before the stop until after it returned, so the
            // reset retransforms ServiceSample while handleHash frames run the instrumented version; those
            // frames must finish normally and answer correctly.
            AtomicBoolean stopReturned = new AtomicBoolean();
            ExecutorService clients = Executors.newFixedThreadPool(3);
            List<Future<List<String>>> lanes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                lanes.add(clients.submit(() -> {
                    List<String> bodies = new ArrayList<>();
                    do {
                        bodies.add(service.get("/hash?n=" + IN_FLIGHT_BLOCKS));
                    } while (!stopReturned.get());
                    return bodies;
                }));
            }
            Thread.sleep(300);
            Cli stop = cli(pid, "stop");
            stopReturned.set(true);
            assertEquals(0, stop.code, stop.toString());
            // Proof that calls were in flight during the reset (issue 14: nothing showed it): the agent counts
            // the threads still inside a call that began before its bridge stopped, after the reset.
            assertTrue(number(stop.out, "threads inside a measured call across the reset: (\\d+)") >= 1, stop.toString());
            for (Future<List<String>> lane : lanes) {
                for (String body : lane.get(120, TimeUnit.SECONDS)) {
                    assertEquals(inFlightDigest.get(), body, "a call in flight during stop completes correctly");
                }
            }
            clients.shutdown();
            assertTrue(stop.out.contains("0 still calling the energy bridge"), stop.toString());
            assertRestored(stop.out, retransformed);
            assertTrue(calls(out, HASH) >= 5, "outputs written at stop");

            Cli after = cli(pid, "status");
            assertEquals(3, after.code, after.toString());
            assertTrue(after.out.contains("classes still instrumented: 0"), after.toString());
            assertRestored(after.out, retransformed);
            assertTrue(cli("list").line(pid).contains(" stopped "), "list shows energy stopped");
            String threads = jcmd(service.pid, "Thread.print");
            assertFalse(threads.contains("\"energy-collector\"") || threads.contains("\"energy-writer\""), threads);
            assertEquals(digest(16), service.get("/hash?n=16"), "the service answers after stop");

            // Attach again: a fresh session that counts from zero.
            Path again = dir.resolve("again");
            Cli restart = cli(pid, "start", "include=io.energy.samples.ServiceSample#handle*", "out=" + again);
            assertEquals(0, restart.code, restart.toString());
            assertFalse(restart.out.contains("reconfigured"), restart.toString());
            service.get("/hash?n=8");
            service.get("/hash?n=8");
            assertEquals(0, cli(pid, "dump").code);
            assertEquals(2, calls(again, HASH), "handleHash calls after re-attaching");

            Cli rejected = cli(pid, "start", "include=io.energy.samples.**", "max.depth=0");
            assertEquals(2, rejected.code, rejected.toString());
            assertTrue(rejected.err.contains("max.depth") && rejected.err.contains("goes on with its previous configuration"),
                    rejected.toString());

            // A start on a JVM that runs energy reconfigures the same agent: the old code goes out first.
            Path third = dir.resolve("third");
            Cli reconfigure = cli(pid, "start", "include=io.energy.samples.ServiceSample#handleSort", "out=" + third);
            assertEquals(0, reconfigure.code, reconfigure.toString());
            assertTrue(reconfigure.out.contains("energy was already running: reconfigured"), reconfigure.toString());
            assertTrue(reconfigure.out.contains("0 still calling the energy bridge"), reconfigure.toString());
            assertTrue(reconfigure.out.contains("instrumented 1 method in 1 class"), reconfigure.toString());
            assertEquals(2, calls(again, HASH), "the previous session's results were written when reconfiguring");
            assertEquals(0, cli(pid, "stop").code);

            assertEquals("bye\n", service.get("/quit"));
            assertEquals(0, service.awaitExit(), service.stderr());
            assertFalse(service.stderr().contains("Exception"), service.stderr());
            assertFalse(service.stderr().contains("internal error"), service.stderr());
        }
    }

    @Test
    void aRejectedOptionComesBackWithTheAgentsMessageAndExitCode2() throws Exception {
        try (Service service = Service.start(dir, JAVA17)) {
            String pid = Long.toString(service.pid);
            Cli bad = cli(pid, "start", "include=io.energy.samples.**", "interval=abc");
            assertEquals(2, bad.code, bad.toString());
            assertTrue(bad.err.contains("rejected the options: option interval='abc' is not a duration"), bad.toString());
            Cli status = cli(pid, "status");
            assertEquals(3, status.code, status.toString());
            assertTrue(status.out.contains("energy is not running"), status.toString());
            assertEquals("ok\n", service.get("/health"));
        }
    }

    @Test
    void aJvmWithTheAttachMechanismDisabledIsExplainedWithoutSignallingIt() throws Exception {
        try (Service withPerfData = Service.start(dir.resolve("a"), JAVA17, "-XX:+DisableAttachMechanism");
             Service without = Service.start(dir.resolve("b"), JAVA25, "-XX:+DisableAttachMechanism", "-XX:-UsePerfData")) {
            Cli list = cli("list");
            assertTrue(list.line(Long.toString(withPerfData.pid)).contains("attach disabled: -XX:+DisableAttachMechanism"),
                    list.toString());
            for (Service s : List.of(withPerfData, without)) {
                long t0 = System.nanoTime();
                Cli start = cli(Long.toString(s.pid), "start", "include=io.energy.samples.**");
                assertEquals(1, start.code, start.toString());
                assertTrue(start.err.contains("was started with -XX:+DisableAttachMechanism, so no tool can attach"),
                        start.toString());
                assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(8), "answered without the attach timeout");
            }
            assertFalse(without.stdout().contains("Full thread dump"), "no SIGQUIT was sent: " + without.stdout());
        }
    }

    @Test
    void aJvmWithoutPerfDataIsMissingFromTheListButCanBeAttached() throws Exception {
        try (Service service = Service.start(dir, JAVA17, "-XX:-UsePerfData")) {
            String pid = Long.toString(service.pid);
            Cli list = cli("list");
            assertEquals("", list.line(pid), list.toString());
            Cli start = cli(pid, "start", "include=io.energy.samples.**", "out=" + dir.resolve("out"));
            assertEquals(0, start.code, start.toString());
            assertTrue(start.err.contains("runs with -XX:-UsePerfData, so `energy-attach list` cannot see it"),
                    start.toString());
            service.get("/hash?n=4");
            assertEquals(0, cli(pid, "stop").code);
            assertEquals(1, calls(dir.resolve("out"), HASH));
        }
    }

    @Test
    void aJava25TargetThatForbidsDynamicAgentsIsRefusedBeforeLoading() throws Exception {
        try (Service service = Service.start(dir, JAVA25, "-XX:-EnableDynamicAgentLoading")) {
            Cli start = cli(Long.toString(service.pid), "start", "include=io.energy.samples.**");
            assertEquals(1, start.code, start.toString());
            assertTrue(start.err.contains("runs with -XX:-EnableDynamicAgentLoading"), start.toString());
            assertFalse(service.stderr().contains("[energy]"), "nothing was loaded: " + service.stderr());
        }
    }

    @Test
    void aJava25TargetWithDynamicAgentsEnabledGetsNoWarningAndNoHint() throws Exception {
        try (Service service = Service.start(dir, JAVA25, "-XX:+EnableDynamicAgentLoading")) {
            Cli start = cli(Long.toString(service.pid), "start", "include=io.energy.samples.**", "out=" + dir.resolve("o"));
            assertEquals(0, start.code, start.toString());
            assertFalse(start.err.contains("EnableDynamicAgentLoading"), start.toString());
            assertEquals(0, cli(Long.toString(service.pid), "stop").code);
            assertFalse(service.stderr().contains("loaded dynamically"), service.stderr());
        }
    }

    @Test
    void aPidThatDoesNotExistIsSaidSo() throws Exception {
        Process gone = new ProcessBuilder(JAVA17, "-version").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        gone.waitFor(30, TimeUnit.SECONDS);
        Cli status = cli(Long.toString(gone.pid()), "status");
        assertEquals(1, status.code, status.toString());
        assertTrue(status.err.contains("no process with pid " + gone.pid()), status.toString());
    }

    @Test
    void theLauncherScriptRunsTheCliAndDoctorRunsTheAgentsDoctor() throws Exception {
        Path script = CLI.resolveSibling("energy-attach");
        assertTrue(Files.isExecutable(script), script + " is executable");
        ProcessBuilder pb = new ProcessBuilder(script.toString(), "help");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Cli help = run(pb);
        assertEquals(0, help.code, help.toString());
        assertTrue(help.out.contains("energy-attach <pid> stop"), help.toString());
        ProcessBuilder doctorInDir = new ProcessBuilder(JAVA17, "-jar", CLI.toString(), "doctor").directory(dir.toFile());
        doctorInDir.environment().put(AgentJar.ENV, AGENT.toString());
        Cli doctor = run(doctorInDir);
        assertEquals(0, doctor.code, doctor.toString());
        assertTrue(doctor.out.contains("energy doctor: power sources on this machine"), doctor.toString());
        assertFalse(doctor.err.contains("[energy] measuring"), "the doctor measures nothing: " + doctor);
        assertFalse(Files.exists(dir.resolve("energy-out")), "the doctor writes no outputs");
    }

    // ---------------------------------------------------------------------------------------------------

    private static void assertRestored(String text, int retransformedAtStart) {
        Matcher m = Pattern.compile("original bytecode restored in (\\d+) class(?:es)?: (\\d+) byte-identical to before "
                + "start, 0 still calling the energy bridge").matcher(text);
        assertTrue(m.find(), text);
        int restored = Integer.parseInt(m.group(1));
        assertTrue(restored >= retransformedAtStart, text);
        assertEquals(restored, Integer.parseInt(m.group(2)), "every restored class is byte-identical: " + text);
    }

    private static int number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "'" + regex + "' in " + text);
        return Integer.parseInt(m.group(1));
    }

    private static long calls(Path out, String method) throws IOException {
        JsonNode summary = JSON.readTree(out.resolve("energy-summary.json").toFile());
        for (JsonNode m : summary.get("methods")) {
            if (m.get("name").asText().equals(method)) {
                return m.get("calls").asLong();
            }
        }
        return 0;
    }

    /** What /hash?n=blocks must answer, computed the way the service documents it. */
    /** Blocks of 64 KiB per request while stopping: long enough to span the stop's reset. */
    private static final int IN_FLIGHT_BLOCKS = 4096;

    private static String digest(int blocks) {
        Random random = new Random(blocks);
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] block = new byte[64 * 1024];
        for (int i = 0; i < blocks; i++) {
            random.nextBytes(block);
            sha.update(block);
        }
        return "sha256 " + HexFormat.of().formatHex(sha.digest()) + "\n";
    }

    private String jcmd(long pid, String command) throws Exception {
        return run(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid), command)).out;
    }

    record Cli(int code, String out, String err) {
        /** The list line of a pid, or "" if it is not listed. */
        String line(String pid) {
            for (String l : out.split("\n")) {
                if (l.startsWith(pid + " ")) {
                    return l;
                }
            }
            return "";
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Cli cli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(JAVA17, "-jar", CLI.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put(AgentJar.ENV, AGENT.toString());
        return run(pb);
    }

    private Cli run(ProcessBuilder pb) throws Exception {
        Path o = Files.createTempFile(dir, "cli-", ".out");
        Path e = Files.createTempFile(dir, "cli-", ".err");
        Process p = pb.redirectOutput(o.toFile()).redirectError(e.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out: " + pb.command());
        }
        return new Cli(p.exitValue(), Files.readString(o), Files.readString(e));
    }

    /** The sample service in its own JVM, on a free port. */
    static final class Service implements AutoCloseable {
        private static final Pattern LISTENING = Pattern.compile("listening on port (\\d+)");
        final Process process;
        final long pid;
        final int port;
        private final Path stdout;
        private final Path stderr;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

        private Service(Process process, int port, Path stdout, Path stderr) {
            this.process = process;
            this.pid = process.pid();
            this.port = port;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        static Service start(Path dir, String java, String... jvmFlags) throws Exception {
            Files.createDirectories(dir);
            List<String> command = new ArrayList<>(List.of(java));
            command.addAll(List.of(jvmFlags));
            command.addAll(List.of("-jar", SAMPLES.toString(), "service", "port=0"));
            Path out = dir.resolve("service.out");
            Path err = dir.resolve("service.err");
            Process p = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline && p.isAlive()) {
                Matcher m = LISTENING.matcher(Files.readString(out));
                if (m.find()) {
                    return new Service(p, Integer.parseInt(m.group(1)), out, err);
                }
                Thread.sleep(50);
            }
            p.destroyForcibly();
            throw new AssertionError("the service did not start: " + command + "\n" + Files.readString(out)
                    + Files.readString(err));
        }

        String get(String path) throws Exception {
            HttpResponse<String> r = http.send(request(path), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), path + ": " + r.body());
            return r.body();
        }

        CompletableFuture<String> getAsync(String path) {
            return http.sendAsync(request(path), HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
                assertEquals(200, r.statusCode(), path + ": " + r.body());
                return r.body();
            });
        }

        private HttpRequest request(String path) {
            return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(60)).build();
        }

        int awaitExit() throws Exception {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                fail("the service did not exit after /quit");
            }
            return process.exitValue();
        }

        String stdout() throws IOException {
            return Files.readString(stdout, StandardCharsets.UTF_8);
        }

        String stderr() throws IOException {
            return Files.readString(stderr, StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}

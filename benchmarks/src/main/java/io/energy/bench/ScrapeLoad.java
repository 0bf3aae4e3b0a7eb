package io.energy.bench;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Prometheus scrape under load: {@code methods} ordinary compiled methods (a class generated and compiled
 * with the JDK's javac at start, so the agent instruments it like any class; each method calls the next
 * one in its group of ten, giving call paths up to ten deep), run by {@code threads} threads for
 * {@code seconds}, while this program scrapes the agent's endpoint (started with
 * {@code prometheus=127.0.0.1:PORT}) every {@code interval} ms from its own HTTP client. Prints, per
 * scrape, the bytes and the time to the last byte; then the medians and maxima, and the work done.
 *
 * <pre>java -javaagent:energy.jar=include=io.energy.bench.gen.**,prometheus=127.0.0.1:9464 \
 *      -cp benchmarks.jar io.energy.bench.ScrapeLoad port=9464 methods=2000 threads=16 seconds=20 interval=1100</pre>
 */
public final class ScrapeLoad {
    private ScrapeLoad() {
    }

    public static void main(String[] args) throws Throwable {
        int port = arg(args, "port", 9464);
        int methods = arg(args, "methods", 2000);
        int threads = arg(args, "threads", 16);
        int seconds = arg(args, "seconds", 20);
        int interval = arg(args, "interval", 1100);
        MethodHandle[] entry = compile(methods);

        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong calls = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                long sink = 0;
                long n = 0;
                ThreadLocalRandom r = ThreadLocalRandom.current();
                try {
                    while (!stop.get()) {
                        sink += (int) entry[r.nextInt(entry.length)].invokeExact(r.nextInt(1000));
                        n++;
                    }
                } catch (Throwable e) {
                    throw new IllegalStateException(e);
                }
                calls.addAndGet(n);
                if (sink == 42) {
                    System.out.print("");
                }
            }, "load-" + t);
            w.start();
            workers.add(w);
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(30)).build();
        List<long[]> scrapes = new ArrayList<>();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        Thread.sleep(Math.min(2000, interval));
        while (System.nanoTime() < end) {
            long c0 = endpointCpuNanos();
            long t0 = System.nanoTime();
            HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
            long t1 = System.nanoTime();
            long cpu = endpointCpuNanos() - c0;
            if (r.statusCode() != 200) {
                throw new IllegalStateException("scrape answered " + r.statusCode());
            }
            long lines = 0;
            for (byte b : r.body()) {
                lines += b == '\n' ? 1 : 0;
            }
            scrapes.add(new long[]{r.body().length, t1 - t0, lines, cpu});
            System.out.printf(Locale.ROOT, "scrape %d: %d bytes, %d lines, %.2f ms, endpoint CPU %.2f ms%n", scrapes.size(),
                    r.body().length, lines, (t1 - t0) / 1e6, cpu / 1e6);
            long sleep = interval - (System.nanoTime() - t0) / 1_000_000;
            if (sleep > 0) {
                Thread.sleep(sleep);
            }
        }
        stop.set(true);
        for (Thread w : workers) {
            w.join();
        }
        long[] bytes = scrapes.stream().mapToLong(s -> s[0]).sorted().toArray();
        long[] nanos = scrapes.stream().mapToLong(s -> s[1]).sorted().toArray();
        long[] lines = scrapes.stream().mapToLong(s -> s[2]).sorted().toArray();
        long[] cpu = scrapes.stream().mapToLong(s -> s[3]).sorted().toArray();
        System.out.printf(Locale.ROOT, "summary: methods=%d threads=%d seconds=%d interval=%d ms scrapes=%d "
                        + "bytes median %d max %d, lines median %d, time median %.2f ms p90 %.2f ms max %.2f ms, "
                        + "endpoint CPU per scrape median %.2f ms max %.2f ms, calls %d%n",
                methods, threads, seconds, interval, scrapes.size(), bytes[bytes.length / 2], bytes[bytes.length - 1],
                lines[lines.length / 2], nanos[nanos.length / 2] / 1e6, nanos[(int) (nanos.length * 0.9)] / 1e6,
                nanos[nanos.length - 1] / 1e6, cpu[cpu.length / 2] / 1e6, cpu[cpu.length - 1] / 1e6, calls.get());
    }

    /**
     * CPU time of the agent's endpoint threads (named energy-prometheus-*; they serve the scrape, and build the
     * profile when the cached one is older than a second): what a scrape costs, apart from waiting for a CPU.
     */
    static long endpointCpuNanos() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("energy-prometheus-")) {
                sum += Math.max(0, mx.getThreadCpuTime(t.getId()));
            }
        }
        return sum;
    }

    /** Generates, compiles and loads {@code io.energy.bench.gen.Many}; returns a handle to each method. */
    static MethodHandle[] compile(int methods) throws Exception {
        StringBuilder src = new StringBuilder("package io.energy.bench.gen;\npublic final class Many {\n");
        for (int i = 0; i < methods; i++) {
            // Work grows with the method's place in its group, so methods differ in self and inclusive energy.
            src.append("  public static int m").append(i).append("(int x) {\n")
                    .append("    int s = x;\n")
                    .append("    for (int k = 0; k < ").append(20 + (i % 10) * 20).append("; k++) { s = s * 31 + k; }\n");
            if (i % 10 != 9 && i + 1 < methods) {
                src.append("    if ((x & 1) == 0) { s += m").append(i + 1).append("(x >>> 1); }\n");
            }
            src.append("    return s;\n  }\n");
        }
        src.append("}\n");
        Path dir = Files.createTempDirectory("scrape-load");
        Path pkg = Files.createDirectories(dir.resolve("io/energy/bench/gen"));
        Path file = Files.writeString(pkg.resolve("Many.java"), src);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null || javac.run(null, null, null, "-d", dir.toString(), file.toString()) != 0) {
            throw new IllegalStateException("could not compile the generated class (a JDK, not a JRE, is needed)");
        }
        ClassLoader loader = new URLClassLoader(new URL[]{dir.toUri().toURL()}, ScrapeLoad.class.getClassLoader());
        Class<?> many = Class.forName("io.energy.bench.gen.Many", true, loader);
        MethodHandle[] handles = new MethodHandle[methods];
        MethodType type = MethodType.methodType(int.class, int.class);
        for (int i = 0; i < methods; i++) {
            handles[i] = MethodHandles.publicLookup().findStatic(many, "m" + i, type);
        }
        return handles;
    }

    private static int arg(String[] args, String key, int fallback) {
        return Arrays.stream(args).filter(a -> a.startsWith(key + "=")).findFirst()
                .map(a -> Integer.parseInt(a.substring(key.length() + 1))).orElse(fallback);
    }
}

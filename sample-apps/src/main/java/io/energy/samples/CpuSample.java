package io.energy.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatchers;

import java.io.InputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Properties;
import java.util.Random;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * {@code cpu [seconds] [rounds=N]}: methods of very different energy per call, so that ranking by joules
 * differs from ranking by calls.
 *
 * <p>One round calls {@link #hashBlocks} once (4 MiB through SHA-256: few calls, much work),
 * {@link #sortNumbers} once, {@link #parseJson} once (with the application's <em>own</em> Jackson) and
 * {@link #buildString} 2,000 times (many calls, tiny work each). A profiler that counts calls puts
 * {@code buildString} on top; one that measures energy must put {@code hashBlocks} there.
 *
 * <p>The sample also builds and calls one tiny class with the application's own Byte Buddy, and prints
 * which Jackson and Byte Buddy versions ran and which jar they came from. The agent uses (relocated)
 * newer versions of both: a class-path-conflict test runs this sample with and without the agent and
 * expects the same output.
 *
 * <p>By default it runs rounds until {@code seconds} (default 3) have passed, which suits energy
 * measurement but makes the round count and checksum vary. {@code rounds=N} runs exactly N rounds
 * instead (the seconds argument is then ignored), so the whole output is deterministic: every input
 * comes from a {@link Random} seeded with 42.
 */
public final class CpuSample {
    /** Calls of {@link #buildString} per round: enough that it dominates any call-count ranking. */
    static final int STRINGS_PER_ROUND = 2_000;
    /** Name of the class generated with Byte Buddy; fixed so that output is comparable between runs. */
    static final String GENERATED_CLASS = "io.energy.samples.GeneratedGreeting";

    private static final ObjectMapper JSON = new ObjectMapper();

    private CpuSample() {
    }

    public static void main(String[] args) throws Exception {
        int code = run(args, System.out);
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Runs the sample and returns its exit code, so tests can run it in-process without
     * {@link System#exit}.
     */
    public static int run(String[] args, PrintStream out) throws Exception {
        Args parsed = new Args("cpu", args).allow("seconds", "rounds").maxPositional(1);
        double seconds = parsed.seconds(0, 3.0);
        boolean fixedRounds = parsed.has("rounds");
        long roundLimit = parsed.option("rounds", 0, 0, 1_000_000);

        String greeting = greetWithByteBuddy();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        Random random = new Random(42);
        long checksum = 0;
        long rounds = 0;
        while (fixedRounds ? rounds < roundLimit : System.nanoTime() < end) {
            checksum += hashBlocks(random, 64);
            checksum += sortNumbers(random, 50_000);
            checksum += parseJson(40);
            for (int i = 0; i < STRINGS_PER_ROUND; i++) {
                checksum += buildString(i).length();
            }
            rounds++;
        }
        out.println("cpu sample: " + rounds + " rounds, checksum " + Long.toHexString(checksum)
                + ", jackson " + com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION
                + " (" + origin(ObjectMapper.class) + "), byte buddy " + byteBuddyVersion()
                + " (" + origin(ByteBuddy.class) + ") says \"" + greeting + "\"");
        out.println("cpu sample calls: hashBlocks " + rounds + ", sortNumbers " + rounds + ", parseJson "
                + rounds + ", buildString " + rounds * STRINGS_PER_ROUND);
        return 0;
    }

    /** SHA-256 over {@code blocks} random 64 KiB blocks: the most energy per call in this sample. */
    static long hashBlocks(Random random, int blocks) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] block = new byte[64 * 1024];
        long acc = 0;
        for (int i = 0; i < blocks; i++) {
            random.nextBytes(block);
            byte[] d = sha.digest(block);
            acc += d[0];
        }
        return acc;
    }

    /** Sorts {@code n} random doubles and returns the median's bits, so the sort cannot be skipped. */
    static long sortNumbers(Random random, int n) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextDouble();
        }
        Arrays.sort(values);
        return Double.doubleToLongBits(values[n / 2]);
    }

    /** Builds and parses {@code documents} JSON documents of 200 items each with the app's own Jackson. */
    static long parseJson(int documents) throws Exception {
        long acc = 0;
        for (int d = 0; d < documents; d++) {
            StringBuilder sb = new StringBuilder("{\"items\":[");
            for (int i = 0; i < 200; i++) {
                sb.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"name\":\"item").append(i)
                        .append("\",\"price\":").append(i * 1.5).append('}');
            }
            sb.append("]}");
            JsonNode node = JSON.readTree(sb.toString());
            acc += node.get("items").size();
        }
        return acc;
    }

    /** A cheap call made thousands of times per round: top by calls, bottom by energy. */
    static String buildString(int i) {
        return "item-" + i + "-" + (i * 31);
    }

    /**
     * Generates a class with the application's Byte Buddy, loads it in a child class loader and calls
     * its {@code toString()}. This is what an app that uses Byte Buddy for proxies does; it must keep
     * working, with this Byte Buddy version, when the agent brings its own.
     */
    static String greetWithByteBuddy() throws ReflectiveOperationException {
        // An explicit class-file version: Byte Buddy then need not recognise the running JVM's version
        Class<?> type = new ByteBuddy(ClassFileVersion.JAVA_V11)
                .subclass(Object.class)
                .name(GENERATED_CLASS)
                .method(ElementMatchers.named("toString"))
                .intercept(FixedValue.value("hello from a class generated by Byte Buddy"))
                .make()
                .load(CpuSample.class.getClassLoader(), ClassLoadingStrategy.Default.WRAPPER)
                .getLoaded();
        return type.getDeclaredConstructor().newInstance().toString();
    }

    /**
     * The Byte Buddy version as recorded in the jar that actually defined {@link ByteBuddy}, not the first
     * matching resource on the class path: if another Byte Buddy shadowed the app's, this shows it.
     */
    static String byteBuddyVersion() {
        String version = mavenVersion(ByteBuddy.class, "net.bytebuddy", "byte-buddy");
        if (version == null) {
            version = ByteBuddy.class.getPackage().getImplementationVersion();
        }
        return version == null ? "unknown" : version;
    }

    /** The file name (jar or class folder) a class was loaded from, or "unknown". */
    static String origin(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return "unknown";
        }
        try {
            Path path = Path.of(source.getLocation().toURI());
            return path.getFileName() == null ? path.toString() : path.getFileName().toString();
        } catch (Exception e) {
            return source.getLocation().toString();
        }
    }

    /** Reads {@code version} from META-INF/maven/{group}/{artifact}/pom.properties in the class's own jar. */
    private static String mavenVersion(Class<?> type, String group, String artifact) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null) {
            return null;
        }
        String entry = "META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try {
            URL location = source.getLocation();
            Path path = Path.of(location.toURI());
            Properties properties = new Properties();
            if (Files.isDirectory(path)) {
                Path file = path.resolve(entry);
                if (!Files.isRegularFile(file)) {
                    return null;
                }
                try (InputStream in = Files.newInputStream(file)) {
                    properties.load(in);
                }
            } else {
                try (JarFile jar = new JarFile(path.toFile())) {
                    ZipEntry zipEntry = jar.getEntry(entry);
                    if (zipEntry == null) {
                        return null;
                    }
                    try (InputStream in = jar.getInputStream(zipEntry)) {
                        properties.load(in);
                    }
                }
            }
            return properties.getProperty("version");
        } catch (Exception e) {
            return null;
        }
    }
}

package io.energy.power.nvml;

import com.sun.jna.Library;
import com.sun.jna.Native;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/**
 * The NVML stand-in (core/src/test/c/fake_nvml.c), compiled with gcc once per test JVM, and its control
 * functions; agent/'s NvmlAgentIT builds it from the same source through the core's test-jar. Without gcc the
 * tests fail and say so: the NVML binding must never go untested quietly.
 */
final class FakeNvml {
    private static Path built;
    private static Control control;
    private static int scripts;

    interface Control extends Library {
        void fake_nvml_set_script(String path);

        void fake_nvml_set_time_ms(long ms);

        long fake_nvml_calls(String function);

        int fake_nvml_refcount();

        int fake_nvml_layout(long[] out, int n);
    }

    private FakeNvml() {
    }

    static Path moduleDir() {
        return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    }

    /** Builds the library into {@code target/<dir>/libnvidia-ml.so.1} and returns its absolute path. */
    static Path compile(String dir) {
        Path source = moduleDir().resolveSibling("core").resolve("src/test/c/fake_nvml.c");
        Path out = moduleDir().resolve("target").resolve(dir).resolve("libnvidia-ml.so.1");
        try {
            Files.createDirectories(out.getParent());
            // Compiled to a new name and moved into place: a library another JVM has mapped is never rewritten.
            Path tmp = Files.createTempFile(out.getParent(), "libnvidia-ml", ".so.tmp");
            Process p = new ProcessBuilder("gcc", "-shared", "-fPIC", "-O1", "-Wall", "-o", tmp.toString(),
                    source.toString()).redirectErrorStream(true).start();
            String output;
            try {
                output = io.energy.it.ForkedJvm.output(p, 120, "gcc");
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("gcc did not finish building the NVML stand-in: " + e.getMessage(), e);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("gcc could not build the NVML stand-in from " + source + ":\n" + output);
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("the NVML tests need gcc on the PATH to build their stand-in "
                    + "libnvidia-ml.so from " + source + " (" + e.getMessage() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The stand-in's absolute path, built on first use in this JVM. */
    static synchronized String library() {
        if (built == null) {
            built = compile("fake-nvml");
            control = Native.load(built.toString(), Control.class);
        }
        return built.toString();
    }

    static synchronized Control control() {
        library();
        return control;
    }

    /**
     * Scripts the stand-in for the next nvmlInit_v2 and fixes its clock (a negative time: real time).
     * Fails if an earlier test left NVML initialised, since the script would then not be read.
     */
    static synchronized String script(Path dir, long timeMs, String... lines) throws IOException {
        String lib = library();
        if (control.fake_nvml_refcount() != 0) {
            throw new IllegalStateException("an earlier test left the NVML stand-in initialised "
                    + control.fake_nvml_refcount() + " times (a source or probe was not closed)");
        }
        Path file = dir.resolve("nvml-" + (++scripts) + ".script");
        Files.writeString(file, String.join("\n", lines) + "\n");
        control.fake_nvml_set_script(file.toString());
        control.fake_nvml_set_time_ms(timeMs);
        return lib;
    }

    static void time(long ms) {
        control().fake_nvml_set_time_ms(ms);
    }

    static long calls(String function) {
        return control().fake_nvml_calls(function);
    }

    static int refcount() {
        return control().fake_nvml_refcount();
    }
}

package io.energy.sampling;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * async-profiler logs to the process's stdout by default, so its messages land in the output of the program being
 * measured (a CI run: "[WARN] perf_event_open for TID 922 failed: No such process", a thread that ended as
 * sampling reached it, changed a measured program's stdout). The real library, loaded here: its log must go to the
 * sampler's private file, where the debug log can show it.
 */
class AsyncProfilerLogTest {
    @Test
    void asyncProfilersOwnMessagesGoToThePrivateLogNotTheApplicationsStdout() throws Exception {
        // A period of 100 s: no sample can be taken before the dump, which at INFO then says so.
        AsyncProfilerSampler s = AsyncProfilerSampler.start((c, m) -> 1, 64, 100_000_000_000L, "itimer", 1000);
        try {
            s.execute("collapsed,samples,loglevel=info");
            List<String> said = s.messages();
            assertTrue(said.stream().anyMatch(m -> m.contains("No samples were collected")),
                    "async-profiler's message is not in its private log (so it went to stdout): " + said);
        } finally {
            s.stop();
        }
    }

    /** Descriptors of this process open on {@code file}: whether async-profiler holds it as its log right now. */
    private static long openOn(Path file) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(file);
                } catch (IOException | RuntimeException gone) {
                    return false;
                }
            }).count();
        }
    }

    /**
     * Every call into the library is a command that resets its log, the version query included: describing the
     * sampler (at start, and in attach's {@code status} mid-run) must leave the log in the private file, not put it
     * back on stdout until the next harvest (found by review).
     */
    @Test
    void describingTheSamplerLeavesItsLogInThePrivateFile() throws Exception {
        AsyncProfilerSampler s = AsyncProfilerSampler.start((c, m) -> 1, 64, 100_000_000_000L, "itimer", 1000);
        try {
            Path log = s.logFile();
            assertTrue(log != null && openOn(log) == 1, "the log is the private file after start: " + log);
            assertTrue(s.describe().startsWith("async-profiler "), s.describe());
            assertTrue(openOn(log) == 1, "the log left the private file when the sampler was described");
        } finally {
            s.stop();
        }
    }
}

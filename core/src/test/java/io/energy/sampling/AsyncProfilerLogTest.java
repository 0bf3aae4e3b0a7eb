package io.energy.sampling;

import org.junit.jupiter.api.Test;

import java.util.List;

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
}

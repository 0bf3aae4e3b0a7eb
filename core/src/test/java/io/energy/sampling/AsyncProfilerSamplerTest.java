package io.energy.sampling;

import com.acme.burn.Burner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sampler over the real async-profiler library, loaded into this test's JVM: what a harvest brings (the CPU this
 * thread burns, in its own frames, on its own thread), when it may harvest, the restart that bounds its memory
 * without losing samples, and stopping. The forked ITs check the same through the whole agent; PIT runs only unit
 * tests, and found the harvest loop unchecked by them (42 of 44 mutants with no coverage).
 *
 * <p>Truth comes from outside the sampler: the JVM's own CPU clock of this thread while it burns.
 */
class AsyncProfilerSamplerTest {
    private static final long MS = 1_000_000L;
    /**
     * Period of the tests' sampling: 10 ms, the agent's default. CPU-time timers fire on the kernel's tick (4 ms at
     * CONFIG_HZ=250), so a 1 ms period samples far less often than asked where perf_events is not allowed.
     */
    private static final long PERIOD = 10 * MS;
    /** The id the test's frame map gives {@code Burner.burn}: every other frame gets {@link #OTHER}. */
    private static final int BURN = 7;
    private static final int OTHER = 1;
    private static final FrameIds IDS = (c, m) -> c.endsWith("Burner") && m.equals("burn") ? BURN : OTHER;

    /** Samples whose stack holds {@code Burner.burn}, and of them those on thread {@code tid}. */
    private static long[] burnSamples(StackSamples s, long tid) {
        long inBurn = 0;
        long onThread = 0;
        for (int i = 0; i < s.size(); i++) {
            boolean burning = false;
            for (int f : s.stack(i).frames) {
                burning |= f == BURN;
            }
            if (burning) {
                inBurn += s.count(i);
                onThread += s.thread(i) == tid ? s.count(i) : 0;
            }
        }
        return new long[]{inBurn, onThread};
    }

    /** Samples × period against the CPU the burner's own clock counted: ±50% (timer ticks, a loaded machine). */
    private static void assertSamplesMatchCpu(long[] got, Burner b, String what) {
        assertThreadSamplesMatchCpu(got[0], b, what);
        assertEquals(got[0], got[1], "every sample of burn is on the burner's thread");
    }

    private static void assertThreadSamplesMatchCpu(long samples, Burner b, String what) {
        double ratio = samples * (double) PERIOD / b.usedNanos();
        assertTrue(ratio > 0.5 && ratio < 1.5, what + ": " + samples + " samples of " + PERIOD / MS + " ms for "
                + b.usedNanos() / MS + " ms of CPU");
    }

    @Test
    void aHarvestBringsTheCpuAThreadBurnedAsSamplesInItsOwnFramesOnItsOwnThread() throws Exception {
        AsyncProfilerSampler s = AsyncProfilerSampler.start(IDS, 64, PERIOD, "ctimer", 10_000);
        try {
            assertEquals("async-profiler", s.name());
            assertEquals(PERIOD, s.periodNanos());
            assertTrue(s.describe().contains("event ctimer"), s.describe());
            Burner b = Burner.burnOnItsOwnThread(600 * MS);
            StackSamples out = s.harvest(System.nanoTime(), true);
            assertNotNull(out);
            assertTrue(out.perThreadClocks(), "ctimer ticks on each thread's own CPU clock");
            assertEquals(PERIOD, out.periodNanos());
            assertSamplesMatchCpu(burnSamples(out, b.nativeTid()), b, "first harvest");
            assertTrue(s.harvestCpuNanos() > 0 && s.lastHarvestCostNanos() > 0, "a harvest's own CPU is counted");
            assertTrue(s.harvestCpuNanos() >= s.lastHarvestCostNanos());
            assertNull(s.problem());

            // The next harvest takes only what came after the first: the table is read as a difference.
            Burner more = Burner.burnOnItsOwnThread(400 * MS);
            StackSamples next = s.harvest(System.nanoTime(), true);
            assertSamplesMatchCpu(burnSamples(next, more.nativeTid()), more, "second harvest");
            assertEquals(0, burnSamples(next, b.nativeTid())[1], "the first burner's samples came once");
        } finally {
            s.stop();
        }
    }

    @Test
    void itHarvestsOnlyWhenDueUnlessForcedAndNothingOnceStopped() {
        AsyncProfilerSampler s = AsyncProfilerSampler.start(IDS, 64, PERIOD, "itimer", 10_000);
        long now = System.nanoTime();
        StackSamples first = s.harvest(now, false);
        assertNotNull(first, "due at once after the start");
        assertFalse(first.perThreadClocks(), "itimer is one timer for the process");
        assertNull(s.harvest(now + 1, false), "the next one waits for its gap");
        assertNotNull(s.harvest(now + 2, true), "a forced harvest does not wait");
        assertNotNull(s.harvest(now + 3 + AsyncProfilerSampler.MAX_HARVEST_GAP_NANOS, false),
                "due again after the longest gap");
        s.stop();
        assertNull(s.harvest(now + 4 + 2 * AsyncProfilerSampler.MAX_HARVEST_GAP_NANOS, true), "stopped: nothing");
    }

    @Test
    void aRestartToBoundTheProfilersTableLosesNoSamplesAndSamplingGoesOn() throws Exception {
        // A table bound of 0 stacks: every harvest that finds a stack restarts the profiler.
        AsyncProfilerSampler s = AsyncProfilerSampler.start(IDS, 64, PERIOD, "ctimer", 0);
        try {
            Burner b = Burner.burnOnItsOwnThread(600 * MS);
            // A burner joined before the harvest is all read by its first dump; only CPU burned inside the restart,
            // between that dump and the stop, proves the read after the stop (it ran in no window before: a review
            // found the test passing with that read removed).
            Burner[] inWindow = new Burner[1];
            s.inRestartWindow = () -> {
                try {
                    inWindow[0] = Burner.burnOnItsOwnThread(400 * MS);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            };
            StackSamples across = s.harvest(System.nanoTime(), true);
            s.inRestartWindow = null;
            assertEquals(1, s.rotations());
            assertNotNull(inWindow[0], "the restart ran the window's burn: " + s.problem());
            long[] before = burnSamples(across, b.nativeTid());
            long[] window = burnSamples(across, inWindow[0].nativeTid());
            assertThreadSamplesMatchCpu(before[1], b, "burned before the harvest");
            assertThreadSamplesMatchCpu(window[1], inWindow[0], "burned between the last dump and the stop");
            assertEquals(before[0], before[1] + window[1], "every sample of burn is on one of the burners' threads");

            Burner more = Burner.burnOnItsOwnThread(400 * MS);
            StackSamples after = s.harvest(System.nanoTime(), true);
            assertSamplesMatchCpu(burnSamples(after, more.nativeTid()), more, "after the restart");
            assertEquals(0, burnSamples(after, inWindow[0].nativeTid())[1], "the window's samples came once");
            assertEquals(2, s.rotations());
            assertNull(s.problem());
        } finally {
            s.stop();
        }
    }

    @Test
    void aFailingHarvestKeepsWhatItReadSaysWhyAndLeavesTheProfilerStoppedForTheNextSession() throws Exception {
        // A table bound of 0 stacks makes the harvest restart the profiler; the seam fails it after the first read.
        AsyncProfilerSampler s = AsyncProfilerSampler.start(IDS, 64, PERIOD, "ctimer", 0);
        AsyncProfilerSampler next = null;
        try {
            Burner b = Burner.burnOnItsOwnThread(600 * MS);
            s.inRestartWindow = () -> {
                throw new IllegalStateException("injected profiler fault");
            };
            StackSamples out = s.harvest(System.nanoTime(), true);
            assertNotNull(out, "what was read before the fault is kept");
            assertSamplesMatchCpu(burnSamples(out, b.nativeTid()), b, "read before the fault");
            assertNotNull(s.problem());
            assertTrue(s.problem().contains("injected profiler fault")
                    && s.problem().contains("goes to (unattributed)"), s.problem());
            assertNull(s.harvest(System.nanoTime(), true), "no harvest after the fault");
            s.stop();
            // A profiler left running after the fault would go on sampling every thread of the host (signals and
            // their cost) with nobody reading it, and the next session (an attach) could not start it.
            next = AsyncProfilerSampler.start(IDS, 64, PERIOD, "ctimer", 10_000);
            Burner more = Burner.burnOnItsOwnThread(300 * MS);
            assertSamplesMatchCpu(burnSamples(next.harvest(System.nanoTime(), true), more.nativeTid()), more,
                    "the next session samples");
        } finally {
            s.stop();
            if (next != null) {
                next.stop();
            }
        }
    }

    @Test
    void theProbeSaysWhatItFoundAndOurOwnLibraryIsNotTakenForAnotherProfiler() {
        AsyncProfilerSampler s = AsyncProfilerSampler.start(IDS, 64, 100 * MS, "itimer", 1000);
        try {
            assertNull(AsyncProfilerSampler.otherProfilerLoaded(), "ours is loaded under its own private name");
            List<String> lines = AsyncProfilerSampler.probe();
            assertTrue(lines.get(0).startsWith("found: async-profiler "), lines.toString());
            for (String event : new String[]{"cpu", "itimer", "ctimer"}) {
                assertTrue(lines.stream().anyMatch(l -> l.startsWith("found: event " + event + ": ")), lines.toString());
            }
            String arch = System.getProperty("os.arch");
            if (arch.equals("amd64")) {
                assertEquals("linux-x64", AsyncProfilerSampler.platform());
            } else if (arch.equals("aarch64")) {
                assertEquals("linux-arm64", AsyncProfilerSampler.platform());
            }
        } finally {
            s.stop();
        }
    }

    @Test
    void eachOsAndCpuFindsTheFolderItsNativeLibraryShipsInAndOthersFindNone() {
        // The names the JDK gives os.name and os.arch on each platform async-profiler's jar ships a library for.
        assertEquals("linux-x64", AsyncProfilerSampler.platform("Linux", "amd64"));
        assertEquals("linux-x64", AsyncProfilerSampler.platform("Linux", "x86_64"));
        assertEquals("linux-arm64", AsyncProfilerSampler.platform("Linux", "aarch64"));
        assertEquals("linux-arm64", AsyncProfilerSampler.platform("Linux", "arm64"));
        assertEquals("macos", AsyncProfilerSampler.platform("Mac OS X", "aarch64"));
        assertEquals("macos", AsyncProfilerSampler.platform("Mac OS X", "x86_64"));
        // No library: the agent must fall back (JFR's CPU-time sampler, then the call paths), not load a wrong one.
        assertNull(AsyncProfilerSampler.platform("Linux", "riscv64"));
        assertNull(AsyncProfilerSampler.platform("Linux", "ppc64le"));
        assertNull(AsyncProfilerSampler.platform("Windows 11", "amd64"));
        assertNull(AsyncProfilerSampler.platform("FreeBSD", "amd64"));
    }

    @Test
    void anotherAsyncProfilerMappedIntoTheProcessIsFoundByItsLibrarysPath(@TempDir Path dir) throws IOException {
        // The lines of /proc/self/maps: address range, permissions, offset, device, inode, then the file.
        Path maps = dir.resolve("maps");
        Files.writeString(maps, String.join("\n",
                "7f01c0000000-7f01c0021000 rw-p 00000000 00:00 0 ",
                "7f01c1000000-7f01c1200000 r-xp 00000000 08:01 131 /usr/lib/jvm/lib/server/libjvm.so",
                "7f01c2000000-7f01c2100000 r-xp 00000000 08:01 4242 /opt/pyroscope/libasyncProfiler.so",
                "7f01c3000000-7f01c3100000 r-xp 00000000 08:01 4343 /opt/other/libasyncProfiler.so", ""));
        assertEquals("/opt/pyroscope/libasyncProfiler.so", AsyncProfilerSampler.otherProfilerLoaded(maps),
                "the first one mapped, by its whole path");
        Files.writeString(maps, "7f01c1000000-7f01c1200000 r-xp 00000000 08:01 131 /usr/lib/jvm/lib/server/libjvm.so\n"
                + "7f01c5000000-7f01c5100000 r-xp 00000000 08:01 77 /tmp/energy-asprof-5310427.so\n");
        assertNull(AsyncProfilerSampler.otherProfilerLoaded(maps), "no other profiler: ours has its own name");
        assertNull(AsyncProfilerSampler.otherProfilerLoaded(dir.resolve("absent")), "no maps file (not Linux)");
    }
}

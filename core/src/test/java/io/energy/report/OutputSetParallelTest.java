package io.energy.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The final write on two threads: every file whole, each by one thread, problems in the writers' order. */
class OutputSetParallelTest {
    @TempDir
    Path dir;

    /** The first two writes wait for each other: the caller holds its first file until the helper took one. */
    private final java.util.concurrent.CountDownLatch firstTwo = new java.util.concurrent.CountDownLatch(2);

    private ProfileWriter writer(String name, Set<String> threads, boolean fail, boolean meet) {
        return new ProfileWriter() {
            @Override
            public String fileName() {
                return name;
            }

            @Override
            public void write(EnergyProfile p, OutputStream out) throws java.io.IOException {
                threads.add(Thread.currentThread().getName());
                if (meet) {
                    firstTwo.countDown();
                    try {
                        firstTwo.await(10, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                if (fail) {
                    throw new IllegalStateException("injected " + name);
                }
                out.write(("all of " + name).getBytes(StandardCharsets.UTF_8));
            }
        };
    }

    @Test
    void aHelperTakesFilesAndNothingIsLostOrReordered() throws Exception {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        List<ProfileWriter> writers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            writers.add(writer("f" + i, threads, i == 1 || i == 4, true));
        }
        List<String> took = java.util.Collections.synchronizedList(new ArrayList<>());
        List<String> problems = new OutputSet(writers).writeAll(ProfileFixtures.measured(), dir,
                (file, nanos) -> took.add(file), r -> new Thread(r, "helper").start());
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("injected f1") && problems.get(1).contains("injected f4"), problems.toString());
        for (int i : new int[]{0, 2, 3, 5}) {
            assertEquals("all of f" + i, Files.readString(dir.resolve("f" + i)));
        }
        assertFalse(Files.exists(dir.resolve("f1")));
        assertEquals(6, took.size());
        assertTrue(threads.contains("helper") && threads.size() == 2, "both threads wrote: " + threads);
        try (var files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        }
    }

    @Test
    void aRejectedHelperLeavesEveryFileToTheCaller() throws Exception {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        List<String> problems = new OutputSet(List.of(writer("a", threads, false, false), writer("b", threads, false, false)))
                .writeAll(ProfileFixtures.measured(), dir, (f, n) -> { }, r -> {
                    throw new java.util.concurrent.RejectedExecutionException("no");
                });
        assertEquals(List.of(), problems);
        assertEquals(Set.of(Thread.currentThread().getName()), threads);
        assertEquals("all of b", Files.readString(dir.resolve("b")));
    }
}

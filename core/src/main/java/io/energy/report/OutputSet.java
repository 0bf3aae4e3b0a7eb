package io.energy.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of one dump: every writer, each file written atomically, failures collected not thrown. Which
 * writers make a dump is the session's choice (session.SessionOutputs).
 */
public final class OutputSet {
    private final List<ProfileWriter> writers;

    public OutputSet(List<ProfileWriter> writers) {
        this.writers = List.copyOf(writers);
    }

    public List<ProfileWriter> writers() {
        return writers;
    }

    /** Writes every file; returns one line per file that could not be written (empty if all went well). */
    public List<String> writeAll(EnergyProfile profile, Path dir) {
        return writeAll(profile, dir, (file, nanos) -> { });
    }

    /** As {@link #writeAll(EnergyProfile, Path)}, telling {@code took} how long each file took (log=debug). */
    public List<String> writeAll(EnergyProfile profile, Path dir, java.util.function.ObjLongConsumer<String> took) {
        return writeAll(profile, dir, took, null);
    }

    /**
     * As {@link #writeAll(EnergyProfile, Path, java.util.function.ObjLongConsumer)}, with {@code helper} (when not
     * null) writing files beside the calling thread: each takes the next file not yet taken, so the files are
     * written in parallel on two cores. Each file is still written atomically by one thread; the problems come
     * back in the writers' order. At exit the application is done, and a second core halves the wait.
     */
    public List<String> writeAll(EnergyProfile profile, Path dir, java.util.function.ObjLongConsumer<String> took,
                                 java.util.concurrent.Executor helper) {
        String[] problem = new String[writers.size()];
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        Runnable work = () -> {
            for (int i = next.getAndIncrement(); i < writers.size(); i = next.getAndIncrement()) {
                try {
                    problem[i] = writeOne(writers.get(i), profile, dir, took);
                } catch (Throwable t) {
                    // On the helper, nothing else would say that this file is missing.
                    problem[i] = dir.resolve(writers.get(i).fileName()) + ": " + t;
                }
            }
        };
        java.util.concurrent.CountDownLatch helped = new java.util.concurrent.CountDownLatch(1);
        boolean helping = false;
        if (helper != null && writers.size() > 1) {
            try {
                helper.execute(() -> {
                    try {
                        work.run();
                    } finally {
                        helped.countDown();
                    }
                });
                helping = true;
            } catch (RuntimeException e) {
                // no helper (rejected): this thread writes every file
            }
        }
        work.run();
        if (helping) {
            try {
                helped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<String> problems = new ArrayList<>();
        for (String p : problem) {
            if (p != null) {
                problems.add(p);
            }
        }
        return problems;
    }

    private static String writeOne(ProfileWriter w, EnergyProfile profile, Path dir,
                                   java.util.function.ObjLongConsumer<String> took) {
        Path target = dir.resolve(w.fileName());
        long t0 = System.nanoTime();
        String problem = null;
        try {
            AtomicFiles.write(target, out -> w.write(profile, out));
        } catch (IOException | RuntimeException | StackOverflowError e) {
            problem = target + ": " + e;
        }
        took.accept(w.fileName(), System.nanoTime() - t0);
        return problem;
    }
}

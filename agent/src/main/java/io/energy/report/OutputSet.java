package io.energy.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of one dump: every writer, each file written atomically, failures collected not thrown. Which
 * writers make a dump is the session's choice (control.SessionOutputs).
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
        List<String> problems = new ArrayList<>();
        for (ProfileWriter w : writers) {
            Path target = dir.resolve(w.fileName());
            long t0 = System.nanoTime();
            try {
                AtomicFiles.write(target, out -> w.write(profile, out));
            } catch (IOException | RuntimeException | StackOverflowError e) {
                problems.add(target + ": " + e);
            }
            took.accept(w.fileName(), System.nanoTime() - t0);
        }
        return problems;
    }
}

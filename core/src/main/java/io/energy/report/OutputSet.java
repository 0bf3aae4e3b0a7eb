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
        List<String> problems = new ArrayList<>();
        for (ProfileWriter w : writers) {
            Path target = dir.resolve(w.fileName());
            try {
                AtomicFiles.write(target, out -> w.write(profile, out));
            } catch (IOException | RuntimeException | StackOverflowError e) {
                problems.add(target + ": " + e);
            }
        }
        return problems;
    }
}

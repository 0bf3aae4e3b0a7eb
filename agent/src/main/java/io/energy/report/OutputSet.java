package io.energy.report;

import io.energy.report.jfr.EnergyJfrWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The files of one dump: every writer, each file written atomically, failures collected not thrown. */
public final class OutputSet {
    private final List<ProfileWriter> writers;

    public OutputSet(List<ProfileWriter> writers) {
        this.writers = List.copyOf(writers);
    }

    /** Every format the agent writes. */
    public static OutputSet all() {
        List<ProfileWriter> w = new ArrayList<>();
        w.add(new SummaryJsonWriter());
        w.add(new MethodsCsvWriter());
        w.add(new CollapsedStacksWriter());
        w.add(new SpeedscopeWriter());
        w.add(new HtmlReportWriter());
        w.add(new EnergyJfrWriter());
        return new OutputSet(w);
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

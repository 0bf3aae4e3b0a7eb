package io.energy.session;

import io.energy.report.CollapsedStacksWriter;
import io.energy.report.HtmlReportWriter;
import io.energy.report.MethodsCsvWriter;
import io.energy.report.OutputSet;
import io.energy.report.SpeedscopeWriter;
import io.energy.report.SummaryJsonWriter;
import io.energy.report.jfr.EnergyJfrWriter;

import java.util.List;

/**
 * The files a session writes at each dump. Assembled here, by the session, rather than in {@code report}:
 * {@code report.jfr} builds on {@code report}'s profile, so {@code report} naming the JFR writer would make
 * the two packages depend on each other.
 */
final class SessionOutputs {
    private SessionOutputs() {
    }

    /** Every format the agent writes. */
    static OutputSet all() {
        return new OutputSet(List.of(new SummaryJsonWriter(), new MethodsCsvWriter(), new CollapsedStacksWriter(),
                new SpeedscopeWriter(), new HtmlReportWriter(), new EnergyJfrWriter()));
    }
}

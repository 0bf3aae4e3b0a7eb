package io.energy.power;

import java.util.List;

/**
 * What looking for one kind of source found: usable or not, why, and how to fix it. {@code doctor}
 * prints these; the agent prints the usable ones at start.
 *
 * @param source   rapl, nvml, estimate, replay
 * @param usable   true if the source can be opened
 * @param found    what was found, one line per finding
 * @param problem  why it is unusable (null if usable)
 * @param fixes    one-line ways to make it usable
 */
public record ProbeResult(String source, boolean usable, List<String> found, String problem, List<String> fixes) {
}

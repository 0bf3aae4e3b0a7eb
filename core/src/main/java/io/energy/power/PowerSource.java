package io.energy.power;

import java.util.List;

/**
 * Something that reports cumulative energy per {@link Domain}. Only the collector thread calls it.
 *
 * <p>Readings are cumulative nanojoules since the source was opened, so that a late read loses
 * nothing: the next interval simply covers more time. A source never returns a value lower than its
 * previous one; wraps, stalls, glitches and vanished counters are handled inside it and counted in
 * {@link #anomalies()}.
 */
public interface PowerSource extends AutoCloseable {

    /**
     * A {@link #processShare} meaning that no process uses the device at all (NVML lists no compute process on
     * the GPU): the interval's energy is the device's idle energy, nobody's dynamic energy, and the ledger puts it
     * in {@code (static/idle)}, never on this process's methods (issue 14: a CPU-only service on a GPU host had
     * the GPU's idle power on the methods that waited).
     */
    double DEVICE_IDLE = -1.0;

    /** Short name: rapl, nvml, estimate, replay. */
    String name();

    /** The domains this source reports, fixed once opened. */
    List<Domain> domains();

    /**
     * Reads every domain now into {@code cumulativeNanoJoules} (index-aligned with {@link #domains()}).
     *
     * @param nowNanos the collector's {@code System.nanoTime()} for this read
     */
    void read(long nowNanos, long[] cumulativeNanoJoules);

    /**
     * Known idle power of a domain in watts, or {@code NaN} when the source cannot know it (the ledger
     * then uses configuration or the lowest power it has seen).
     */
    default double idleWatts(int domainIndex) {
        return Double.NaN;
    }

    /**
     * The share (0..1) of a GPU domain's dynamic energy that belongs to this process in the last
     * interval, {@link #DEVICE_IDLE} if no process uses the device, or {@code NaN} if unknown (the ledger then
     * gives the process all of it).
     */
    default double processShare(int domainIndex) {
        return Double.NaN;
    }

    /**
     * The CPU socket whose CPUs' work a domain's energy follows (a RAPL package and its core, uncore and dram
     * subzones), or -1 for a domain of the whole machine (psys, the estimate, a replayed trace, a GPU). On a
     * machine with more than one socket the ledger gives the process its share of each socket's busy time for such
     * a domain, not of the machine's ({@link SocketShares}).
     */
    default int socket(int domainIndex) {
        return -1;
    }

    /** Counter anomalies seen so far (wraps are not anomalies; backward steps, stalls, jumps are). */
    default long anomalies() {
        return 0;
    }

    /** CPU time this source spent in its own reads, in nanoseconds (NVML's energy read is ~5 ms). */
    default long readCostNanos() {
        return 0;
    }

    /** One line per domain for the start-up banner and {@code doctor}. */
    default String describe() {
        StringBuilder sb = new StringBuilder();
        for (Domain d : domains()) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            // "%-10s %-10s %s, grain %s, from %s", without the Formatter (its first use is ~10 ms at start-up).
            sb.append(padded(name(), 10)).append(' ').append(padded(d.key(), 10)).append(' ')
                    .append(d.estimated() ? "ESTIMATED" : "measured").append(", grain ").append(grainText(d.grainNanos()))
                    .append(", from ").append(d.origin());
        }
        return sb.toString();
    }

    /** {@code String.format("%-<width>s", s)}. */
    static String padded(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    static String grainText(long nanos) {
        if (nanos >= 1_000_000_000L) {
            return (nanos / 1_000_000_000L) + " s";
        }
        if (nanos >= 1_000_000L) {
            return (nanos / 1_000_000L) + " ms";
        }
        return (nanos / 1000L) + " us";
    }

    @Override
    default void close() {
    }
}

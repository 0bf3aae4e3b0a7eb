package io.energy.power;

/**
 * One thing whose energy is measured or estimated: a RAPL zone of one socket, one GPU, ...
 *
 * @param kind       package, core, uncore, dram, psys or gpu
 * @param device     socket or GPU index
 * @param estimated  true when the figure comes from a model rather than a counter
 * @param grainNanos how often the underlying counter moves; attribution cannot be finer than this
 * @param origin     where it comes from, for people: "/sys/class/powercap/intel-rapl:0", "NVML H100 (0)"
 */
public record Domain(String kind, int device, boolean estimated, long grainNanos, String origin) {
    public static final String PACKAGE = "package";
    public static final String CORE = "core";
    public static final String UNCORE = "uncore";
    public static final String DRAM = "dram";
    public static final String PSYS = "psys";
    public static final String GPU = "gpu";

    /** The name used in files and tables: {@code package:0}, {@code gpu:1}. */
    public String key() {
        return kind + ":" + device;
    }

    /**
     * True if this domain's energy adds to the others' in a total. RAPL's core and uncore zones are part of
     * their package, and psys covers the whole platform (package and DRAM included): adding them would
     * count the same joules twice.
     */
    public boolean inTotal() {
        return inTotal(kind);
    }

    public static boolean inTotal(String kind) {
        return !CORE.equals(kind) && !UNCORE.equals(kind) && !PSYS.equals(kind);
    }

    /** GPU energy is attributed by wall-time overlap, CPU-side domains by CPU time. */
    public boolean isGpu() {
        return GPU.equals(kind);
    }
}

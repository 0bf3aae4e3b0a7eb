package io.energy.report.jfr;

/**
 * Names, labels and descriptions shared by the live events and the aggregated {@code energy.jfr}, so
 * that the same quantity reads the same in both. JFR and JMC have no energy unit: it is in the label.
 */
final class EnergyEventNames {
    static final String CATEGORY = "Energy";

    static final String POWER_SAMPLE = "energy.PowerSample";
    static final String METHOD_ENERGY = "energy.MethodEnergy";
    static final String METHOD_CALL = "energy.MethodCall";
    static final String CALL_PATH_ENERGY = "energy.CallPathEnergy";
    static final String DOMAIN_ENERGY = "energy.DomainEnergy";
    static final String RUN = "energy.Run";
    static final String WINDOW = "energy.Window";

    static final String ENERGY = "Energy (J)";
    static final String PACKAGE_ENERGY = "Package Energy (J)";
    static final String DRAM_ENERGY = "DRAM Energy (J)";
    static final String GPU_ENERGY = "GPU Energy (J)";
    static final String OTHER_ENERGY = "Other Energy (J)";
    static final String TOTAL_ENERGY = "Total Energy (J)";
    static final String UNCERTAINTY = "Uncertainty (J)";
    static final String MEASURED_ENERGY = "Measured Energy (J)";
    static final String PROCESS_ENERGY = "Process Energy (J)";
    static final String POWER = "Power (W)";

    static final String PACKAGE_DESC = "Energy of the CPU package domains (all sockets), in joules";
    static final String DRAM_DESC = "Energy of the DRAM domains (all sockets), in joules";
    static final String GPU_DESC = "Energy of the GPU domains (all devices), in joules";
    static final String OTHER_DESC = "Energy of the other domains (core, uncore, psys), in joules";
    static final String UNCERTAINTY_DESC = "Half-width of the ~95% interval around the energy: sampling and "
            + "counter grain, all domains combined, in joules";
    static final String ESTIMATED_DESC = "True when a figure comes from a CPU-time power model, not a counter";
    static final String PATH_DESC = "The instrumented frames of the call path, outermost first, separated by ' > '";

    private EnergyEventNames() {
    }
}

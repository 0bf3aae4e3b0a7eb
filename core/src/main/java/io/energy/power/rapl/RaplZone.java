package io.energy.power.rapl;

import java.nio.file.Path;

/**
 * One powercap RAPL zone as found on disk.
 *
 * @param dirName  {@code intel-rapl:0} or {@code intel-rapl:0:1}: unique per zone, its index is never used
 *                 to decide what the zone is
 * @param dir      the zone's directory
 * @param name     the content of its {@code name} file: package-0, core, uncore, dram, psys
 * @param kind     the domain kind derived from the name
 * @param device   socket for package and its subzones, own index for psys
 * @param parent   {@code intel-rapl:0} for a subzone, null for a top-level zone
 * @param rangeUj  {@code max_energy_range_uj}, or -1 if it could not be read
 */
record RaplZone(String dirName, Path dir, String name, String kind, int device, String parent, long rangeUj) {
    Path energyFile() {
        return dir.resolve("energy_uj");
    }

    String key() {
        return kind + ":" + device;
    }
}

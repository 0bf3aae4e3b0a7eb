package io.energy.power.rapl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A powercap tree written by a test, in the flat layout of /sys/class/powercap. */
public final class FakePowercap {
    /** max_energy_range_uj of most Intel parts. */
    public static final long INTEL_RANGE_UJ = 262_143_328_850L;

    public final Path root;

    public FakePowercap(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public FakePowercap zone(String dir, String name, long rangeUj, long energyUj) {
        Path d = root.resolve(dir);
        write(d.resolve("name"), name + "\n");
        write(d.resolve("max_energy_range_uj"), rangeUj + "\n");
        write(d.resolve("energy_uj"), energyUj + "\n");
        write(d.resolve("enabled"), "1\n");
        return this;
    }

    /** Two sockets (package, core, uncore, dram on the first; package, dram on the second) and psys. */
    public FakePowercap twoSockets() {
        zone("intel-rapl:0", "package-0", INTEL_RANGE_UJ, 1_000_000);
        zone("intel-rapl:0:0", "core", INTEL_RANGE_UJ, 2_000_000);
        zone("intel-rapl:0:1", "uncore", INTEL_RANGE_UJ, 3_000_000);
        zone("intel-rapl:0:2", "dram", INTEL_RANGE_UJ, 4_000_000);
        // psys at index 1 and the second socket at index 2: only the name says which is which
        zone("intel-rapl:1", "psys", INTEL_RANGE_UJ, 5_000_000);
        zone("intel-rapl:2", "package-1", INTEL_RANGE_UJ, 6_000_000);
        zone("intel-rapl:2:0", "dram", INTEL_RANGE_UJ, 7_000_000);
        return this;
    }

    public void set(String dir, long energyUj) {
        write(root.resolve(dir).resolve("energy_uj"), energyUj + "\n");
    }

    public void setText(String dir, String text) {
        write(root.resolve(dir).resolve("energy_uj"), text);
    }

    public void remove(String dir) {
        try (Stream<Path> s = Files.walk(root.resolve(dir))) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.energy.power.rapl;

import io.energy.power.Domain;
import io.energy.power.PowerSource;
import io.energy.power.ProbeResult;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Consumer;

/**
 * CPU-side energy from the Linux powercap RAPL counters: one domain per zone (package, core, uncore, dram,
 * psys) per socket, each unwrapped on its own by a {@link ZoneCounter}.
 *
 * <p>The package zone already contains its core and uncore subzones (and on some parts psys contains
 * everything): each domain is right on its own, but they are not to be added up. Every domain's origin
 * says what it contains.
 *
 * <p>A zone that stops answering (gone, unreadable, garbage) keeps its energy where it was and is counted
 * as an anomaly once per episode, with one message per zone and kind of trouble; when it answers again the
 * read covers the gap if the counter allows.
 */
public final class RaplPowerSource implements PowerSource {
    /** The counters move about every millisecond. */
    static final long GRAIN_NANOS = ZoneCounter.COUNTER_GRAIN_NANOS;

    private enum Trouble { GONE, DENIED, UNREADABLE, GARBAGE }

    private final List<RaplZone> zones;
    private final List<Domain> domains;
    private final ZoneCounter[] counters;
    private final boolean[] failing;
    private final List<EnumSet<Trouble>> said = new ArrayList<>();
    private final SysfsReader reader;
    private final Consumer<String> log;
    private final boolean[] counterAnomalySaid;
    private long readCostNanos;

    private RaplPowerSource(List<RaplZone> zones, SysfsReader reader, Consumer<String> log,
                            double maxWatts) {
        this.zones = zones;
        this.reader = reader;
        this.log = log;
        this.counters = new ZoneCounter[zones.size()];
        this.failing = new boolean[zones.size()];
        this.counterAnomalySaid = new boolean[zones.size()];
        List<Domain> d = new ArrayList<>();
        for (int i = 0; i < zones.size(); i++) {
            RaplZone z = zones.get(i);
            counters[i] = new ZoneCounter(z.rangeUj(), maxWatts);
            said.add(EnumSet.noneOf(Trouble.class));
            d.add(new Domain(z.kind(), z.device(), false, GRAIN_NANOS, origin(z, zones)));
        }
        this.domains = List.copyOf(d);
    }

    /** What is there, for {@code doctor} and the start-up decision. */
    public static ProbeResult probe(Path root) {
        return probe(root, SysfsReader.FILES);
    }

    static ProbeResult probe(Path root, SysfsReader reader) {
        RaplDiscovery.Result r = RaplDiscovery.scan(root, reader);
        return new ProbeResult("rapl", r.usable(), r.found(), r.problem(), r.fixes());
    }

    /**
     * Opens every readable zone, or returns null when none is; when {@code asked} (or when counters exist
     * but cannot be read, which a user wants to know about) one line says why and how to fix it.
     */
    public static RaplPowerSource open(Path root, Consumer<String> log, boolean asked) {
        return open(root, log, asked, SysfsReader.FILES, ZoneCounter.DEFAULT_MAX_WATTS);
    }

    static RaplPowerSource open(Path root, Consumer<String> log, boolean asked, SysfsReader reader,
                                double maxWatts) {
        RaplDiscovery.Result r = RaplDiscovery.scan(root, reader);
        if (!r.usable()) {
            // Counters that exist but are locked are worth a word even when RAPL was not asked for by name.
            if (asked || r.locked()) {
                StringBuilder sb = new StringBuilder("RAPL not used: ").append(r.problem());
                if (!r.fixes().isEmpty()) {
                    sb.append(r.locked() ? "; to grant read access " : "; ").append(r.fixes().get(0))
                            .append(" (more: java -jar energy.jar doctor)");
                }
                sb.append("; CPU energy is ESTIMATED instead");
                log.accept(sb.toString());
            }
            return null;
        }
        if (r.locked()) {
            log.accept("RAPL: some zones are not readable and are left out (java -jar energy.jar doctor says which "
                    + "and how to fix it)");
        }
        return new RaplPowerSource(r.zones(), reader, log, maxWatts);
    }

    private static String origin(RaplZone z, List<RaplZone> all) {
        StringBuilder sb = new StringBuilder(z.dir().toString()).append(" (").append(z.name());
        if (z.kind().equals("package")) {
            List<String> inside = new ArrayList<>();
            for (RaplZone o : all) {
                if (z.dirName().equals(o.parent()) && !o.kind().equals("dram")) {
                    inside.add(o.key());
                }
            }
            if (!inside.isEmpty()) {
                sb.append("; ").append(String.join(" and ", inside)).append(inside.size() == 1 ? " is" : " are")
                        .append(" part of it, not extra");
            }
        } else if (z.parent() != null && !z.kind().equals("dram")) {
            sb.append("; part of package:").append(z.device());
        } else if (z.kind().equals("dram")) {
            sb.append("; memory, not part of the package");
        } else if (z.kind().equals("psys")) {
            sb.append("; the whole platform, may include the packages");
        }
        return sb.append(')').toString();
    }

    @Override
    public String name() {
        return "rapl";
    }

    @Override
    public List<Domain> domains() {
        return domains;
    }

    /** A package zone and the subzones inside one are that socket's; psys and top-level zones are the machine's. */
    @Override
    public int socket(int domainIndex) {
        RaplZone z = zones.get(domainIndex);
        return Domain.PACKAGE.equals(z.kind()) || z.parent() != null ? z.device() : -1;
    }

    @Override
    public void read(long nowNanos, long[] cumulativeNanoJoules) {
        long t0 = System.nanoTime();
        for (int i = 0; i < counters.length; i++) {
            readZone(i, nowNanos);
            cumulativeNanoJoules[i] = counters[i].cumulativeNanoJoules();
        }
        readCostNanos += System.nanoTime() - t0;
    }

    private void readZone(int i, long nowNanos) {
        RaplZone z = zones.get(i);
        String text;
        try {
            text = reader.read(z.energyFile());
        } catch (NoSuchFileException e) {
            trouble(i, Trouble.GONE, "RAPL zone " + z.dirName() + " (" + z.key() + ") has disappeared; its energy "
                    + "stays at what was read before");
            return;
        } catch (AccessDeniedException e) {
            trouble(i, Trouble.DENIED, "RAPL zone " + z.dirName() + " (" + z.key() + "): permission denied on "
                    + z.energyFile() + "; its energy stays at what was read before");
            return;
        } catch (IOException | RuntimeException e) {
            trouble(i, Trouble.UNREADABLE, "RAPL zone " + z.dirName() + " (" + z.key() + "): cannot read "
                    + z.energyFile() + " (" + RaplDiscovery.describe(e) + ")");
            return;
        }
        long raw;
        try {
            raw = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            raw = -1;
        }
        if (raw < 0 || (z.rangeUj() > 0 && raw > z.rangeUj())) {
            trouble(i, Trouble.GARBAGE, "RAPL zone " + z.dirName() + " (" + z.key() + "): " + z.energyFile()
                    + " holds '" + RaplDiscovery.printable(text.trim()) + "', not a count of microjoules from 0 to "
                    + (z.rangeUj() > 0 ? z.rangeUj() : "max_energy_range_uj") + "; that reading is skipped");
            return;
        }
        failing[i] = false;
        long before = counters[i].anomalies();
        counters[i].advance(raw, nowNanos);
        if (counters[i].anomalies() > before && !counterAnomalySaid[i]) {
            counterAnomalySaid[i] = true;
            log.accept("RAPL zone " + z.dirName() + " (" + z.key() + "): " + counters[i].lastAnomaly()
                    + "; counted in health.sourceAnomalies (further ones on this zone are counted, not said)");
        }
    }

    /** One anomaly per episode of trouble; one message per zone and kind of trouble. */
    private void trouble(int i, Trouble kind, String message) {
        if (!failing[i]) {
            failing[i] = true;
            counters[i].anomaly(message);
        }
        if (said.get(i).add(kind)) {
            log.accept(message);
        }
    }

    @Override
    public long anomalies() {
        long n = 0;
        for (ZoneCounter c : counters) {
            n += c.anomalies();
        }
        return n;
    }

    @Override
    public long readCostNanos() {
        return readCostNanos;
    }

}

package io.energy.power.rapl;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the RAPL zones under a powercap root and says, for people, what it found.
 *
 * <p>The kernel shows every zone twice: flat in {@code /sys/class/powercap} ({@code intel-rapl:0},
 * {@code intel-rapl:0:0}, ...) and nested under {@code /sys/devices/virtual/powercap/intel-rapl}. Both
 * layouts are accepted, and a zone is known by its directory name so that it is counted once. What a zone
 * measures comes from its {@code name} file only: {@code intel-rapl:1} is the second socket on a server and
 * psys on a laptop. AMD Zen (Linux 5.8+) uses the same tree and names. The {@code intel-rapl-mmio:*} zones
 * are the same package counters seen through another interface, so they are left out rather than counted
 * twice.
 */
final class RaplDiscovery {
    private static final Pattern ZONE = Pattern.compile("intel-rapl:(\\d+)(?::(\\d+))?");
    private static final Pattern PACKAGE = Pattern.compile("package-(\\d+)");

    /**
     * @param zones            the zones whose {@code energy_uj} could be read, in index order (a zone, then
     *                         its subzones)
     * @param found            one line per finding
     * @param problem          why no zone is usable, or null
     * @param fixes            one-line ways to make unusable zones usable
     * @param locked           some zone exists but its {@code energy_uj} is refused to this user
     */
    record Result(List<RaplZone> zones, List<String> found, String problem, List<String> fixes, boolean locked) {
        boolean usable() {
            return !zones.isEmpty();
        }
    }

    private RaplDiscovery() {
    }

    static Result scan(Path root, SysfsReader reader) {
        List<String> found = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            found.add("no directory " + root);
            return new Result(List.of(), found, "no powercap directory at " + root + ": this system exposes no RAPL "
                    + "energy counters (a virtual machine or container that hides them, a CPU without RAPL, or the "
                    + "powercap RAPL driver not loaded)", List.of(
                    "on bare-metal Linux with an Intel or AMD Zen CPU: sudo modprobe intel_rapl_msr",
                    "if the counters live elsewhere: rapl.root=DIR",
                    "in a virtual machine there is nothing to read: the estimate is the best available"), false);
        }
        Map<String, Path> dirs = new TreeMap<>(ZONE_ORDER);
        List<String> mmio = new ArrayList<>();
        List<String> listed = new ArrayList<>();
        collect(root, dirs, mmio, listed, found);
        if (dirs.isEmpty()) {
            found.add(root + " holds " + (listed.isEmpty() ? "nothing" : String.join(", ", listed)));
            return new Result(List.of(), found, "no RAPL zones (intel-rapl:N) under " + root, List.of(
                    "on bare-metal Linux with an Intel or AMD Zen CPU: sudo modprobe intel_rapl_msr",
                    "if the counters live elsewhere: rapl.root=DIR"), false);
        }

        // top-level zones first, so that a subzone can take its package's socket
        Map<String, RaplZone> byDir = new HashMap<>();
        Map<String, String> keyOwner = new HashMap<>();
        Map<String, Integer> ordinal = new HashMap<>();
        List<RaplZone> resolved = new ArrayList<>();
        Map<RaplZone, String> lines = new LinkedHashMap<>();
        for (boolean top : new boolean[] {true, false}) {
            for (Map.Entry<String, Path> e : dirs.entrySet()) {
                Matcher m = ZONE.matcher(e.getKey());
                if (!m.matches() || (m.group(2) == null) != top) {
                    continue;
                }
                String dirName = e.getKey();
                Path dir = e.getValue();
                String name;
                try {
                    name = reader.read(dir.resolve("name")).trim();
                } catch (IOException | RuntimeException ex) {
                    found.add(dirName + ": no readable name file (" + describe(ex) + "), left out");
                    continue;
                }
                String parent = top ? null : "intel-rapl:" + m.group(1);
                String kind;
                int device;
                Matcher pm = PACKAGE.matcher(name);
                if (pm.matches() && top) {
                    kind = "package";
                    device = Integer.parseInt(pm.group(1));
                } else if (name.equals("core") || name.equals("uncore") || name.equals("dram")
                        || name.equals("psys")) {
                    kind = name;
                    RaplZone p = parent == null ? null : byDir.get(parent);
                    if (p != null && p.kind().equals("package")) {
                        device = p.device();
                    } else if (parent != null) {
                        found.add(dirName + ": '" + name + "' inside " + parent + ", which is no usable package "
                                + "zone, left out");
                        continue;
                    } else {
                        // a top-level zone that is not a package (psys, or dram on some platforms) has its own index
                        device = ordinal.merge(kind, 1, Integer::sum) - 1;
                    }
                } else {
                    found.add(dirName + ": zone name '" + printable(name) + "' is not one of package-N, core, uncore, "
                            + "dram, psys, left out");
                    continue;
                }
                long range = -1;
                try {
                    range = Long.parseLong(reader.read(dir.resolve("max_energy_range_uj")).trim());
                } catch (IOException | RuntimeException ex) {
                    // reported with the zone below
                }
                RaplZone z = new RaplZone(dirName, dir, name, kind, device, parent, range);
                String owner = keyOwner.putIfAbsent(z.key(), dirName);
                if (owner != null) {
                    found.add(dirName + ": '" + name + "' would be " + z.key() + " again (already " + owner
                            + "), left out");
                    continue;
                }
                byDir.put(dirName, z);
                resolved.add(z);
            }
        }

        resolved.sort(Comparator.comparing(RaplZone::dirName, ZONE_ORDER));
        List<RaplZone> readable = new ArrayList<>();
        int denied = 0;
        String firstError = null;
        for (RaplZone z : resolved) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-15s name %-11s -> %-10s ",
                    z.dirName(), "'" + z.name() + "'", z.key() + ","));
            try {
                String text = reader.read(z.energyFile()).trim();
                long uj = Long.parseLong(text);
                if (uj < 0) {
                    throw new NumberFormatException("negative");
                }
                readable.add(z);
                line.append(String.format(Locale.ROOT, "energy_uj readable (%.3f J on the counter)", uj / 1e6));
            } catch (AccessDeniedException ex) {
                denied++;
                line.append("energy_uj NOT readable: permission denied");
                firstError = firstError == null ? "permission denied on " + z.energyFile() : firstError;
            } catch (NumberFormatException ex) {
                line.append("energy_uj holds no whole number of microjoules");
                firstError = firstError == null ? z.energyFile() + " holds no whole number of microjoules"
                        : firstError;
            } catch (IOException | RuntimeException ex) {
                line.append("energy_uj NOT readable: ").append(describe(ex));
                firstError = firstError == null ? "cannot read " + z.energyFile() + ": " + describe(ex) : firstError;
            }
            line.append(z.rangeUj() > 0 ? String.format(Locale.ROOT, ", wraps at %.1f J", z.rangeUj() / 1e6)
                    : ", max_energy_range_uj unreadable: a wrap cannot be told from a glitch");
            found.add(line.toString());
        }
        for (String m : mmio) {
            found.add(m + ": left out (the same package counter seen through MMIO; read once through intel-rapl)");
        }

        List<String> fixes = denied > 0 ? permissionFixes(root) : List.of();
        String problem = null;
        if (readable.isEmpty()) {
            if (resolved.isEmpty()) {
                problem = "RAPL zones found under " + root + ", but none with a known name";
            } else if (denied == resolved.size()) {
                problem = "energy_uj is readable only by root (Linux 5.10 and later restrict it, CVE-2020-8694) "
                        + "and this JVM runs as '" + System.getProperty("user.name") + "'";
            } else {
                problem = "no RAPL counter could be read: " + firstError;
            }
        } else if (denied > 0) {
            found.add(denied + " zone(s) left out: permission denied (see the fixes)");
        }
        readable.sort(Comparator.comparing(RaplZone::dirName, ZONE_ORDER));
        return new Result(List.copyOf(readable), List.copyOf(found), problem, fixes, denied > 0);
    }

    /** The ways to grant read access, each one line that can be pasted. */
    static List<String> permissionFixes(Path root) {
        String dir = root.toString();
        return List.of(
                "until the next reboot: sudo chmod a+r " + dir + "/intel-rapl:*/energy_uj",
                "at every boot: echo 'ACTION==\"add\", SUBSYSTEM==\"powercap\", KERNEL==\"intel-rapl:*\", "
                        + "RUN+=\"/bin/chmod a+r /sys%p/energy_uj\"' | sudo tee /etc/udev/rules.d/99-energy-rapl.rules"
                        + " && sudo udevadm control --reload && sudo udevadm trigger --subsystem-match=powercap"
                        + " --action=add",
                "or run the JVM as root",
                "note: either grant lets every local user read the energy counters again (the side channel the kernel"
                        + " closed): fine on a machine you own, think twice on a shared one");
    }

    private static void collect(Path root, Map<String, Path> dirs, List<String> mmio, List<String> listed,
                                List<String> found) {
        List<Path> tops = new ArrayList<>();
        for (Path p : list(root, found)) {
            String n = p.getFileName().toString();
            listed.add(n);
            if (n.startsWith("intel-rapl-mmio")) {
                mmio.add(n);
            } else if (ZONE.matcher(n).matches() && Files.isDirectory(p)) {
                dirs.putIfAbsent(n, p);
                tops.add(p);
            } else if (n.equals("intel-rapl") && Files.isDirectory(p)) {
                // the nested layout: /sys/devices/virtual/powercap/intel-rapl/intel-rapl:0/intel-rapl:0:0
                for (Path c : list(p, found)) {
                    String cn = c.getFileName().toString();
                    if (ZONE.matcher(cn).matches() && Files.isDirectory(c)) {
                        dirs.putIfAbsent(cn, c);
                        tops.add(c);
                    }
                }
            }
        }
        for (Path t : tops) {
            if (t.getFileName().toString().indexOf(':') != t.getFileName().toString().lastIndexOf(':')) {
                continue; // already a subzone
            }
            for (Path c : list(t, found)) {
                String cn = c.getFileName().toString();
                if (ZONE.matcher(cn).matches() && Files.isDirectory(c)) {
                    dirs.putIfAbsent(cn, c);
                }
            }
        }
    }

    private static List<Path> list(Path dir, List<String> found) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                out.add(p);
            }
        } catch (IOException | RuntimeException e) {
            found.add("cannot list " + dir + ": " + describe(e));
        }
        out.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return out;
    }

    /** intel-rapl:2 before intel-rapl:10; a zone before its subzones. */
    private static final Comparator<String> ZONE_ORDER = (a, b) -> {
        String[] x = a.split(":");
        String[] y = b.split(":");
        for (int i = 1; i < Math.min(x.length, y.length); i++) {
            int c = Long.compare(Long.parseLong(x[i]), Long.parseLong(y[i]));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    };

    static String describe(Throwable e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < 40; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c >= 0x7f ? '?' : c);
        }
        return sb.toString();
    }
}

package io.energy.power.nvml;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which NVML devices a CUDA program in this process can see, and what CUDA calls them, from the value
 * of {@code CUDA_VISIBLE_DEVICES}. A pure function so that tests need not set environment variables.
 *
 * <p>CUDA's rules, as documented: unset means every GPU; the value is a comma-separated list of device
 * indices or GPU UUIDs ({@code GPU-...}, any unique prefix); the i-th entry becomes CUDA device i; the
 * first invalid entry hides itself and everything after it (so an empty value hides every GPU). A
 * repeated device is treated as invalid too, so that one GPU's energy can never be counted twice.
 * {@code MIG-...} entries name a slice of a GPU, whose energy NVML cannot meter on its own: they keep
 * their CUDA number but are not measured.
 *
 * <p>Indices are NVML's, which are in PCI bus order; CUDA numbers GPUs fastest-first unless
 * {@code CUDA_DEVICE_ORDER=PCI_BUS_ID}. The two agree when all GPUs are the same model; when they are not,
 * the selection says so (UUIDs are exact either way).
 */
final class CudaVisibleDevices {
    private CudaVisibleDevices() {
    }

    /** One measured device: NVML's index for it and the number CUDA (and the domain key) gives it. */
    record Visible(int nvmlIndex, int cudaOrdinal) {
    }

    /**
     * @param visible the devices to measure, in CUDA order
     * @param note    what a person should know about the selection (an ignored entry, an ordering
     *                caveat), or null
     */
    record Selection(List<Visible> visible, String note) {
    }

    /**
     * @param env   the value of CUDA_VISIBLE_DEVICES, or null if unset
     * @param order the value of CUDA_DEVICE_ORDER, or null if unset
     * @param uuids every NVML device's UUID, by NVML index
     * @param names every NVML device's name, by NVML index
     */
    static Selection select(String env, String order, List<String> uuids, List<String> names) {
        int count = uuids.size();
        List<Visible> out = new ArrayList<>();
        if (env == null) {
            for (int i = 0; i < count; i++) {
                out.add(new Visible(i, i));
            }
            return new Selection(out, orderNote(order, names, false, out));
        }
        if (env.isBlank()) {
            return new Selection(out, "CUDA_VISIBLE_DEVICES is empty: CUDA sees no GPU");
        }
        List<String> notes = new ArrayList<>();
        String[] entries = env.split(",", -1);
        boolean usedIndex = false;
        for (int pos = 0; pos < entries.length; pos++) {
            String e = entries[pos].trim();
            if (e.regionMatches(true, 0, "MIG-", 0, 4)) {
                notes.add("CUDA device " + pos + " is the MIG instance " + e + ": NVML cannot meter a MIG slice's "
                        + "energy, so it is not measured");
                continue;
            }
            int index = resolve(e, uuids);
            String invalid = null;
            if (index == -1) {
                invalid = "is not a GPU index (0.." + (count - 1) + ") or a GPU UUID here";
            } else if (index == -2) {
                invalid = "matches more than one GPU UUID";
            } else {
                for (Visible v : out) {
                    if (v.nvmlIndex() == index) {
                        invalid = "names a GPU already listed";
                        break;
                    }
                }
            }
            if (invalid != null) {
                notes.add("CUDA_VISIBLE_DEVICES entry '" + e + "' " + invalid + ": CUDA ignores it and every entry after it");
                break;
            }
            usedIndex |= !e.regionMatches(true, 0, "GPU-", 0, 4);
            out.add(new Visible(index, pos));
        }
        String orderNote = orderNote(order, names, usedIndex, out);
        if (orderNote != null) {
            notes.add(orderNote);
        }
        return new Selection(out, notes.isEmpty() ? null : String.join("; ", notes));
    }

    /** NVML index for an entry; -1 if none matches, -2 if a UUID prefix matches several. */
    private static int resolve(String e, List<String> uuids) {
        if (!e.isEmpty() && e.chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
                int i = Integer.parseInt(e);
                return i < uuids.size() ? i : -1;
            } catch (NumberFormatException tooLong) {
                return -1;
            }
        }
        if (e.length() <= 4 || !e.regionMatches(true, 0, "GPU-", 0, 4)) {
            return -1;
        }
        String want = e.toLowerCase(Locale.ROOT);
        int found = -1;
        for (int i = 0; i < uuids.size(); i++) {
            if (uuids.get(i).toLowerCase(Locale.ROOT).startsWith(want)) {
                if (found >= 0) {
                    return -2;
                }
                found = i;
            }
        }
        return found;
    }

    private static String orderNote(String order, List<String> names, boolean usedIndex, List<Visible> visible) {
        boolean pciOrder = order != null && order.trim().equalsIgnoreCase("PCI_BUS_ID");
        if (pciOrder || visible.size() < 2 && !usedIndex) {
            return null;
        }
        if (names.stream().distinct().count() > 1) {
            return "the GPUs are of different models and CUDA_DEVICE_ORDER is not PCI_BUS_ID, so CUDA may number "
                    + "them differently from NVML (gpu:N here is NVML's order); set CUDA_DEVICE_ORDER=PCI_BUS_ID "
                    + "to make them agree";
        }
        return null;
    }
}

package io.energy.power;

import java.util.ArrayList;
import java.util.List;

/** Several sources read as one: CPU-side from RAPL (or the model) and GPUs from NVML, say. */
public final class CompositePowerSource implements PowerSource {
    private final List<PowerSource> parts;
    private final List<Domain> domains;
    private final int[] offsets;
    private final long[][] scratch;

    public CompositePowerSource(List<PowerSource> parts) {
        this.parts = List.copyOf(parts);
        List<Domain> all = new ArrayList<>();
        offsets = new int[parts.size()];
        scratch = new long[parts.size()][];
        for (int i = 0; i < parts.size(); i++) {
            offsets[i] = all.size();
            all.addAll(parts.get(i).domains());
            scratch[i] = new long[parts.get(i).domains().size()];
        }
        domains = List.copyOf(all);
    }

    public List<PowerSource> parts() {
        return parts;
    }

    @Override
    public String name() {
        StringBuilder sb = new StringBuilder();
        for (PowerSource p : parts) {
            sb.append(sb.length() == 0 ? "" : "+").append(p.name());
        }
        return sb.toString();
    }

    @Override
    public List<Domain> domains() {
        return domains;
    }

    @Override
    public void read(long nowNanos, long[] cumulativeNanoJoules) {
        for (int i = 0; i < parts.size(); i++) {
            parts.get(i).read(nowNanos, scratch[i]);
            System.arraycopy(scratch[i], 0, cumulativeNanoJoules, offsets[i], scratch[i].length);
        }
    }

    private int part(int domainIndex) {
        for (int i = parts.size() - 1; i >= 0; i--) {
            if (domainIndex >= offsets[i]) {
                return i;
            }
        }
        return 0;
    }

    @Override
    public double idleWatts(int domainIndex) {
        int p = part(domainIndex);
        return parts.get(p).idleWatts(domainIndex - offsets[p]);
    }

    @Override
    public double processShare(int domainIndex) {
        int p = part(domainIndex);
        return parts.get(p).processShare(domainIndex - offsets[p]);
    }

    @Override
    public int socket(int domainIndex) {
        int p = part(domainIndex);
        return parts.get(p).socket(domainIndex - offsets[p]);
    }

    @Override
    public long anomalies() {
        long n = 0;
        for (PowerSource p : parts) {
            n += p.anomalies();
        }
        return n;
    }

    @Override
    public long readCostNanos() {
        long n = 0;
        for (PowerSource p : parts) {
            n += p.readCostNanos();
        }
        return n;
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (PowerSource p : parts) {
            sb.append(sb.length() == 0 ? "" : "\n").append(p.describe());
        }
        return sb.toString();
    }

    @Override
    public void close() {
        for (PowerSource p : parts) {
            try {
                p.close();
            } catch (RuntimeException ignored) {
                // closing one source must not keep the others open
            }
        }
    }
}

package io.energy.metrics;

import io.energy.report.EnergyProfile;
import io.energy.report.MethodStats;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The energy metrics as Prometheus snapshots, built from the same immutable {@link EnergyProfile} the
 * file writers read (names and meaning in docs/metrics.md). The library writes the exposition formats
 * and escapes the label values; this class decides what the numbers are.
 *
 * <p>One instance lives for one <em>counter epoch</em>: from an energy start to the next stop. Within an
 * epoch every counter is monotonic: a reconfiguration ({@code start} again by attach) ends one session and
 * begins another, whose counters start from zero; the previous session's final values are carried as a
 * base. Each exported value is also clamped to the last one exported, so that nothing (a source anomaly, a
 * rounding difference between two profiles) makes a counter go backwards. A stop ends the epoch: the
 * endpoint closes, and the next start is a new epoch with new created timestamps and
 * {@code energy_session_start_time_seconds}, which is how Prometheus expects a counter reset to look.
 *
 * <p>Cardinality is bounded: at most {@code methodLimit} methods get their own series, chosen by self
 * energy when first seen and then kept (a method that lost its place would leave a stale series, and
 * moving its joules into {@code other} would make {@code other} jump and later fall); every other method
 * is summed into {@code method="other"}.
 */
public final class EnergyMetrics implements MultiCollector {
    /** Label value of the series that sums the methods without their own series. */
    public static final String OTHER = "other";

    private final int methodLimit;
    private final long epochStartMillis;
    private final Set<String> ownSeries = new LinkedHashSet<>();
    private boolean otherSeen;
    private EnergyProfile lastProfile;
    private MetricSnapshots lastSnapshots;
    /** Per series: the carried base (finished sessions of this epoch) and the last value exported. */
    private final Map<String, double[]> carry = new HashMap<>();
    private volatile Supplier<EnergyProfile> profiles;
    private volatile String sampler = "";
    private volatile double samplePeriodSeconds = Double.NaN;

    public EnergyMetrics(int methodLimit, long epochStartMillis, Supplier<EnergyProfile> profiles) {
        this.methodLimit = methodLimit;
        this.epochStartMillis = epochStartMillis;
        this.profiles = profiles;
    }

    /** The next session of this epoch: later scrapes read it. */
    public synchronized void source(Supplier<EnergyProfile> profiles, String sampler, double samplePeriodSeconds) {
        this.profiles = profiles;
        this.sampler = sampler;
        this.samplePeriodSeconds = samplePeriodSeconds;
        lastProfile = null;
    }

    public int methodLimit() {
        return methodLimit;
    }

    public long epochStartMillis() {
        return epochStartMillis;
    }

    /**
     * A session of this epoch ended (a reconfiguration): its final figures become the base that the next
     * session's figures are added to.
     */
    public synchronized void carryOver(EnergyProfile finalProfile, Supplier<EnergyProfile> next, String sampler,
                                       double samplePeriodSeconds) {
        carryOver(finalProfile);
        source(next, sampler, samplePeriodSeconds);
    }

    synchronized void carryOver(EnergyProfile finalProfile) {
        if (finalProfile != null) {
            // The ended session's energy still waiting for samples never gets them: it stays in (unattributed).
            snapshots(finalProfile, true);
        }
        for (double[] c : carry.values()) {
            c[0] = c[1];
        }
        lastProfile = null;
    }

    @Override
    public MetricSnapshots collect() {
        // The profile is taken under the monitor too: a scrape must not add an old session's profile to a base
        // that a concurrent carryOver has already raised by that same session's figures.
        synchronized (this) {
            EnergyProfile p = profiles.get();
            // The session hands out the same profile for a second: scrapes within it reuse its snapshots
            // (EnergyProfile.methods() walks the whole call tree, ~10-50 ms for 11 000 paths here).
            if (p != lastProfile) {
                lastSnapshots = snapshots(p);
                lastProfile = p;
            }
            return lastSnapshots;
        }
    }

    /** The snapshots for one profile; updates the carried state (call under the monitor). */
    MetricSnapshots snapshots(EnergyProfile p) {
        return snapshots(p, false);
    }

    /** @param ended the profile of a session that has ended: its pending energy will not move any more */
    MetricSnapshots snapshots(EnergyProfile p, boolean ended) {
        List<MetricSnapshot> out = new ArrayList<>();
        List<EnergyProfile.DomainTotal> domains = p.domains();

        out.add(InfoSnapshot.builder().name("energy")
                .help("The energy agent: power source, call-path sampler, whether any figure is estimated, version")
                .dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(Labels.of(
                        "estimated", Boolean.toString(p.estimated()),
                        "sampler", sampler,
                        "source", p.source(),
                        "version", p.agentVersion())).build())
                .build());

        CounterSnapshot.Builder energy = CounterSnapshot.builder().name("energy_joules").unit(Unit.JOULES)
                .help("Energy per domain since the agent started: measured (the whole domain), and its parts "
                        + "process (this JVM), idle (static) and other_processes; measured = process + idle + other_processes");
        for (EnergyProfile.DomainTotal d : domains) {
            energy.dataPoint(counter("energy_joules", d.measured() / 1e9, "domain", d.key(), "kind", "measured"));
            energy.dataPoint(counter("energy_joules", d.process() / 1e9, "domain", d.key(), "kind", "process"));
            energy.dataPoint(counter("energy_joules", d.staticIdle() / 1e9, "domain", d.key(), "kind", "idle"));
            energy.dataPoint(counter("energy_joules", d.otherProcesses() / 1e9, "domain", d.key(), "kind", "other_processes"));
        }
        out.add(energy.build());

        out.add(methods(p, ended));

        GaugeSnapshot.Builder pendingJ = GaugeSnapshot.builder().name("energy_pending_joules").unit(Unit.JOULES)
                .help("The process's energy per domain measured but not yet split over CPU-time stack samples: it waits "
                        + "for the sampler's next harvest (up to 5 s apart) and then joins the methods' counters, or after "
                        + "10 s without samples the (unattributed) counter");
        for (EnergyProfile.DomainTotal d : domains) {
            pendingJ.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(ended ? 0 : d.pending() / 1e9)
                    .labels(Labels.of("domain", d.key())).build());
        }
        out.add(pendingJ.build());

        GaugeSnapshot.Builder power = GaugeSnapshot.builder().name("energy_power_watts").unit(new Unit("watts"))
                .help("Power per domain over the latest attribution interval (the whole domain, as measured or estimated)");
        List<EnergyProfile.TimelinePoint> timeline = p.timeline();
        EnergyProfile.TimelinePoint last = timeline.isEmpty() ? null : timeline.get(timeline.size() - 1);
        for (int d = 0; d < domains.size(); d++) {
            double w = last == null || d >= last.watts().length ? 0 : last.watts()[d];
            power.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(w)
                    .labels(Labels.of("domain", domains.get(d).key())).build());
        }
        out.add(power.build());

        EnergyProfile.Health h = p.health();
        out.add(single("energy_agent_cpu_seconds", Unit.SECONDS, h.agentCpuNanos() / 1e9,
                "CPU time of the agent's collector and writer threads (what observing costs; scrapes are not in it)"));
        out.add(single("energy_source_read_cpu_seconds", Unit.SECONDS, h.sourceReadNanos() / 1e9,
                "CPU time spent reading the power source"));
        out.add(single("energy_process_cpu_seconds", Unit.SECONDS, h.processCpuNanos() / 1e9,
                "CPU time of the whole process, as the agent measured it for attribution"));
        out.add(single("energy_source_anomalies", null, h.anomalies(),
                "Power counter readings the source rejected (wraparound, a counter that went backwards, a stall)"));
        out.add(single("energy_paths_over_cap", null, h.pathsOverCap(),
                "Call paths folded into (other paths) because of max.paths"));
        out.add(single("energy_calls_beyond_depth", null, h.callsBeyondDepth(),
                "Calls deeper than max.depth, counted on their deepest kept frame"));

        out.add(gauge("energy_instrumented_methods", null, h.instrumentedMethods(), "Methods carrying the agent's advice"));
        out.add(gauge("energy_threads", null, h.threads(), "Threads that ran instrumented code"));
        out.add(gauge("energy_call_paths", null, h.pathNodes(), "Distinct call paths in the ledger (bounded by max.paths)"));
        if (!Double.isNaN(samplePeriodSeconds)) {
            out.add(gauge("energy_sample_period_seconds", Unit.SECONDS, samplePeriodSeconds, "Call-path sampling period"));
        }
        out.add(gauge("energy_session_start_time_seconds", Unit.SECONDS, epochStartMillis / 1000.0,
                "When the counters started from zero (agent start, or a start after a stop), in seconds since the epoch"));
        return new MetricSnapshots(out);
    }

    /**
     * Self and inclusive joules per method and domain: the first {@code methodLimit} methods (instrumented ones
     * first, then by self energy) keep their own series; the rest are summed into {@code method="other"}. The ledger's buckets
     * ((uninstrumented), (static/idle), ...) are entries like methods, so the self series of a domain add up to
     * its measured energy.
     */
    private MetricSnapshot methods(EnergyProfile p, boolean ended) {
        int nd = p.domains().size();
        List<MethodStats> all = p.methods(); // sorted by self energy, largest first
        // Places go first to the methods the user named (instrumented: they have calls), then by self energy:
        // with CPU energy on real stacks the largest self energies are JDK and library leaves, and a service's
        // own handlers must not lose their series to them.
        for (int pass = 0; pass < 2; pass++) {
            for (MethodStats m : all) {
                if (ownSeries.size() >= methodLimit) {
                    break;
                }
                boolean named = m.calls() > 0;
                // A place is given for energy, not for being loaded: a method that has cost nothing yet (an
                // argument parser run once at start) must not take a place that a hot method needs later.
                if ((pass == 0) == named && m.inclusiveTotal() > 0) {
                    ownSeries.add(m.name());
                }
            }
        }
        long[] pending = new long[nd];
        for (int d = 0; d < nd; d++) {
            pending[d] = ended ? 0 : p.domains().get(d).pending();
        }
        Map<String, MethodStats> byName = new LinkedHashMap<>();
        long[] otherSelf = new long[nd];
        long[] otherIncl = new long[nd];
        boolean anyOther = false;
        for (MethodStats m : all) {
            if (ownSeries.contains(m.name())) {
                byName.put(m.name(), m);
            } else {
                anyOther = true;
                for (int d = 0; d < nd; d++) {
                    otherSelf[d] += shown(m, m.selfNanoJoules(), d, pending);
                    otherIncl[d] += shown(m, m.inclusiveNanoJoules(), d, pending);
                }
            }
        }
        CounterSnapshot.Builder b = CounterSnapshot.builder().name("energy_method_joules").unit(Unit.JOULES)
                .help("Energy per method and domain: self (the method itself) and inclusive (with what it "
                        + "called); the top methods by self energy have their own series, the rest are summed in method=other");
        for (String name : ownSeries) {
            MethodStats m = byName.get(name);
            for (int d = 0; d < nd; d++) {
                String dom = p.domains().get(d).key();
                // A method of an earlier session of this epoch that this one has not run (yet) keeps its series
                // at its carried value.
                b.dataPoint(counter("energy_method_joules", m == null ? 0 : shown(m, m.selfNanoJoules(), d, pending) / 1e9,
                        "domain", dom, "kind", "self", "method", name));
                b.dataPoint(counter("energy_method_joules", m == null ? 0 : shown(m, m.inclusiveNanoJoules(), d, pending) / 1e9,
                        "domain", dom, "kind", "inclusive", "method", name));
            }
        }
        otherSeen |= anyOther;
        if (otherSeen) { // once there, the series stays: a counter series does not vanish within an epoch
            for (int d = 0; d < nd; d++) {
                String dom = p.domains().get(d).key();
                b.dataPoint(counter("energy_method_joules", otherSelf[d] / 1e9, "domain", dom, "kind", "self", "method", OTHER));
                b.dataPoint(counter("energy_method_joules", otherIncl[d] / 1e9, "domain", dom, "kind", "inclusive", "method", OTHER));
            }
        }
        return b.build();
    }

    /** The bucket that shows, between two harvests, the energy still waiting for stack samples. */
    static final String UNATTRIBUTED = "(unattributed)";

    /**
     * A method's nanojoules in domain {@code d} as its counter shows them: the {@code (unattributed)} bucket without
     * the energy still waiting for stack samples. A profile between two harvests shows that energy there so that
     * every file adds up; the next harvest moves it to the methods that ran, and a counter must never give back
     * what it showed (it would stay at its high-water mark, overstated for good). It is the
     * {@code energy_pending_joules} gauge instead.
     */
    private static long shown(MethodStats m, long[] nanoJoules, int d, long[] pending) {
        long v = nanoJoules[d];
        return m.kind() == EnergyProfile.Kind.BUCKET && UNATTRIBUTED.equals(m.name()) ? Math.max(0, v - pending[d]) : v;
    }

    private CounterSnapshot single(String name, Unit unit, double value, String help) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        if (unit != null) {
            b.unit(unit);
        }
        return b.dataPoint(counter(name, value)).build();
    }

    private static GaugeSnapshot gauge(String name, Unit unit, double value, String help) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
        if (unit != null) {
            b.unit(unit);
        }
        return b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).build()).build();
    }

    /** A counter point: the carried base plus this session's value, never below what was exported before. */
    private CounterSnapshot.CounterDataPointSnapshot counter(String name, double sessionValue, String... labels) {
        double[] c = carry.computeIfAbsent(key(name, labels), k -> new double[2]);
        double v = c[0] + Math.max(0, sessionValue);
        if (!(v >= c[1])) { // also catches NaN
            v = c[1];
        }
        c[1] = v;
        return CounterSnapshot.CounterDataPointSnapshot.builder().value(v).labels(Labels.of(labels))
                .createdTimestampMillis(epochStartMillis).build();
    }

    private static String key(String name, String... labels) {
        StringBuilder sb = new StringBuilder(name);
        for (String l : labels) {
            sb.append('\0').append(l);
        }
        return sb.toString();
    }
}

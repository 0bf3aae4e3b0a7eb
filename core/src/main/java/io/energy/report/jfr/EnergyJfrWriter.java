package io.energy.report.jfr;

import io.energy.report.EnergyProfile;
import io.energy.report.ProfileWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

import static io.energy.report.jfr.EnergyEventNames.*;
import static io.energy.report.jfr.JfrChunkWriter.annotation;
import static io.energy.report.jfr.JfrChunkWriter.arrayAnnotation;

/**
 * {@code energy.jfr}: the whole run as a clean recording for JDK Mission Control. Each call path of the
 * ledger is one {@code energy.CallPathEnergy} event whose stack trace is that path (its instrumented
 * frames; the top frame is the path's own method) and whose {@code energy} field ("Energy (J)") is the
 * path's self energy, so JMC's flame graph weighted by "Energy (J)" is the joules flame graph and its
 * root is the ledger's total. The ledger's buckets are frames of a synthetic class {@code energy}
 * ({@code energy.(uninstrumented)}, {@code energy.(static/idle)}…) so nothing is left out of that total.
 *
 * <p>Also: one {@code energy.DomainEnergy} per domain (measured, static/idle, other processes, this
 * process), the power timeline as {@code energy.PowerSample} events, and one {@code energy.Run} with the
 * run's metadata and health. Field by field: docs/jfr.md.
 */
public final class EnergyJfrWriter implements ProfileWriter {
    /** Frames of the ledger's buckets, which are not methods. */
    static final String BUCKET_CLASS = "energy";

    @Override
    public String fileName() {
        return "energy.jfr";
    }

    @Override
    public void write(EnergyProfile profile, OutputStream out) throws IOException {
        Model m = new Model(new JfrChunkWriter());
        long duration = Math.max(1, profile.durationNanos());
        List<String> kinds = new ArrayList<>();
        for (EnergyProfile.DomainTotal d : profile.domains()) {
            kinds.add(d.kind());
        }
        int[] columns = DomainColumns.of(kinds);
        writePaths(m, profile, columns, duration);
        writeDomains(m, profile, duration);
        writeTimeline(m, profile);
        writeRun(m, profile, duration);
        m.w.writeTo(out, profile.startEpochMillis() * 1_000_000L, duration);
    }

    /** The recording's types: the JDK's own names and shapes, so both JMC and the JDK read them as theirs. */
    private static final class Model {
        final JfrChunkWriter w;
        final JfrChunkWriter.Type label;
        final JfrChunkWriter.Type description;
        final JfrChunkWriter.Type category;
        final JfrChunkWriter.Type timestamp;
        final JfrChunkWriter.Type timespan;
        final JfrChunkWriter.Type pkg;
        final JfrChunkWriter.Type cls;
        final JfrChunkWriter.Type method;
        final JfrChunkWriter.Type frameType;
        final JfrChunkWriter.Type frame;
        final JfrChunkWriter.Type stackTrace;
        final JfrChunkWriter.Type callPath;
        final JfrChunkWriter.Type domain;
        final JfrChunkWriter.Type power;
        final JfrChunkWriter.Type run;

        Model(JfrChunkWriter w) {
            this.w = w;
            label = w.annotationType("jdk.jfr.Label", false);
            description = w.annotationType("jdk.jfr.Description", false);
            category = w.annotationType("jdk.jfr.Category", true);
            timestamp = w.annotationType("jdk.jfr.Timestamp", false);
            timespan = w.annotationType("jdk.jfr.Timespan", false);
            pkg = w.type("jdk.types.Package", null, true).field("name", w.tString, l("Name")).build();
            cls = w.type("java.lang.Class", null, true)
                    .field("name", w.tString, l("Name"))
                    .field("package", pkg, l("Package"))
                    .field("modifiers", w.tInt, l("Access Modifiers")).build();
            method = w.type("jdk.types.Method", null, true)
                    .field("type", cls, l("Type"))
                    .field("name", w.tString, l("Name"))
                    .field("descriptor", w.tString, l("Descriptor"))
                    .field("modifiers", w.tInt, l("Access Modifiers"))
                    .field("hidden", w.tBoolean, l("Hidden")).build();
            frameType = w.simpleType("jdk.types.FrameType").field("description", w.tString).build();
            // Frames are written inline in the stack trace, as the JDK does: its parser cannot read pooled frames.
            frame = w.type("jdk.types.StackFrame", null, false)
                    .field("method", method, l("Java Method"))
                    .field("lineNumber", w.tInt, l("Line Number"))
                    .field("bytecodeIndex", w.tInt, l("Bytecode Index"))
                    .field("type", frameType, l("Frame Type")).build();
            stackTrace = w.type("jdk.types.StackTrace", null, true)
                    .field("truncated", w.tBoolean, l("Truncated"))
                    .field("frames", frame, true, l("Stack Frames")).build();

            callPath = event(CALL_PATH_ENERGY, "Call Path Energy",
                    "Energy of one call path over the whole run: its own frames, not its callees. In JMC's flame "
                            + "graph, weight by \"" + ENERGY + "\" to see joules.")
                    .field("stackTrace", stackTrace, l("Stack Trace"), d("The call path: its instrumented frames, "
                            + "innermost first; the ledger's buckets are frames of the class 'energy'"))
                    .field("method", w.tString, l("Method"), d("The path's own (innermost) method"))
                    .field("energy", w.tDouble, l(ENERGY), d("Self energy of the path, all domains, in joules"))
                    .field("packageEnergy", w.tDouble, l(PACKAGE_ENERGY), d(PACKAGE_DESC))
                    .field("dramEnergy", w.tDouble, l(DRAM_ENERGY), d(DRAM_DESC))
                    .field("gpuEnergy", w.tDouble, l(GPU_ENERGY), d(GPU_DESC))
                    .field("otherEnergy", w.tDouble, l(OTHER_ENERGY), d(OTHER_DESC))
                    .field("uncertainty", w.tDouble, l(UNCERTAINTY), d(UNCERTAINTY_DESC))
                    .field("calls", w.tLong, l("Calls"), d("Calls of the path's method on this path"))
                    .field("wallTime", w.tLong, l("Wall Time"), ns(), d("Time the path was on top of a thread's "
                            + "instrumented stack, summed over threads"))
                    .field("cpuTime", w.tLong, l("CPU Time"), ns(), d("CPU time of those threads while on this path"))
                    .field("estimated", w.tBoolean, l("Estimated"), d(ESTIMATED_DESC)).build();

            domain = event(DOMAIN_ENERGY, "Domain Energy",
                    "Where one domain's energy went over the whole run: static/idle, other processes, this process")
                    .field("domain", w.tString, l("Domain"), d("Domain key, such as package:0 or gpu:0"))
                    .field("kind", w.tString, l("Kind"), d("package, core, uncore, dram, psys or gpu"))
                    .field("device", w.tInt, l("Device"), d("Socket or GPU index"))
                    .field("estimated", w.tBoolean, l("Estimated"), d(ESTIMATED_DESC))
                    .field("origin", w.tString, l("Origin"), d("Where the figures come from"))
                    .field("grain", w.tLong, l("Counter Grain"), ns(), d("How often the counter moves"))
                    .field("measuredEnergy", w.tDouble, l(MEASURED_ENERGY), d("Energy of the whole domain, in joules"))
                    .field("staticEnergy", w.tDouble, l("Static/Idle Energy (J)"),
                            d("Idle power × time, kept out of this process's methods, in joules"))
                    .field("otherProcessesEnergy", w.tDouble, l("Other Processes Energy (J)"),
                            d("Dynamic energy of other processes, in joules"))
                    .field("processEnergy", w.tDouble, l(PROCESS_ENERGY),
                            d("This process's share, spread over its call paths and buckets, in joules"))
                    .field("averagePower", w.tDouble, l("Average Power (W)"), d("Measured energy / time, in watts"))
                    .build();

            power = event(POWER_SAMPLE, "Power Sample",
                    "Energy one domain used over one interval, and this process's part of it")
                    .field("source", w.tString, l("Source"), d("rapl, nvml, estimate, replay"))
                    .field("domain", w.tString, l("Domain"), d("Domain key, such as package:0 or gpu:0"))
                    .field("kind", w.tString, l("Kind"), d("package, core, uncore, dram, psys or gpu"))
                    .field("device", w.tInt, l("Device"), d("Socket or GPU index"))
                    .field("estimated", w.tBoolean, l("Estimated"), d(ESTIMATED_DESC))
                    .field("power", w.tDouble, l(POWER), d("Average power of the domain over the interval, in watts"))
                    .field("measuredEnergy", w.tDouble, l(MEASURED_ENERGY), d("Energy of the domain in the interval"))
                    .field("processEnergy", w.tDouble, l(PROCESS_ENERGY),
                            d("This process's part of the interval's energy, in joules"))
                    .field("grain", w.tLong, l("Counter Grain"), ns(), d("How often the counter moves"))
                    .field("interval", w.tLong, l("Interval"), ns(), d("Length of the interval")).build();

            run = event(RUN, "Energy Run", "The measured run: agent, power source, totals and health")
                    .field("agentVersion", w.tString, l("Agent Version"))
                    .field("schemaVersion", w.tInt, l("Schema Version"))
                    .field("source", w.tString, l("Source"), d("Power source(s): rapl, nvml, estimate, replay"))
                    .field("estimated", w.tBoolean, l("Estimated"), d("True when any domain is estimated"))
                    .field("measuredEnergy", w.tDouble, l(MEASURED_ENERGY), d("All domains, in joules"))
                    .field("processEnergy", w.tDouble, l(PROCESS_ENERGY), d("This process's part, all domains"))
                    .field("measuredTime", w.tLong, l("Measured Time"), ns())
                    .field("instrumentedMethods", w.tInt, l("Instrumented Methods"))
                    .field("threads", w.tInt, l("Threads"), d("Threads that ran instrumented code"))
                    .field("pathNodes", w.tInt, l("Call Paths"), d("Distinct call paths in the ledger"))
                    .field("pathsOverCap", w.tLong, l("Paths Over Cap"), d("Paths folded into (other paths)"))
                    .field("callsBeyondDepth", w.tLong, l("Calls Beyond Depth"), d("Calls deeper than max.depth"))
                    .field("anomalies", w.tLong, l("Counter Anomalies"))
                    .field("agentCpuTime", w.tLong, l("Agent CPU Time"), ns())
                    .field("sourceReadTime", w.tLong, l("Source Read Time"), ns(), d("CPU time spent reading counters"))
                    .field("processCpuTime", w.tLong, l("Process CPU Time"), ns())
                    .field("notes", w.tString, l("Notes"), d("Why figures are estimated, what was unavailable"))
                    .build();
        }

        private JfrChunkWriter.TypeBuilder event(String name, String eventLabel, String desc) {
            return w.type(name, "jdk.jfr.Event", false)
                    .annotate(l(eventLabel), d(desc), arrayAnnotation(category, CATEGORY))
                    .field("startTime", w.tLong, l("Start Time"), annotation(timestamp, "TICKS"))
                    .field("duration", w.tLong, l("Duration"), annotation(timespan, "TICKS"));
        }

        JfrChunkWriter.Annotation l(String value) {
            return annotation(label, value);
        }

        JfrChunkWriter.Annotation d(String value) {
            return annotation(description, value);
        }

        JfrChunkWriter.Annotation ns() {
            return annotation(timespan, "NANOSECONDS");
        }

        /** A frame's method, pooled so that a method on many paths is written once. */
        long methodRef(String classNameOrNull, String methodNameOrNull, String descriptorOrNull) {
            String className = classNameOrNull == null ? "" : classNameOrNull;
            String methodName = methodNameOrNull == null ? "" : methodNameOrNull;
            String descriptor = descriptorOrNull == null ? "" : descriptorOrNull;
            int dot = className.lastIndexOf('.');
            String packageName = dot < 0 ? "" : className.substring(0, dot);
            long p = w.pooled(pkg, packageName, v -> v.putString(packageName));
            long c = w.pooled(cls, className, v -> v.putString(className).putRef(pkg, p).putInt(0));
            return w.pooled(method, List.of(className, methodName, descriptor), v -> v.putRef(cls, c)
                    .putString(methodName).putString(descriptor).putInt(0).putBoolean(false));
        }
    }

    /** One frame of a path: the node's method, or the synthetic {@code energy.(bucket)} frame. */
    private record Frame(long method, String type) {
    }

    private static void writePaths(Model m, EnergyProfile profile, int[] columns, long duration) {
        boolean estimated = profile.estimated();
        EnergyProfile.Node root = profile.root();
        if (hasContent(root)) {
            // The ledger never credits its root; if it ever did, the flame graph total must still show it.
            Frame f = new Frame(m.methodRef(BUCKET_CLASS, "(root)", "()V"), "Energy bucket");
            writePath(m, root, List.of(f), columns, estimated, duration);
        }
        List<Frame> outermostFirst = new ArrayList<>();
        for (EnergyProfile.Node child : root.children()) {
            walk(m, child, outermostFirst, columns, estimated, duration);
        }
    }

    private static void walk(Model m, EnergyProfile.Node node, List<Frame> outermostFirst, int[] columns,
                             boolean estimated, long duration) {
        outermostFirst.add(frameOf(m, node));
        if (hasContent(node)) {
            List<Frame> topFirst = new ArrayList<>(outermostFirst);
            java.util.Collections.reverse(topFirst);
            writePath(m, node, topFirst, columns, estimated, duration);
        }
        for (EnergyProfile.Node c : node.children()) {
            walk(m, c, outermostFirst, columns, estimated, duration);
        }
        outermostFirst.remove(outermostFirst.size() - 1);
    }

    private static boolean hasContent(EnergyProfile.Node n) {
        return n.selfTotal() != 0 || n.calls() != 0 || n.wallNanos() != 0;
    }

    private static Frame frameOf(Model m, EnergyProfile.Node n) {
        if (n.kind() == EnergyProfile.Kind.METHOD && !n.className().isEmpty()) {
            if (n.descriptor().isEmpty()) {
                // A frame found by stack sampling: the sample names the method, not its overload. JFR's
                // readers need a well-formed descriptor, so it gets the neutral "()V".
                return new Frame(m.methodRef(n.className(), n.methodName(), "()V"), "Sampled");
            }
            return new Frame(m.methodRef(n.className(), n.methodName(), n.descriptor()), "Instrumented");
        }
        return new Frame(m.methodRef(BUCKET_CLASS, n.name(), "()V"), "Energy bucket");
    }

    private static void writePath(Model m, EnergyProfile.Node node, List<Frame> framesTopFirst,
                                  int[] columns, boolean estimated, long duration) {
        long stack = m.w.pooled(m.stackTrace, new Object(), v -> v.putBoolean(false)
                .putStructArray(m.frame, framesTopFirst, (f, frame) -> f.putRef(m.method, frame.method())
                        .putInt(-1).putInt(-1)
                        .putRef(m.frameType, m.w.pooled(m.frameType, frame.type(), t -> t.putString(frame.type())))));
        double[] col = DomainColumns.joules(columns, node.selfNanoJoules());
        double bound = node.selfBoundTotal(); // the bound of the energy field, which leaves contained domains out
        String leaf = node.kind() == EnergyProfile.Kind.ROOT ? "(root)" : node.name();
        m.w.event(m.callPath, v -> v.putLong(0).putLong(duration).putRef(m.stackTrace, stack)
                .putString(leaf)
                .putDouble(node.selfTotal() / 1e9)
                .putDouble(col[DomainColumns.PACKAGE]).putDouble(col[DomainColumns.DRAM])
                .putDouble(col[DomainColumns.GPU]).putDouble(col[DomainColumns.OTHER])
                .putDouble(bound).putLong(node.calls()).putLong(node.wallNanos()).putLong(node.cpuNanos())
                .putBoolean(estimated));
    }

    private static void writeDomains(Model m, EnergyProfile profile, long duration) {
        double seconds = duration / 1e9;
        for (EnergyProfile.DomainTotal d : profile.domains()) {
            m.w.event(m.domain, v -> v.putLong(0).putLong(duration)
                    .putString(d.key()).putString(d.kind()).putInt(d.device()).putBoolean(d.estimated())
                    .putString(d.origin()).putLong(d.grainNanos())
                    .putDouble(d.measured() / 1e9).putDouble(d.staticIdle() / 1e9)
                    .putDouble(d.otherProcesses() / 1e9).putDouble(d.process() / 1e9)
                    .putDouble(d.measured() / 1e9 / seconds));
        }
    }

    private static void writeTimeline(Model m, EnergyProfile profile) {
        List<EnergyProfile.DomainTotal> domains = profile.domains();
        for (EnergyProfile.TimelinePoint p : profile.timeline()) {
            long start = Math.max(0, Math.round(p.startSeconds() * 1e9));
            long length = Math.max(0, Math.round((p.endSeconds() - p.startSeconds()) * 1e9));
            double seconds = length / 1e9;
            for (int i = 0; i < domains.size(); i++) {
                EnergyProfile.DomainTotal d = domains.get(i);
                double watts = p.watts()[i];
                double processWatts = p.processWatts()[i];
                m.w.event(m.power, v -> v.putLong(start).putLong(length)
                        .putString(profile.source()).putString(d.key()).putString(d.kind()).putInt(d.device())
                        .putBoolean(d.estimated()).putDouble(watts).putDouble(watts * seconds)
                        .putDouble(processWatts * seconds).putLong(d.grainNanos()).putLong(length));
            }
        }
    }

    private static void writeRun(Model m, EnergyProfile p, long duration) {
        long measured = 0;
        long process = 0;
        for (EnergyProfile.DomainTotal d : p.domains()) {
            if (d.inTotal()) { // core, uncore and psys lie inside others: as in every other output, counted once
                measured += d.measured();
                process += d.process();
            }
        }
        double measuredJ = measured / 1e9;
        double processJ = process / 1e9;
        EnergyProfile.Health h = p.health();
        m.w.event(m.run, v -> v.putLong(0).putLong(duration)
                .putString(p.agentVersion()).putInt(p.schemaVersion()).putString(p.source()).putBoolean(p.estimated())
                .putDouble(measuredJ).putDouble(processJ).putLong(p.durationNanos())
                .putInt(h.instrumentedMethods()).putInt(h.threads()).putInt(h.pathNodes())
                .putLong(h.pathsOverCap()).putLong(h.callsBeyondDepth()).putLong(h.anomalies())
                .putLong(h.agentCpuNanos()).putLong(h.sourceReadNanos()).putLong(h.processCpuNanos())
                .putString(String.join("\n", p.notes())));
    }
}

package io.energy.report.jfr;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.openjdk.jmc.common.item.IAttribute;
import org.openjdk.jmc.common.item.IItemCollection;
import org.openjdk.jmc.common.item.IItemIterable;
import org.openjdk.jmc.common.item.ItemFilters;
import org.openjdk.jmc.common.unit.IQuantity;
import org.openjdk.jmc.common.unit.UnitLookup;
import org.openjdk.jmc.flightrecorder.JfrLoaderToolkit;
import org.openjdk.jmc.flightrecorder.stacktrace.FrameSeparator;
import org.openjdk.jmc.flightrecorder.stacktrace.tree.StacktraceTreeModel;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading recordings back the way the JDK and JMC do. */
final class JfrTestSupport {
    private JfrTestSupport() {
    }

    static List<RecordedEvent> events(Path file, String type) throws Exception {
        List<RecordedEvent> out = new ArrayList<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            if (e.getEventType().getName().equals(type)) {
                out.add(e);
            }
        }
        return out;
    }

    /** The attribute JMC's flame graph offers under {@code label} for {@code type}: only NUMBER or MEMORY ones. */
    @SuppressWarnings("unchecked")
    static IAttribute<IQuantity> weightAttribute(IItemCollection items, String type, String label) {
        for (IItemIterable it : items) {
            if (!it.getType().getIdentifier().equals(type)) {
                continue;
            }
            for (IAttribute<?> a : it.getType().getAttributes()) {
                if (a.getName().equals(label)
                        && (a.getContentType() == UnitLookup.NUMBER || a.getContentType() == UnitLookup.MEMORY)) {
                    return (IAttribute<IQuantity>) a;
                }
            }
        }
        throw new AssertionError("JMC offers no weight '" + label + "' for " + type);
    }

    /** The tree JMC's flame graph view draws for the items weighted by {@code weight}, methods as frames. */
    static StacktraceTreeModel flameGraph(IItemCollection items, IAttribute<IQuantity> weight) {
        return new StacktraceTreeModel(items.apply(ItemFilters.hasAttribute(weight)),
                new FrameSeparator(FrameSeparator.FrameCategorization.METHOD, false), false, weight);
    }

    /** The flame graph's full width: JMC 9.1 draws the root as the sum of its children. */
    static double rootTotal(StacktraceTreeModel model) {
        return model.getRoot().getChildren().stream().mapToDouble(n -> n.getCumulativeWeight()).sum();
    }

    static double jmcEnergyRootTotal(Path file) throws Exception {
        IItemCollection items = JfrLoaderToolkit.loadEvents(file.toFile());
        return rootTotal(flameGraph(items, weightAttribute(items, "energy.CallPathEnergy", "Energy (J)")));
    }

    static String run(List<String> cmd, Path workDir, long timeoutSeconds) throws Exception {
        return run(cmd, workDir, timeoutSeconds, true);
    }

    /** Runs a command to completion and returns its output (stdout only unless {@code withStderr}). */
    static String run(List<String> cmd, Path workDir, long timeoutSeconds, boolean withStderr) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        if (withStderr) {
            pb.redirectErrorStream(true);
        } else {
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        }
        Process p = pb.start();
        String text = io.energy.it.ForkedJvm.output(p, timeoutSeconds, cmd);
        assertEquals(0, p.exitValue(), cmd + "\n" + text);
        return text;
    }
}

package io.energy.command;

import io.energy.config.Config;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches the bytecode that a stop puts back, instead of trusting that the reset did its job.
 *
 * <p>The JVM runs retransformation-capable transformers in the order they were added, each on the output
 * of the one before. So a transformer added <em>before</em> Byte Buddy's sees every class exactly as it was
 * before we changed it (the bytes the JVM keeps for retransformation, or the bytes of a class loading
 * during the session), and one added <em>after</em> it sees what each retransformation finally installs.
 * During the reset, Byte Buddy's transformer is already gone, so the second witness sees the bytes that
 * the classes run from then on. A class counts as restored when those bytes are byte-identical (SHA-256)
 * to what the first witness saw, and as still instrumented when they name our bridge class.
 *
 * <p>Neither witness ever changes a class: both return {@code null}.
 */
final class RestoreCheck {
    private static final byte[] BRIDGE = "io/energy/bridge/EnergyBridge".getBytes(StandardCharsets.US_ASCII);

    /** What the last stop observed. {@code notRetransformed}: instrumented but never seen in the reset. */
    record Report(int retransformed, int identical, int changed, int notCompared, List<String> stillBridged,
                  List<String> notRetransformed) {
        boolean clean() {
            return changed == 0 && stillBridged.isEmpty() && notRetransformed.isEmpty();
        }

        String describe() {
            StringBuilder sb = new StringBuilder();
            sb.append("original bytecode restored in ").append(retransformed).append(retransformed == 1 ? " class" : " classes")
                    .append(": ").append(identical).append(" byte-identical to before start, ")
                    .append(stillBridged.size()).append(" still calling the energy bridge");
            if (changed > 0) {
                sb.append(", ").append(changed).append(" different from before start (another agent may have changed them)");
            }
            if (notCompared > 0) {
                sb.append(", ").append(notCompared).append(" not compared (no earlier bytes seen)");
            }
            if (!stillBridged.isEmpty()) {
                sb.append("\n  still instrumented: ").append(first(stillBridged));
            }
            if (!notRetransformed.isEmpty()) {
                sb.append("\n  instrumented but not retransformed by the reset (unloaded since?): ")
                        .append(first(notRetransformed));
            }
            return sb.toString();
        }

        private static String first(List<String> names) {
            return names.size() <= 5 ? String.join(", ", names)
                    : String.join(", ", names.subList(0, 5)) + " and " + (names.size() - 5) + " more";
        }
    }

    private final Config config;
    private final Map<String, byte[]> before = new ConcurrentHashMap<>();
    private MessageDigest prototype;
    private ClassFileTransformer beforeWitness;

    RestoreCheck(Config config) {
        this.config = config;
    }

    /**
     * Call before the instrumenter is installed, so that this witness runs ahead of Byte Buddy's transformer.
     * Without include patterns nothing is ever woven, so there is nothing to witness: no transformer is added
     * and no digest made (its security providers cost ~10 ms at launch), and a stop reports no class.
     */
    void watchBefore(Instrumentation inst) {
        if (config.include().isEmpty()) {
            return;
        }
        try {
            // Obtained here, not inside a transformer, so that loading the provider happens outside class loading.
            prototype = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        beforeWitness = new ClassFileTransformer() {
            @Override
            public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain,
                                    byte[] bytes) {
                try {
                    if (name != null && config.mayInstrumentClass(name.replace('/', '.'))) {
                        before.putIfAbsent(name, sha(bytes));
                    }
                } catch (Throwable ignored) {
                    // A witness must never disturb class loading.
                }
                return null;
            }
        };
        inst.addTransformer(beforeWitness, true);
    }

    /** Removes the first witness without a report (a start that failed). */
    void forget(Instrumentation inst) {
        if (beforeWitness != null) {
            inst.removeTransformer(beforeWitness);
            beforeWitness = null;
        }
    }

    /**
     * Runs {@code stop} (which resets the instrumentation) with the second witness in place, and compares.
     * {@code instrumented}: binary names of the classes the instrumenter changed.
     */
    Report observe(Instrumentation inst, Collection<String> instrumented, Runnable stop) {
        if (prototype == null) {
            // Nothing was watched (no include patterns): nothing was woven, so nothing is put back.
            stop.run();
            return new Report(0, 0, 0, 0, List.of(), List.copyOf(new TreeSet<>(instrumented)));
        }
        Map<String, byte[]> after = new ConcurrentHashMap<>();
        Map<String, Boolean> bridged = new ConcurrentHashMap<>();
        ClassFileTransformer afterWitness = new ClassFileTransformer() {
            @Override
            public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain,
                                    byte[] bytes) {
                try {
                    if (redefined != null && name != null) {
                        after.put(name, sha(bytes));
                        bridged.put(name, contains(bytes, BRIDGE));
                    }
                } catch (Throwable ignored) {
                    // A witness must never disturb class loading.
                }
                return null;
            }
        };
        inst.addTransformer(afterWitness, true);
        try {
            stop.run();
        } finally {
            inst.removeTransformer(afterWitness);
            forget(inst);
        }
        int identical = 0;
        int changed = 0;
        int notCompared = 0;
        List<String> stillBridged = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : after.entrySet()) {
            byte[] was = before.get(e.getKey());
            if (was == null) {
                notCompared++;
            } else if (Arrays.equals(was, e.getValue())) {
                identical++;
            } else {
                changed++;
            }
            if (bridged.get(e.getKey())) {
                stillBridged.add(e.getKey().replace('/', '.'));
            }
        }
        TreeSet<String> missing = new TreeSet<>();
        for (String type : instrumented) {
            if (!after.containsKey(type.replace('.', '/'))) {
                missing.add(type);
            }
        }
        stillBridged.sort(null);
        return new Report(after.size(), identical, changed, notCompared, List.copyOf(stillBridged), List.copyOf(missing));
    }

    private byte[] sha(byte[] bytes) throws CloneNotSupportedException {
        MessageDigest md = (MessageDigest) prototype.clone();
        return md.digest(bytes);
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0, last = haystack.length - needle.length; i <= last; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}

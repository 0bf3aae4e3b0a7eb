package io.energy.instrument;

import io.energy.config.Config;

import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Installs the bridge calls in the configured methods, and takes them out again. Matching looks at names
 * only, so deciding never loads an application class. Classes already loaded are retransformed in
 * batches with a pause between them, because each retransformation stops the world.
 *
 * <p>The weaving is plain ASM ({@link EnergyTransformer}, {@link MethodWeaver}) rather than a bytecode
 * framework's agent builder: the agent is on the start-up path of every JVM it is given to, and a
 * framework's own start-up (over a thousand classes loaded and run cold before the first application
 * class) cost about a second of CPU on a small machine.
 */
public final class Instrumenter {
    /**
     * Never instrumented, whatever the include says: the JDK, the agent's own classes as the application's
     * loader sees them (entry, bridge, protocol), and other agents. Libraries the core uses (ASM inside Byte
     * Buddy, JNA) are not listed: the core's copies live in the agent's own loader, which the transformer
     * skips, and the application's copies are the application's to measure (EnergyTransformerTest,
     * AppLibraryInstrumentationIT).
     */
    private static final String[] IGNORED = {"java.", "javax.", "jdk.", "sun.", "com.sun.", "io.energy.agent.",
            "io.energy.bridge.", "io.energy.protocol.", "io.energy.shaded.", "io.opentelemetry.javaagent.",
            "co.elastic.apm.agent.", "org.jacoco.agent."};
    private static final int BATCH = 100;
    private static final long PAUSE_MILLIS = 20;

    private final Config config;
    private final MethodRegistry registry;
    private final Consumer<String> log;
    private final Set<String> instrumentedTypes = ConcurrentHashMap.newKeySet();
    private final AtomicLong errors = new AtomicLong();
    private final Set<String> skippedTrivial = ConcurrentHashMap.newKeySet();
    private final Set<String> unwoven = ConcurrentHashMap.newKeySet();
    private volatile EnergyTransformer transformer;
    private volatile long lastWeaveNanos;

    public Instrumenter(Config config, MethodRegistry registry, Consumer<String> log) {
        this.config = config;
        this.registry = registry;
        this.log = log;
    }

    public void install(Instrumentation inst) {
        transformer = new EnergyTransformer(config, registry, log, IGNORED, instrumentedTypes, errors, skippedTrivial,
                unwoven);
        inst.addTransformer(transformer, true);
        // At launch nothing of the application is loaded yet and this list is empty; on attach it is the
        // application's classes that are already running.
        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (candidate(c) && transformer.wants(c.getName()) && inst.isModifiableClass(c)) {
                loaded.add(c);
            }
        }
        retransform(inst, loaded);
    }

    /** Restores the original bytecode of every class we changed and stops changing new ones. */
    public boolean reset(Instrumentation inst) {
        if (transformer == null) {
            return true;
        }
        inst.removeTransformer(transformer);
        lastWeaveNanos = transformer.weaveNanos();
        transformer = null;
        List<Class<?>> changed = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (candidate(c) && instrumentedTypes.contains(c.getName()) && inst.isModifiableClass(c)) {
                changed.add(c);
            }
        }
        return retransform(inst, changed);
    }

    private static boolean candidate(Class<?> c) {
        return !c.isArray() && !c.isPrimitive() && !c.isHidden() && !c.isInterface() && !c.isSynthetic();
    }

    /** Retransforms in batches; a batch that fails is retried class by class so one bad class costs only itself. */
    private boolean retransform(Instrumentation inst, List<Class<?>> classes) {
        boolean ok = true;
        for (int from = 0; from < classes.size(); from += BATCH) {
            List<Class<?>> batch = classes.subList(from, Math.min(classes.size(), from + BATCH));
            try {
                inst.retransformClasses(batch.toArray(new Class<?>[0]));
            } catch (UnmodifiableClassException | RuntimeException | LinkageError e) {
                for (Class<?> c : batch) {
                    try {
                        inst.retransformClasses(c);
                    } catch (UnmodifiableClassException | RuntimeException | LinkageError e1) {
                        ok = false;
                        errors.incrementAndGet();
                        log.accept("could not retransform " + c.getName() + ": " + e1);
                    }
                }
            }
            if (from + BATCH < classes.size()) {
                try {
                    Thread.sleep(PAUSE_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return ok;
    }

    /**
     * Takes the counting out of these methods (registry ids) while the agent runs: their classes are
     * retransformed without the bridge calls in them, and stay so for the rest of the session, in classes
     * loaded later too. The class's other methods stay woven, with the same ids, so their counts go on.
     *
     * @return false if a class could not be retransformed (it keeps counting; the error is logged)
     */
    public boolean unweave(Instrumentation inst, java.util.Collection<Integer> methodIds) {
        Set<String> classes = new java.util.HashSet<>();
        for (int id : methodIds) {
            MethodRegistry.MethodInfo m = registry.info(id);
            if (m != null && unwoven.add(EnergyTransformer.key(m.className(), m.methodName(), m.descriptor()))) {
                classes.add(m.className());
            }
        }
        if (classes.isEmpty() || transformer == null) {
            return true;
        }
        // Every loaded class of that name, in every loader: each carries its own copy of the woven code.
        List<Class<?>> changed = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (classes.contains(c.getName()) && candidate(c) && inst.isModifiableClass(c)) {
                changed.add(c);
            }
        }
        return retransform(inst, changed);
    }

    /** Wall time spent in the transformer (reading, deciding, weaving), summed over the loading threads. */
    public long weaveNanos() {
        EnergyTransformer t = transformer;
        return t == null ? lastWeaveNanos : t.weaveNanos();
    }

    /** Methods the include patterns named that were left unwoven because they are trivial. */
    public int skippedTrivial() {
        return skippedTrivial.size();
    }

    public Set<String> instrumentedTypes() {
        return Set.copyOf(instrumentedTypes);
    }

    public long errors() {
        return errors.get();
    }
}

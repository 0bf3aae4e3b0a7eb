package io.energy.instrument;

import io.energy.config.Config;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodTooLargeException;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The class file transformer: decides on names alone (the class being defined is never loaded or
 * resolved to decide), then weaves the bridge calls into the matching methods with plain ASM.
 *
 * <p>Most classes are rejected by a string prefix test and one pattern match, so the cost for the
 * thousands of classes a JVM loads is a few microseconds each. Matching classes are read twice: once to
 * learn each method's {@code max_locals} (the woven local goes just past them), once to write.
 */
final class EnergyTransformer implements ClassFileTransformer {
    private static final int API = Opcodes.ASM9;
    private static final ClassLoader OWN_LOADER = EnergyTransformer.class.getClassLoader();

    private final Config config;
    private final MethodRegistry registry;
    private final Consumer<String> log;
    private final String[] ignored;
    private final Set<String> instrumentedTypes;
    private final AtomicLong errors;
    /** Keys ({@link #key}) of methods left unwoven because they are trivial ({@link TrivialMethod}). */
    private final Set<String> skippedTrivial;
    /** Keys of methods the overhead budget took the counting out of: woven no more, whatever the config says. */
    private final Set<String> unwoven;
    /** Time spent deciding and weaving, on the threads that load and retransform classes. */
    private final AtomicLong weaveNanos = new AtomicLong();

    EnergyTransformer(Config config, MethodRegistry registry, Consumer<String> log, String[] ignoredPrefixes,
                      Set<String> instrumentedTypes, AtomicLong errors) {
        this(config, registry, log, ignoredPrefixes, instrumentedTypes, errors, ConcurrentHashMap.newKeySet(),
                ConcurrentHashMap.newKeySet());
    }

    EnergyTransformer(Config config, MethodRegistry registry, Consumer<String> log, String[] ignoredPrefixes,
                      Set<String> instrumentedTypes, AtomicLong errors, Set<String> skippedTrivial,
                      Set<String> unwoven) {
        this.config = config;
        this.registry = registry;
        this.log = log;
        this.ignored = ignoredPrefixes.clone();
        this.instrumentedTypes = instrumentedTypes;
        this.errors = errors;
        this.skippedTrivial = skippedTrivial;
        this.unwoven = unwoven;
    }

    /** A method's identity across loads and retransformations: the registry's key. */
    static String key(String className, String methodName, String descriptor) {
        return className + '#' + methodName + descriptor;
    }

    /** Whether a class of this binary name could be instrumented: the name-only part of the decision. */
    boolean wants(String className) {
        for (String prefix : ignored) {
            if (className.startsWith(prefix)) {
                return false;
            }
        }
        return !className.endsWith("module-info") && !className.endsWith("package-info")
                && config.mayInstrumentClass(className);
    }

    @Override
    public byte[] transform(ClassLoader loader, String internalName, Class<?> redefined, ProtectionDomain domain,
                            byte[] bytes) {
        if (internalName == null || bytes == null || (loader != null && loader == OWN_LOADER)) {
            return null;
        }
        String className = internalName.replace('/', '.');
        if (!wants(className)) {
            return null;
        }
        long t0 = System.nanoTime();
        try {
            byte[] woven = weave(className, bytes);
            if (woven != null) {
                instrumentedTypes.add(className);
            }
            return woven;
        } catch (Throwable t) {
            errors.incrementAndGet();
            log.accept("could not instrument " + className + ": " + t);
            return null; // the class loads unchanged
        } finally {
            weaveNanos.addAndGet(System.nanoTime() - t0);
        }
    }

    long weaveNanos() {
        return weaveNanos.get();
    }

    /** The woven class, or null when no method of it is to be measured. */
    byte[] weave(String className, byte[] bytes) {
        ClassReader reader = new ClassReader(bytes);
        int access = reader.getAccess();
        if ((access & (Opcodes.ACC_INTERFACE | Opcodes.ACC_ANNOTATION | Opcodes.ACC_SYNTHETIC
                | Opcodes.ACC_MODULE)) != 0) {
            return null;
        }
        Map<String, Integer> maxLocals = new HashMap<>();
        reader.accept(new ClassVisitor(API) {
            @Override
            public MethodVisitor visitMethod(int acc, String name, String desc, String sig, String[] exceptions) {
                if (!measured(className, acc, name) || unwoven.contains(key(className, name, desc))) {
                    return null;
                }
                boolean weaveTrivial = config.weaveTrivial();
                return new TrivialMethod(API) {
                    @Override
                    public void visitMaxs(int maxStack, int locals) {
                        if (weaveTrivial || !trivial()) {
                            maxLocals.put(name + desc, locals);
                        } else {
                            // Not woven: its time stays with its caller. Counted once per method, however
                            // often the class is retransformed.
                            skippedTrivial.add(key(className, name, desc));
                        }
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        if (maxLocals.isEmpty()) {
            return null;
        }
        boolean frames = (reader.readUnsignedShort(6) & 0xFFFF) >= Opcodes.V1_7;
        // A method that the bridge calls push past the JVM's 64 KB code limit is left as it was, and only it
        // (issue 14: the whole class used to be dropped, and its methods still counted as instrumented).
        Set<String> skipped = new java.util.HashSet<>();
        while (true) {
            List<Integer> ids = new ArrayList<>();
            // No COMPUTE_MAXS: the weaver knows what it adds (one local, two stack slots), and ASM's own analysis
            // of every woven method was a good part of the weaving time of a large library at start-up.
            ClassWriter writer = new ClassWriter(reader, 0);
            reader.accept(new ClassVisitor(API, writer) {
                @Override
                public MethodVisitor visitMethod(int acc, String name, String desc, String sig, String[] exceptions) {
                    MethodVisitor next = super.visitMethod(acc, name, desc, sig, exceptions);
                    Integer slot = measured(className, acc, name) && !skipped.contains(name + desc)
                            ? maxLocals.get(name + desc) : null;
                    if (slot == null) {
                        return next;
                    }
                    int id = registry.register(className, name, desc);
                    ids.add(id);
                    return new MethodWeaver(API, next, id, slot, frames);
                }
            }, ClassReader.EXPAND_FRAMES);
            try {
                byte[] out = writer.toByteArray();
                if (ids.isEmpty()) {
                    return null;
                }
                registry.confirm(ids);
                return out;
            } catch (MethodTooLargeException e) {
                if (!skipped.add(e.getMethodName() + e.getDescriptor())) {
                    throw e; // the method was not woven and is still too large: not ours to fix
                }
                registry.tooLarge(className, e.getMethodName(), e.getDescriptor());
                log.accept("left " + className + "." + e.getMethodName() + " unmeasured: with the bridge calls its "
                        + "code would exceed the JVM's 64 KB limit (" + e.getCodeSize() + " bytes)");
            }
        }
    }

    /**
     * Methods with code that the configuration names; constructors, initialisers and synthetic methods stay as
     * they are.
     */
    private boolean measured(String className, int access, String name) {
        // Synthetic methods (lambda bodies, accessors) belong to the method that wrote them, as docs/design.md
        // says: their energy stays with the caller's path instead of a compiler-made name (issue 14).
        if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE | Opcodes.ACC_BRIDGE | Opcodes.ACC_SYNTHETIC)) != 0) {
            return false;
        }
        if (name.equals("<init>") || name.equals("<clinit>")) {
            return false;
        }
        return config.instruments(className, name);
    }
}

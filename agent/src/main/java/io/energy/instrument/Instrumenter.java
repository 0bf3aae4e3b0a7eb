package io.energy.instrument;

import io.energy.config.Config;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.utility.JavaModule;

import java.lang.instrument.Instrumentation;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.isNative;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.not;

/**
 * Installs the advice on the configured methods, and takes it out again. Matching looks at names only
 * (type-pool descriptions), so deciding never loads an application class. Classes already loaded are
 * retransformed in batches with a pause between them, because each retransformation stops the world.
 */
public final class Instrumenter {
    private static final String[] IGNORED = {"java.", "javax.", "jdk.", "sun.", "com.sun.", "io.energy.agent.",
            "io.energy.bridge.", "io.energy.shaded.", "net.bytebuddy.", "com.fasterxml.jackson.", "com.sun.jna.",
            "org.openjdk.jmc.", "io.opentelemetry.javaagent.", "co.elastic.apm.agent.", "org.jacoco.agent."};

    private final Config config;
    private final MethodRegistry registry;
    private final Consumer<String> log;
    private final Set<String> instrumentedTypes = ConcurrentHashMap.newKeySet();
    private final AtomicLong errors = new AtomicLong();
    private ResettableClassFileTransformer transformer;

    public Instrumenter(Config config, MethodRegistry registry, Consumer<String> log) {
        this.config = config;
        this.registry = registry;
        this.log = log;
    }

    public void install(Instrumentation inst) {
        Advice advice = Advice.withCustomMapping()
                .bind(MethodId.class, (Advice.OffsetMapping) (type, method, assigner, args, sort) ->
                        Advice.OffsetMapping.Target.ForStackManipulation.of(
                                registry.register(type.getName(), method.getInternalName(), method.getDescriptor())))
                .to(MethodAdvice.class, ClassFileLocator.ForClassLoader.of(MethodAdvice.class.getClassLoader()));

        ElementMatcher.Junction<TypeDescription> ignored = ElementMatchers.isSynthetic();
        for (String prefix : IGNORED) {
            ignored = ignored.or(nameStartsWith(prefix));
        }
        ElementMatcher<MethodDescription> methods = isMethod().and(not(isAbstract())).and(not(isNative()))
                .and(not(isBridge()))
                .and(m -> config.instruments(m.getDeclaringType().asErasure().getName(), m.getInternalName()));

        transformer = new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.RedefinitionStrategy.BatchAllocator.ForFixedSize.ofSize(100))
                .with(AgentBuilder.RedefinitionStrategy.Listener.Pausing.of(20, TimeUnit.MILLISECONDS))
                .with(AgentBuilder.PoolStrategy.Default.FAST)
                .with(AgentBuilder.TypeStrategy.Default.REBASE)
                .with(new AgentBuilder.Listener.Adapter() {
                    @Override
                    public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module,
                                                 boolean loaded, net.bytebuddy.dynamic.DynamicType dynamicType) {
                        instrumentedTypes.add(type.getName());
                    }

                    @Override
                    public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded,
                                        Throwable throwable) {
                        errors.incrementAndGet();
                        log.accept("could not instrument " + typeName + ": " + throwable);
                    }
                })
                .ignore(ignored)
                .type(t -> !t.isInterface() && !t.isAnnotation() && config.mayInstrumentClass(t.getName()))
                .transform((builder, type, loader, module, domain) -> builder.visit(advice.on(methods)))
                .installOn(inst);
    }

    /** Restores the original bytecode of every class we changed and stops changing new ones. */
    public boolean reset(Instrumentation inst) {
        if (transformer == null) {
            return true;
        }
        boolean ok = transformer.reset(inst, AgentBuilder.RedefinitionStrategy.RETRANSFORMATION,
                AgentBuilder.RedefinitionStrategy.BatchAllocator.ForFixedSize.ofSize(100),
                AgentBuilder.RedefinitionStrategy.Listener.Pausing.of(20, TimeUnit.MILLISECONDS));
        transformer = null;
        return ok;
    }

    public Set<String> instrumentedTypes() {
        return Set.copyOf(instrumentedTypes);
    }

    public long errors() {
        return errors.get();
    }
}

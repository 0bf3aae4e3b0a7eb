package io.energy.instrument;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gives every instrumented method a small int id, baked into its advice as a constant, and every frame found
 * by stack sampling the same id as the instrumented method of that name (or an id of its own), and remembers
 * what each id stands for. Ids are stable for the life of the agent, across retransformations.
 */
public final class MethodRegistry {
    /** What an id stands for; {@code display} is {@code com.acme.Foo.bar}, as in a stack trace. */
    public record MethodInfo(int id, String className, String methodName, String descriptor, String display) {
    }

    private final ConcurrentHashMap<String, Integer> ids = new ConcurrentHashMap<>();
    /** Display name → the first id given to it: how a sampled frame finds the instrumented method it is. */
    private final ConcurrentHashMap<String, Integer> byDisplay = new ConcurrentHashMap<>();
    private final List<MethodInfo> infos = new ArrayList<>();
    /** Ids given to methods the weaver chose (not only sampled frames); guarded by {@code infos}. */
    private final java.util.BitSet registered = new java.util.BitSet();
    /**
     * Ids whose woven code was actually handed to the JVM (issue 14): an id is taken before its class is
     * written, and a class that fails to write must not count as instrumented.
     */
    private final java.util.Set<Integer> woven = ConcurrentHashMap.newKeySet();
    /** Methods left as they were because the bridge calls would push them past 64 KB of code. */
    private final java.util.Set<String> tooLarge = ConcurrentHashMap.newKeySet();

    public MethodRegistry() {
        infos.add(new MethodInfo(0, "", "(root)", "", "(root)"));
    }

    public int register(String className, String methodName, String descriptor) {
        String key = className + '#' + methodName + descriptor;
        return ids.computeIfAbsent(key, k -> {
            synchronized (infos) {
                String display = className + '.' + methodName;
                Integer sampled = byDisplay.get(display);
                MethodInfo prior = sampled == null ? null : infos.get(sampled);
                if (prior != null && prior.descriptor().isEmpty() && !registered.get(prior.id())) {
                    // Seen first as a sampled frame: the instrumented method takes that id over, with its
                    // descriptor, so its calls and its sampled joules are one row.
                    infos.set(prior.id(), new MethodInfo(prior.id(), className, methodName, descriptor, display));
                    registered.set(prior.id());
                    return prior.id();
                }
                int id = infos.size();
                infos.add(new MethodInfo(id, className, methodName, descriptor, display));
                byDisplay.putIfAbsent(display, id);
                registered.set(id);
                return id;
            }
        });
    }

    /**
     * The id of a sampled frame ({@code className} dotted, no descriptor: a stack sample does not say which
     * overload ran): the instrumented method of that name if there is one, else a new id for the frame.
     */
    public int frame(String className, String methodName) {
        String display = className + '.' + methodName;
        Integer id = byDisplay.get(display);
        if (id != null) {
            return id;
        }
        synchronized (infos) {
            id = byDisplay.get(display);
            if (id != null) {
                return id;
            }
            int made = infos.size();
            infos.add(new MethodInfo(made, className, methodName, "", display));
            byDisplay.put(display, made);
            return made;
        }
    }

    /** True if the id is a method the weaver chose (not only a sampled frame). */
    public boolean instrumented(int id) {
        synchronized (infos) {
            return registered.get(id);
        }
    }

    public MethodInfo info(int id) {
        synchronized (infos) {
            return id >= 0 && id < infos.size() ? infos.get(id) : null;
        }
    }

    /** Marks ids as instrumented: their class was written with the bridge calls in. */
    public void confirm(java.util.Collection<Integer> wovenIds) {
        woven.addAll(wovenIds);
    }

    /** Notes a method that stays unwoven because its woven code would exceed the JVM's 64 KB limit. */
    public void tooLarge(String className, String methodName, String descriptor) {
        tooLarge.add(className + '#' + methodName + descriptor);
    }

    /** How many distinct methods were left unwoven for size. */
    public int tooLarge() {
        return tooLarge.size();
    }

    /**
     * One past the highest id given so far, to instrumented methods and sampled frames alike: the size of an array
     * indexed by id. Not {@link #size()}: once the stack sampler names frames, a class woven later gets ids far past
     * the number of woven methods (issue 13: the budget's count was sized by {@code size()} and never saw them).
     */
    public int idLimit() {
        synchronized (infos) {
            return infos.size();
        }
    }

    /** Methods instrumented: those whose woven class the JVM was given (sampled frames not counted). */
    public int size() {
        return woven.size();
    }

    /** The instrumented methods (see {@link #size()}), in id order. */
    public List<MethodInfo> all() {
        synchronized (infos) {
            List<MethodInfo> out = new ArrayList<>();
            for (MethodInfo m : infos.subList(1, infos.size())) {
                if (woven.contains(m.id())) {
                    out.add(m);
                }
            }
            return out;
        }
    }
}

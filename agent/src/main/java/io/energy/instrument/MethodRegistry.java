package io.energy.instrument;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gives every instrumented method a small int id, baked into its advice as a constant, and remembers
 * what the id stands for. Ids are stable for the life of the agent, across retransformations.
 */
public final class MethodRegistry {
    /** What an id stands for; {@code display} is {@code com.acme.Foo.bar}, as in a stack trace. */
    public record MethodInfo(int id, String className, String methodName, String descriptor, String display) {
    }

    private final ConcurrentHashMap<String, Integer> ids = new ConcurrentHashMap<>();
    private final List<MethodInfo> infos = new ArrayList<>();
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
                int id = infos.size();
                infos.add(new MethodInfo(id, className, methodName, descriptor, className + '.' + methodName));
                return id;
            }
        });
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

    /** Methods instrumented: those whose woven class the JVM was given. */
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

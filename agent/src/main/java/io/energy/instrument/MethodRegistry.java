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
    /** Display name → the first id given to it: how a sampled frame finds the instrumented method it is. */
    private final ConcurrentHashMap<String, Integer> byDisplay = new ConcurrentHashMap<>();
    private final List<MethodInfo> infos = new ArrayList<>();
    private final java.util.BitSet woven = new java.util.BitSet();
    private int instrumentedCount;

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
                if (prior != null && prior.descriptor().isEmpty() && !instrumented(prior.id())) {
                    // Seen first as a sampled frame: the instrumented method takes that id over, with its
                    // descriptor, so its calls and its sampled joules are one row.
                    infos.set(prior.id(), new MethodInfo(prior.id(), className, methodName, descriptor, display));
                    woven.set(prior.id());
                    instrumentedCount++;
                    return prior.id();
                }
                int id = infos.size();
                infos.add(new MethodInfo(id, className, methodName, descriptor, display));
                byDisplay.putIfAbsent(display, id);
                woven.set(id);
                instrumentedCount++;
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

    /** True if the id is an instrumented method (not only a sampled frame). */
    public boolean instrumented(int id) {
        synchronized (infos) {
            return woven.get(id);
        }
    }

    public MethodInfo info(int id) {
        synchronized (infos) {
            return id >= 0 && id < infos.size() ? infos.get(id) : null;
        }
    }

    /** Instrumented methods (sampled frames not counted). */
    public int size() {
        synchronized (infos) {
            return instrumentedCount;
        }
    }

    /** Every instrumented method. */
    public List<MethodInfo> all() {
        synchronized (infos) {
            List<MethodInfo> out = new ArrayList<>();
            for (int i = woven.nextSetBit(1); i >= 0; i = woven.nextSetBit(i + 1)) {
                out.add(infos.get(i));
            }
            return out;
        }
    }
}

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

    public int size() {
        synchronized (infos) {
            return infos.size() - 1;
        }
    }

    public List<MethodInfo> all() {
        synchronized (infos) {
            return List.copyOf(infos.subList(1, infos.size()));
        }
    }
}

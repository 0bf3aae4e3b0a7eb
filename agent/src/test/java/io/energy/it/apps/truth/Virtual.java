package io.energy.it.apps.truth;

import io.energy.it.apps.Truth;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Case (c): virtual threads (JDK 21+), heavy and light tasks in a 3:1 CPU ratio. A virtual thread has
 * no CPU clock of its own (getCurrentThreadCpuTime is -1), so each task reads the CPU clock of the carrier
 * it is mounted on around its body; the body only computes, so it stays on that carrier throughout.
 * Needs {@code --add-opens java.base/java.lang=ALL-UNNAMED} (to find the carrier).
 */
public final class Virtual {
    private Virtual() {
    }

    public static void main(String[] args) throws Exception {
        Truth.start();
        long deadline = Truth.deadline(args);
        int tasks = 0;
        // Built for Java 17, run on 21+: the virtual-thread executor is looked up by name.
        ExecutorService ex = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        while (System.nanoTime() < deadline) {
            List<Future<?>> batch = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                batch.add(ex.submit(Virtual::heavy));
                batch.add(ex.submit(Virtual::light));
            }
            for (Future<?> f : batch) {
                f.get();
            }
            tasks += batch.size();
            Thread.sleep(10);
        }
        ex.shutdown();
        ex.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        Truth.fact("tasks", Integer.toString(tasks));
        Truth.finish(args[0]);
    }

    static void heavy() {
        long carrier = Truth.carrier().getId();
        long c0 = Truth.cpu(carrier);
        Truth.burn(carrier, Truth.vary(3_000_000L));
        Truth.add("Virtual.heavy", Truth.cpu(carrier) - c0);
    }

    static void light() {
        long carrier = Truth.carrier().getId();
        long c0 = Truth.cpu(carrier);
        Truth.burn(carrier, Truth.vary(1_000_000L));
        Truth.add("Virtual.light", Truth.cpu(carrier) - c0);
    }
}

package io.energy.it.apps.truth;

import io.energy.it.apps.Truth;

import java.util.ArrayList;
import java.util.List;

/**
 * Case (b): thread-per-task. A new platform thread for every task, each 15-45 ms of CPU (30 ms on average) and then gone
 * (two kinds, 2:1), about 130 threads over the run. A thread's last CPU must not be lost when it ends.
 */
public final class ThreadPerTask {
    private ThreadPerTask() {
    }

    public static void main(String[] args) throws Exception {
        Truth.start();
        long deadline = Truth.deadline(args);
        List<Thread> threads = new ArrayList<>();
        int n = 0;
        while (System.nanoTime() < deadline) {
            boolean b = n % 3 == 2;
            Thread t = new Thread(b ? ThreadPerTask::taskB : ThreadPerTask::taskA, "task-" + n);
            t.start();
            threads.add(t);
            n++;
            Thread.sleep(Truth.vary(45_000_000L) / 1_000_000L);
        }
        for (Thread t : threads) {
            t.join(30_000);
        }
        Truth.fact("threads", Integer.toString(n));
        System.out.println("threads " + n);
        Truth.finish(args[0]);
    }

    static void taskA() {
        long c0 = Truth.cpu();
        Truth.burn(Truth.vary(30_000_000L));
        Truth.add("ThreadPerTask.taskA", Truth.cpu() - c0);
    }

    static void taskB() {
        long c0 = Truth.cpu();
        Truth.burn(Truth.vary(30_000_000L));
        Truth.add("ThreadPerTask.taskB", Truth.cpu() - c0);
    }
}

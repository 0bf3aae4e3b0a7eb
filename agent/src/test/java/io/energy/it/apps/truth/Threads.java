package io.energy.it.apps.truth;

import io.energy.it.apps.Truth;

import java.util.concurrent.locks.LockSupport;

/**
 * Case (g): three threads with different loads: one computes all the time, one half the time (5 ms
 * work, 5 ms wait), one a fifth of the time (2 ms work, 8 ms wait), each ±50%; the main thread waits.
 */
public final class Threads {
    private static volatile boolean running = true;

    private Threads() {
    }

    public static void main(String[] args) throws Exception {
        Truth.start();
        long deadline = Truth.deadline(args);
        Thread heavy = new Thread(() -> loop(Threads::heavyWork, 0), "heavy");
        Thread medium = new Thread(() -> loop(Threads::mediumWork, 5_000_000L), "medium");
        Thread light = new Thread(() -> loop(Threads::lightWork, 8_000_000L), "light");
        heavy.start();
        medium.start();
        light.start();
        while (System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        running = false;
        heavy.join();
        medium.join();
        light.join();
        Truth.finish(args[0]);
    }

    private static void loop(Runnable work, long waitNanos) {
        while (running) {
            work.run();
            if (waitNanos > 0) {
                long end = System.nanoTime() + Truth.vary(waitNanos);
                for (long left; (left = end - System.nanoTime()) > 0; ) {
                    LockSupport.parkNanos(left);
                }
            }
        }
    }

    static void heavyWork() {
        long c0 = Truth.cpu();
        Truth.burn(Truth.vary(10_000_000L));
        Truth.add("Threads.heavyWork", Truth.cpu() - c0);
    }

    static void mediumWork() {
        long c0 = Truth.cpu();
        Truth.burn(Truth.vary(5_000_000L));
        Truth.add("Threads.mediumWork", Truth.cpu() - c0);
    }

    static void lightWork() {
        long c0 = Truth.cpu();
        Truth.burn(Truth.vary(2_000_000L));
        Truth.add("Threads.lightWork", Truth.cpu() - c0);
    }
}

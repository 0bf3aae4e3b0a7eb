package io.energy.it.apps.truth;

import io.energy.it.apps.Truth;

import java.util.concurrent.locks.LockSupport;

/**
 * Case (d): 0.5 ms CPU bursts between 9.5 ms waits on one thread (each ±50%): at a 10 ms sampling period most
 * bursts fall between two samples. The waiting method uses almost no CPU and must get almost no energy.
 */
public final class Bursts {
    private Bursts() {
    }

    public static void main(String[] args) throws Exception {
        Truth.start();
        long deadline = Truth.deadline(args);
        long sum = 0;
        while (System.nanoTime() < deadline) {
            sum += burst();
            pause();
        }
        System.out.println("checksum " + sum);
        Truth.finish(args[0]);
    }

    static long burst() {
        long c0 = Truth.cpu();
        long x = Truth.burn(Truth.vary(500_000L));
        Truth.add("Bursts.burst", Truth.cpu() - c0);
        return x;
    }

    static void pause() {
        long c0 = Truth.cpu();
        long end = System.nanoTime() + Truth.vary(9_500_000L);
        for (long left; (left = end - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(left);
        }
        Truth.add("Bursts.pause", Truth.cpu() - c0);
    }
}

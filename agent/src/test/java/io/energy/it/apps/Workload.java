package io.energy.it.apps;

import java.util.ArrayList;
import java.util.List;

/**
 * A program for the robustness suite: {@code Workload <mode> [n]}. Each mode ends the way a real
 * program might (normal exit, System.exit from another thread, an uncaught exception, daemon threads, a
 * server that is killed) and prints a deterministic result, so runs with and without the agent compare.
 */
public final class Workload {
    private Workload() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "plain";
        long n = args.length > 1 ? Long.parseLong(args[1]) : 0;
        switch (mode) {
            case "plain" -> System.out.println("result " + work(200));
            case "exit-thread" -> {
                System.out.println("result " + work(200));
                Thread t = new Thread(() -> System.exit(3), "exiter");
                t.start();
                t.join();
                Thread.sleep(10_000);
                System.out.println("not reached");
            }
            case "throw" -> {
                System.out.println("result " + work(n > 0 ? (int) n : 200));
                throw new IllegalStateException("the application's own failure");
            }
            case "daemon" -> {
                Thread d = new Thread(() -> {
                    while (true) {
                        work(10);
                    }
                }, "daemon-worker");
                d.setDaemon(true);
                d.start();
                System.out.println("result " + work(300));
            }
            case "serve" -> {
                System.out.println("ready");
                System.out.flush();
                while (true) {
                    work(20);
                }
            }
            case "calls" -> {
                long sum = 0;
                for (long i = 0; i < n; i++) {
                    sum += tiny(i);
                }
                System.out.println("calls " + n + " sum " + sum);
            }
            case "threads" -> {
                List<Thread> ts = new ArrayList<>();
                long[] sums = new long[(int) n];
                for (int i = 0; i < n; i++) {
                    final int k = i;
                    Thread t = new Thread(() -> {
                        long s = 0;
                        for (int j = 0; j < 20_000; j++) {
                            s += tiny(j);
                        }
                        sums[k] = s;
                    });
                    ts.add(t);
                    t.start();
                }
                long total = 0;
                for (int i = 0; i < n; i++) {
                    ts.get(i).join();
                    total += sums[i];
                }
                System.out.println("threads " + n + " sum " + total);
            }
            case "churn" -> {
                long total = 0;
                for (int i = 0; i < n; i += 50) {
                    List<Thread> batch = new ArrayList<>();
                    long[] s = new long[50];
                    for (int k = 0; k < 50; k++) {
                        final int kk = k;
                        Thread t = new Thread(() -> s[kk] = work(1));
                        batch.add(t);
                        t.start();
                    }
                    for (int k = 0; k < 50; k++) {
                        batch.get(k).join();
                        total += s[k];
                    }
                }
                System.out.println("churn " + n + " sum " + total);
            }
            case "soak" -> soak(n);
            case "budget" -> {
                // A hot method the overhead budget cannot afford, and a cold one called among its calls,
                // before and after the hot one stops being counted.
                long sum = 0;
                for (long i = 0; i < n; i++) {
                    sum += hot(i);
                    if (i % 100_000 == 0) {
                        sum += cold(i);
                    }
                }
                System.out.println("budget " + n + " sum " + sum);
            }
            case "budget-late" -> {
                // First ~1.5 s of work the stack sampler sees (its frames take ids in the method registry), then a
                // class loaded only now, whose hot method the budget must still see and stop (issue 13).
                long end = System.nanoTime() + 1_500_000_000L;
                long x = 0;
                while (System.nanoTime() < end) {
                    x += Long.toString(x, 7).hashCode() + java.util.Arrays.hashCode(new long[]{x, x >>> 3});
                }
                System.out.println("budget-late " + n + " sum " + Late.loop(n) + " warm " + (x == 42));
            }
            case "hot-serve" -> {
                // Runs until killed: the hot method as fast as a loop can, for an agent attached meanwhile.
                System.out.println("ready");
                System.out.flush();
                long sum = 0;
                for (long i = 0; ; i++) {
                    sum += hot(i);
                    if (i % 100_000 == 0) {
                        sum += cold(i);
                        if (sum == 42) {
                            System.out.println("unlikely");
                        }
                    }
                }
            }
            case "recurse" -> System.out.println("depth " + n + " sum " + recurse((int) n));
            case "paths" -> System.out.println("paths sum " + fan(0, (int) n));
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        }
    }

    /**
     * Runs for {@code seconds}: worker threads that come and go, varied call paths, and every 5 s a GC and
     * a line {@code heap <seconds> <bytes used>} so a soak test can see whether memory keeps growing.
     */
    static void soak(long seconds) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long nextReport = System.nanoTime();
        long start = System.nanoTime();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        long sum = 0;
        int round = 0;
        while (System.nanoTime() < end) {
            final int r = round++;
            List<java.util.concurrent.Future<Long>> fs = new ArrayList<>();
            for (int k = 0; k < 8; k++) {
                final int kk = k;
                fs.add(pool.submit(() -> fan(0, 1 + (r + kk) % 4) + work(2) + tiny(r)));
            }
            Thread shortLived = new Thread(() -> work(1));
            shortLived.start();
            for (java.util.concurrent.Future<Long> f : fs) {
                try {
                    sum += f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException(e);
                }
            }
            shortLived.join();
            if (System.nanoTime() >= nextReport) {
                nextReport += 5_000_000_000L;
                System.gc();
                Runtime rt = Runtime.getRuntime();
                System.out.println("heap " + (System.nanoTime() - start) / 1_000_000_000L + " "
                        + (rt.totalMemory() - rt.freeMemory()));
            }
        }
        pool.shutdown();
        System.out.println("soak sum " + sum);
    }

    static long work(int rounds) {
        long h = 1125899906842597L;
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < 10_000; i++) {
                h = 31 * h + (i ^ r);
            }
        }
        return h;
    }

    static long tiny(long i) {
        return i & 7;
    }

    /** Not trivial (it makes a call), and called as fast as a loop can: its counting costs more than 1%. */
    static long hot(long i) {
        return Long.rotateLeft(i, 5) ^ i;
    }

    /** Loaded only when {@code budget-late} gets to it, after the stack sampler has named many frames. */
    static final class Late {
        private Late() {
        }

        static long loop(long n) {
            long sum = 0;
            for (long i = 0; i < n; i++) {
                sum += hot(i);
            }
            return sum;
        }

        /** As {@link Workload#hot}: not trivial, and too hot for the budget. */
        static long hot(long i) {
            return Long.rotateLeft(i, 7) ^ i;
        }
    }

    /** Called once per 100 000 hot calls: stays counted, every call. */
    static long cold(long i) {
        long h = i;
        for (int k = 0; k < 100; k++) {
            h = h * 31 + k;
        }
        return h;
    }

    static long recurse(int depth) {
        return depth <= 0 ? 1 : 1 + recurse(depth - 1);
    }

    /** Four methods calling each other to {@code depth}: 4^depth distinct call paths. */
    static long fan(int level, int depth) {
        if (level >= depth) {
            return 1;
        }
        return a(level + 1, depth) + b(level + 1, depth) + c(level + 1, depth) + d(level + 1, depth);
    }

    static long a(int l, int d) {
        return fan(l, d);
    }

    static long b(int l, int d) {
        return fan(l, d);
    }

    static long c(int l, int d) {
        return fan(l, d);
    }

    static long d(int l, int d) {
        return fan(l, d);
    }
}

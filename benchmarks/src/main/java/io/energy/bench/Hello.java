package io.energy.bench;

/**
 * A trivial program for start-up time: prints the wall-clock time at which {@code main} began, so a
 * script that noted the time it launched the JVM can tell start-up (launch → main) from the whole run
 * (launch → exit, which includes the agent writing its outputs).
 */
public final class Hello {
    private Hello() {
    }

    public static void main(String[] args) {
        long entered = System.currentTimeMillis();
        System.out.println("mainEnteredEpochMillis=" + entered + " greeting=" + greet(args.length));
    }

    static String greet(int n) {
        return n == 0 ? "hello" : "hello " + n;
    }
}

package io.energy.it.apps;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;

/**
 * {@code EnergyRegression [multiplier]}: a fixed amount of work in three methods, one of which does
 * {@code multiplier} times its share. Two runs with the same multiplier are the same work; a run with 3 is
 * the "change that made one method three times more expensive" that {@code energy.jar diff} must name.
 * Work is counted in iterations, never in time, so the amounts are known independently of any measurement.
 */
public final class EnergyRegression {
    /** SHA-256 blocks of 64 KiB per unit: about 0.3 s of CPU on the build machines. */
    static final int BLOCKS = 3_000;

    private EnergyRegression() {
    }

    public static void main(String[] args) throws Exception {
        int multiplier = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        // The agent's stack sampler starts on a thread of its own ~0.1-0.3 s after premain; until its first harvest
        // the main thread's CPU is accounted for as its first samples' stacks (the start-up account), so in a run
        // of 0.7 s whichever method was running at that harvest took the start-up's CPU: steady's joules moved to
        // scaled in about one run in ten (0.31 J against 0.62), which is the start-up account's grain, not the
        // diff's. The work starts once sampling has begun, as in any program that runs for more than a moment.
        Thread.sleep(500);
        Random random = new Random(42);
        long acc = steady(random) + scaled(random, multiplier) + sorting(random);
        System.out.println("multiplier " + multiplier + " checksum " + Long.toHexString(acc));
    }

    /** The same work in every run. The hashing is inlined, not a shared helper: the energy is this method's own. */
    static long steady(Random random) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] block = new byte[64 * 1024];
        random.nextBytes(block);
        long acc = 0;
        for (int i = 0; i < BLOCKS; i++) {
            block[i % block.length]++;
            acc += sha.digest(block)[0];
        }
        return acc;
    }

    /** {@code multiplier} times the work of {@link #steady}. */
    static long scaled(Random random, int multiplier) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] block = new byte[64 * 1024];
        random.nextBytes(block);
        long acc = 0;
        for (int i = 0; i < BLOCKS * multiplier; i++) {
            block[i % block.length]++;
            acc += sha.digest(block)[0];
        }
        return acc;
    }

    /** Different work, also the same in every run. */
    static long sorting(Random random) {
        long acc = 0;
        for (int i = 0; i < 12; i++) {
            double[] values = new double[200_000];
            for (int j = 0; j < values.length; j++) {
                values[j] = random.nextDouble();
            }
            Arrays.sort(values);
            acc += Double.doubleToLongBits(values[values.length / 2]);
        }
        return acc;
    }
}

package demo;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.SplittableRandom;

/** Deterministic CPU work of four kinds; {@code -Dwork.factor=N} makes {@link #sort} do its work N times. */
public final class Work {
    static final int FACTOR = Integer.getInteger("work.factor", 1);

    private Work() {
    }

    public static long hash(int rounds) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] block = new byte[64 * 1024];
            Arrays.fill(block, (byte) 7);
            long x = 0;
            for (int i = 0; i < rounds; i++) {
                block[i % block.length]++;
                x += sha.digest(block)[0];
            }
            return x;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static long sort(int n) {
        long x = 0;
        for (int k = 0; k < FACTOR; k++) {
            int[] a = new SplittableRandom(42 + k).ints(n).toArray();
            Arrays.sort(a);
            x += a[n / 2];
        }
        return x;
    }

    public static long strings(int n) {
        StringBuilder sb = new StringBuilder();
        long x = 0;
        for (int i = 0; i < n; i++) {
            sb.setLength(0);
            sb.append("item-").append(i).append('/').append(i * 31L);
            x += sb.toString().getBytes(StandardCharsets.UTF_8).length;
        }
        return x;
    }

    public static long primes(int limit) {
        boolean[] composite = new boolean[limit + 1];
        long count = 0;
        for (int i = 2; i <= limit; i++) {
            if (!composite[i]) {
                count++;
                for (long j = (long) i * i; j <= limit; j += i) {
                    composite[(int) j] = true;
                }
            }
        }
        return count;
    }
}

package io.energy.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;

/**
 * Methods of very different energy per call, so that ranking by joules differs from ranking by calls:
 * hashing is few calls and much work, string building is many calls and little work each.
 */
public final class CpuSample {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CpuSample() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3.0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        Random random = new Random(42);
        long checksum = 0;
        int rounds = 0;
        while (System.nanoTime() < end) {
            checksum += hashBlocks(random, 64);
            checksum += sortNumbers(random, 50_000);
            checksum += parseJson(40);
            for (int i = 0; i < 2_000; i++) {
                checksum += buildString(i).length();
            }
            rounds++;
        }
        System.out.println("cpu sample: " + rounds + " rounds, checksum " + Long.toHexString(checksum)
                + ", jackson " + com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION);
    }

    static long hashBlocks(Random random, int blocks) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] block = new byte[64 * 1024];
        long acc = 0;
        for (int i = 0; i < blocks; i++) {
            random.nextBytes(block);
            byte[] d = sha.digest(block);
            acc += d[0];
        }
        return acc;
    }

    static long sortNumbers(Random random, int n) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextDouble();
        }
        Arrays.sort(values);
        return Double.doubleToLongBits(values[n / 2]);
    }

    static long parseJson(int documents) throws Exception {
        long acc = 0;
        for (int d = 0; d < documents; d++) {
            StringBuilder sb = new StringBuilder("{\"items\":[");
            for (int i = 0; i < 200; i++) {
                sb.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"name\":\"item").append(i)
                        .append("\",\"price\":").append(i * 1.5).append('}');
            }
            sb.append("]}");
            JsonNode node = JSON.readTree(sb.toString());
            acc += node.get("items").size();
        }
        return acc;
    }

    static String buildString(int i) {
        return "item-" + i + "-" + (i * 31);
    }
}

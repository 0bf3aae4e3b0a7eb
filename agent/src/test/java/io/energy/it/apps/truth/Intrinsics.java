package io.energy.it.apps.truth;

import io.energy.it.apps.Truth;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.MessageDigest;

/**
 * Case (e): methods that spend their time in JIT intrinsics and stubs (SHA-256 via MessageDigest, AES via
 * Cipher, System.arraycopy) beside plain Java compute, in a 4:3:2:3 CPU ratio on one thread (each call ±50%). Samplers
 * that cannot walk a stack from inside a stub lose these samples.
 */
public final class Intrinsics {
    private static final byte[] DATA = new byte[64 * 1024];
    private static final byte[] OUT = new byte[64 * 1024 + 32];
    private static final long[] SRC = new long[256 * 1024];
    private static final long[] DST = new long[256 * 1024];

    private Intrinsics() {
    }

    public static void main(String[] args) throws Exception {
        Truth.start();
        long deadline = Truth.deadline(args);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[16], "AES"), new IvParameterSpec(new byte[16]));
        long sum = 0;
        while (System.nanoTime() < deadline) {
            sum += sha256(sha, Truth.vary(4_000_000L));
            sum += aes(aes, Truth.vary(3_000_000L));
            sum += copy(Truth.vary(2_000_000L));
            sum += plain(Truth.vary(3_000_000L));
        }
        System.out.println("checksum " + sum);
        Truth.finish(args[0]);
    }

    static long sha256(MessageDigest md, long cpuNanos) {
        long c0 = Truth.cpu();
        long s = 0;
        do {
            for (int i = 0; i < 4; i++) {
                md.update(DATA);
            }
            s += md.digest()[0];
        } while (Truth.cpu() - c0 < cpuNanos);
        Truth.add("Intrinsics.sha256", Truth.cpu() - c0);
        return s;
    }

    static long aes(Cipher c, long cpuNanos) throws Exception {
        long c0 = Truth.cpu();
        long s = 0;
        do {
            for (int i = 0; i < 4; i++) {
                s += c.update(DATA, 0, DATA.length, OUT, 0);
            }
        } while (Truth.cpu() - c0 < cpuNanos);
        Truth.add("Intrinsics.aes", Truth.cpu() - c0);
        return s;
    }

    static long copy(long cpuNanos) {
        long c0 = Truth.cpu();
        long s = 0;
        do {
            for (int i = 0; i < 8; i++) {
                System.arraycopy(SRC, 0, DST, 0, SRC.length);
                System.arraycopy(DST, 0, SRC, 0, DST.length);
            }
            s += DST[s == 0 ? 0 : 1];
        } while (Truth.cpu() - c0 < cpuNanos);
        Truth.add("Intrinsics.copy", Truth.cpu() - c0);
        return s;
    }

    static long plain(long cpuNanos) {
        long c0 = Truth.cpu();
        long x = Truth.burn(cpuNanos);
        Truth.add("Intrinsics.plain", Truth.cpu() - c0);
        return x;
    }
}

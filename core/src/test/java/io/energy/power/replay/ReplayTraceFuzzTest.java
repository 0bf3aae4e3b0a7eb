package io.energy.power.replay;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Property-based fuzzing of the trace parser: mutated valid traces and random garbage either parse into a
 * trace whose energy never decreases, or fail with one ReplayFormatException that names a line. Nothing
 * else may escape (no NumberFormatException, no ArrayIndexOutOfBounds, no negative joules).
 */
class ReplayTraceFuzzTest {
    private static final String VALID = "time_s,package:0,dram:0,gpu:0\n0,0,0,0\n0.5,10,2,40\n1.0,20.5,4,80\n2,41,8,160\n";
    private static final String ALPHABET = "0123456789.,:-+eE \t\n#abcgpu_sxNaI\u0000\u00ff";

    private static String mutate(Random r, String s) {
        StringBuilder sb = new StringBuilder(s);
        int edits = 1 + r.nextInt(4);
        for (int i = 0; i < edits && sb.length() > 0; i++) {
            int at = r.nextInt(sb.length());
            switch (r.nextInt(3)) {
                case 0 -> sb.deleteCharAt(at);
                case 1 -> sb.insert(at, ALPHABET.charAt(r.nextInt(ALPHABET.length())));
                default -> sb.setCharAt(at, ALPHABET.charAt(r.nextInt(ALPHABET.length())));
            }
        }
        return sb.toString();
    }

    private static String garbage(Random r) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(120);
        for (int i = 0; i < n; i++) {
            sb.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    @Test
    void anyInputParsesIntoAMonotonicTraceOrFailsWithOneClearMessage(@TempDir Path dir) throws Exception {
        Random r = new Random(4242);
        int parsed = 0;
        int rejected = 0;
        for (int i = 0; i < 20_000; i++) {
            String text = r.nextInt(4) == 0 ? garbage(r) : mutate(r, VALID);
            try {
                ReplayTrace t = ReplayTrace.parse(dir.resolve("fuzz.csv"), new BufferedReader(new StringReader(text)));
                parsed++;
                for (int c = 0; c < t.columns().size(); c++) {
                    long last = 0;
                    for (long at = 0; at <= 3_000_000_000L; at += 250_000_000L) {
                        long e = t.energyAt(c, at);
                        assertTrue(e >= last, "energy never decreases: " + text);
                        last = e;
                    }
                }
            } catch (ReplayFormatException e) {
                rejected++;
                assertFalse(e.getMessage().isBlank());
                assertTrue(e.getMessage().contains("fuzz.csv"), "the message names the file: " + e.getMessage());
            }
        }
        assertTrue(parsed > 100, "many mutations stay valid: " + parsed);
        assertTrue(rejected > 100, "many are rejected: " + rejected);
        assertEquals(20_000, parsed + rejected);
    }
}

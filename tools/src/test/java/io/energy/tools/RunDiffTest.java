package io.energy.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunDiffTest {
    @TempDir
    Path tmp;

    @Test
    void aChangeInsideTheCombinedBoundIsNoiseEvenWhenItExceedsEachBoundAlone() {
        // 0.40 J > 0.30 J (either bound), but < sqrt(0.3² + 0.3²) = 0.424 J: the difference's own interval.
        assertEquals(RunDiff.Verdict.NOISE, RunDiff.verdict(1.0, 1.40, 0.3, 0.3, 5));
        assertEquals(RunDiff.Verdict.GREW, RunDiff.verdict(1.0, 1.43, 0.3, 0.3, 5));
        assertEquals(RunDiff.Verdict.SHRANK, RunDiff.verdict(1.43, 1.0, 0.3, 0.3, 5));
    }

    @Test
    void aSignificantChangeSmallerThanTheMinimumRelativeSizeIsNoise() {
        // Bounds of 1 mJ make 0.2 J far outside noise, but 2 % of 10 J is below a 5 % minimum.
        assertEquals(RunDiff.Verdict.NOISE, RunDiff.verdict(10.0, 10.2, 0.001, 0.001, 5));
        assertEquals(RunDiff.Verdict.GREW, RunDiff.verdict(10.0, 10.2, 0.001, 0.001, 1));
    }

    @Test
    void aMethodTheBaseRunNeverChargedGrewWhenItsEnergyExceedsItsBound() {
        assertEquals(RunDiff.Verdict.GREW, RunDiff.verdict(0, 0.5, 0, 0.1, 5));
        assertEquals(RunDiff.Verdict.NOISE, RunDiff.verdict(0, 0.05, 0, 0.1, 5));
    }

    @Test
    void theGateFailsOnlyMethodsThatGrewSignificantlyByMoreThanTheThresholdAndNeverOnBuckets() throws Exception {
        Path a = new RunFolder(2.0, 10.0, 14.0)
                .method("app.Hot.tripled", 1.0, 0.1, 100)
                .method("app.Warm.eightPercent", 5.0, 0.01, 500)
                .method("app.Cold.noisy", 0.5, 0.4, 50)
                .bucket("(other processes)", 1.0)
                .write(tmp.resolve("a"));
        Path b = new RunFolder(2.0, 10.0, 14.0)
                .method("app.Hot.tripled", 3.0, 0.2, 300)
                .method("app.Warm.eightPercent", 5.4, 0.01, 540)
                .method("app.Cold.noisy", 0.9, 0.4, 50)
                .bucket("(other processes)", 9.0)
                .write(tmp.resolve("b"));
        RunDiff d = RunDiff.of(RunData.read(a, true), RunData.read(b, true), 5);

        List<String> failures = d.failures(10);
        assertEquals(1, failures.size(), failures.toString());
        assertTrue(failures.get(0).startsWith("app.Hot.tripled grew +200.0%"), failures.get(0));
        // 8 % is significant (bounds of 10 mJ) but under the 10 % threshold; at 5 % it fails too.
        assertEquals(2, d.failures(5).size());
        RunDiff.Row tripled = d.rows().stream().filter(r -> r.name().equals("app.Hot.tripled")).findFirst().orElseThrow();
        assertEquals(2.0, tripled.deltaJ(), 1e-12);
        assertEquals(Math.hypot(0.1, 0.2), tripled.boundJ(), 1e-12);
        assertEquals(200, tripled.deltaWallMs(), 1e-9);
        RunDiff.Row others = d.rows().stream().filter(RunDiff.Row::bucket).findFirst().orElseThrow();
        assertEquals(RunDiff.Verdict.NONE, others.verdict());
        // Biggest change first: the 8 J bucket, then the 2 J method.
        assertEquals("(other processes)", d.rows().get(0).name());
        assertEquals("app.Hot.tripled", d.rows().get(1).name());
    }

    @Test
    void aJdkMethodThatGrewIsShownAsGrownButOnlyItsCallerInTheProgramFailsTheGate() throws Exception {
        List<String> doubled = List.of("sun.security.provider.DigestBase.implCompressMultiBlock0", "java.util.Arrays.sort",
                "javax.crypto.Cipher.doFinal", "jdk.internal.misc.Unsafe.copyMemory",
                "com.sun.crypto.provider.AESCrypt.encryptBlock", "javaish.App.run");
        RunFolder base = new RunFolder(2.0, 10.0, 14.0).method("app.Digest.run", 2.0, 0.05, 1);
        RunFolder next = new RunFolder(2.0, 10.0, 14.0).method("app.Digest.run", 3.0, 0.05, 1);
        for (String m : doubled) {
            base.method(m, 1.0, 0.05, 0);
            next.method(m, 2.0, 0.05, 0);
        }
        RunDiff d = RunDiff.of(RunData.read(base.write(tmp.resolve("a")), true),
                RunData.read(next.write(tmp.resolve("b")), true), 5);
        // Every one of them grew +100% far outside its bound, and the table says so ...
        for (String m : doubled) {
            assertEquals(RunDiff.Verdict.GREW, d.rows().stream().filter(r -> r.name().equals(m)).findFirst()
                    .orElseThrow().verdict(), m);
        }
        // ... but only the program's own methods fail the gate: the caller whose inclusive joules hold the digest's
        // growth (+50%), and "javaish." (not "java.").
        List<String> failures = d.failures(10);
        assertEquals(2, failures.size(), failures.toString());
        assertTrue(failures.get(0).startsWith("app.Digest.run grew +50.0%"), failures.toString());
        assertTrue(failures.get(1).startsWith("javaish.App.run grew +100.0%"), failures.toString());
        assertTrue(RunDiff.platformMethod("jdk.internal.misc.Unsafe.copyMemory"));
        assertTrue(RunDiff.platformMethod("java.security.MessageDigest$Delegate.engineUpdate"));
        assertFalse(RunDiff.platformMethod("sunny.App.run"));
        assertFalse(RunDiff.platformMethod("app.java.Util.run"));
        // Libraries and application classes under JDK-looking names are the program's own.
        assertFalse(RunDiff.platformMethod("com.sun.jna.Native.invokeInt"));
        assertFalse(RunDiff.platformMethod("javax.servlet.http.HttpServlet.service"));
        assertFalse(RunDiff.platformMethod("jdk.proxy2.$Proxy12.handle"));
    }

    @Test
    void theTotalIsThisProcessAcrossDomainsThatCountAndFailsTheGateWhenItGrowsBeyondItsBound() throws Exception {
        Path a = new RunFolder(2.0, 10.0, 14.0).method("m", 1.0, 0.1, 1).write(tmp.resolve("a"));
        Path b = new RunFolder(2.0, 13.0, 17.0).method("m", 1.0, 0.1, 1).write(tmp.resolve("b"));
        RunDiff d = RunDiff.of(RunData.read(a, true), RunData.read(b, true), 5);
        // core:0 (inTotal false, 1000 J) is left out; the process figure is package:0's processJ.
        assertEquals(10.0, d.total().baseJ(), 1e-12);
        assertEquals(13.0, d.total().newJ(), 1e-12);
        assertEquals(Math.hypot(0.1, 0.1), d.total().boundJ(), 1e-12);
        assertEquals(RunDiff.Verdict.GREW, d.total().verdict());
        assertEquals(List.of("total (this process) grew +30.0%: 10.000 J -> 13.000 J (+3.000 J, ±0.141 J)"), d.failures(10));
        assertEquals(List.of(), d.failures(30));
    }

    @Test
    void theCollapsedDiffKeepsEveryPathOfBothRunsSoEachColumnAddsUpToItsRun() throws Exception {
        Map<String, Long> base = new java.util.LinkedHashMap<>();
        base.put("main;a", 100L);
        base.put("main;b", 50L);
        base.put("(static/idle)", 7L);
        Map<String, Long> next = new java.util.LinkedHashMap<>();
        next.put("main;a", 300L);
        next.put("main;c", 20L);
        List<CollapsedDiff.Line> lines = CollapsedDiff.lines(new java.util.LinkedHashMap<>(base), next);
        assertEquals(157, lines.stream().mapToLong(CollapsedDiff.Line::base).sum());
        assertEquals(320, lines.stream().mapToLong(CollapsedDiff.Line::next).sum());
        assertEquals(4, lines.size());
        String text = CollapsedDiff.format(lines);
        assertTrue(text.contains("main;b 50 0\n"), text);
        assertTrue(text.contains("main;c 0 20\n"), text);
        assertTrue(text.contains("main;a 100 300\n"), text);

        CollapsedDiff.Node root = CollapsedDiff.tree(lines);
        assertEquals(157, root.base());
        assertEquals(320, root.next());
        CollapsedDiff.Node main = root.children().iterator().next();
        assertEquals("main", main.name());
        assertEquals(150, main.base());
        assertEquals(320, main.next());
        assertEquals(0, main.selfNext());
    }

    @Test
    void repeatedRunsTestAChangeAgainstTheirSpreadWithWelchsInterval() throws Exception {
        // Three base runs of 1.0, 1.2, 1.4 J (sd 0.2), three new runs of 1.3, 1.5, 1.7 J (sd 0.2), bounds 0.01 J.
        // Welch: se = sqrt(0.04/3 + 0.04/3) = 0.1633, df = 4, t = 2.776: half-width 0.453 > Δ 0.3: noise, though
        // the bounds alone (0.014 J) would call a 30 % change significant.
        double[][] j = {{1.0, 1.2, 1.4}, {1.3, 1.5, 1.7}};
        RunData[] sides = new RunData[2];
        for (int side = 0; side < 2; side++) {
            java.util.List<RunData> runs = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Path dir = new RunFolder(1, 5, 6).method("m", j[side][i], 0.01, 10).stack("main;m", Math.round(j[side][i] * 1e6))
                        .write(tmp.resolve("s" + side).resolve("run" + i));
                runs.add(RunData.read(dir, true));
            }
            sides[side] = RunData.read(tmp.resolve("s" + side), true);
            assertEquals(3, sides[side].runs());
            assertEquals(0.2, sides[side].energyJStdDev().get("m"), 1e-12);
            assertEquals(j[side][1], sides[side].figures().get("m").energyJ(), 1e-12);
            assertEquals(Math.sqrt(3 * 0.01 * 0.01) / 3, sides[side].figures().get("m").boundJ(), 1e-12);
            assertEquals(Math.round(j[side][1] * 1e6), sides[side].collapsed().get("main;m"));
        }
        RunDiff d = RunDiff.of(sides[0], sides[1], 5);
        RunDiff.Row m = d.rows().get(0);
        assertEquals(2.776 * Math.sqrt(0.04 / 3 * 2), m.boundJ(), 1e-9);
        assertEquals(RunDiff.Verdict.NOISE, m.verdict());
        // One new run of 2.5 J against the same base: it borrows the base's spread (df 2, t 4.303).
        Path one = new RunFolder(1, 5, 6).method("m", 2.5, 0.01, 10).stack("main;m", 2_500_000).write(tmp.resolve("one"));
        RunDiff.Row grown = RunDiff.of(sides[0], RunData.read(one, true), 5).rows().get(0);
        assertEquals(4.303 * Math.sqrt(0.04 / 3 + 0.04), grown.boundJ(), 1e-9);
        assertEquals(RunDiff.Verdict.GREW, grown.verdict());
    }

    @Test
    void unreadableInputIsOneMessageThatNamesTheFileAndWhatIsWrong() throws Exception {
        Path ok = new RunFolder(1, 1, 1).method("m", 1, 0.1, 1).stack("main;m", 5).write(tmp.resolve("ok"));
        assertMessage(tmp.resolve("missing"), "is not a directory");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertMessage(empty, "has no energy-summary.json");
        Path broken = Files.createDirectories(tmp.resolve("broken"));
        Files.writeString(broken.resolve("energy-summary.json"), "{\"schemaVersion\": 1, \"methods\": [");
        assertMessage(broken, "energy-summary.json is not valid JSON");
        Path future = Files.createDirectories(tmp.resolve("future"));
        Files.writeString(future.resolve("energy-summary.json"), "{\"schemaVersion\": 2}");
        assertMessage(future, "schemaVersion 2");
        Files.writeString(ok.resolve("energy.collapsed"), "main;m 5\nmain;n five\n");
        assertMessage(ok, "energy.collapsed line 2 is not 'stack <integer µJ>'");
        Files.delete(ok.resolve("energy.collapsed"));
        assertMessage(ok, "has no energy.collapsed");
    }

    private static void assertMessage(Path dir, String expected) {
        BadInput e = org.junit.jupiter.api.Assertions.assertThrows(BadInput.class, () -> RunData.read(dir, true));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }
}

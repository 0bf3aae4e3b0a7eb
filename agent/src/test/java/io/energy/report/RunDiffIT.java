package io.energy.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.energy.it.ForkedJvm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code java -jar energy.jar diff} on real runs of {@code EnergyRegression} under the real agent: repeated
 * runs of the same work, and one where {@code scaled} does three times the work (counted in iterations, so
 * the change is known without measuring anything).
 *
 * <p>"The same work is not flagged" is tested with five runs a side: on these shared two-core build machines
 * single runs of the same work differed by up to 30 % in a method (JIT and scheduling under load), more than
 * any one run's bound says, and one single pair in three failed a 10 % gate (docs/review.md has the numbers).
 * Repeated runs give the diff the spread it needs to tell that apart from a change. Three a side passed 58 of
 * 58 comparisons on the development machines but failed one CI run of 85b971a ({@code main} +18.4%, 1.686 J
 * to 1.996 J, ±0.086 J: three runs whose spread happened to be small against a shift between the sides), so
 * the IT uses five, as docs/review.md now advises for CI.
 */
class RunDiffIT {
    private static final String APP = "io.energy.it.apps.EnergyRegression";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Runs a side in the folders of repeated runs. */
    private static final int RUNS = 5;

    @TempDir
    static Path tmp;
    /** A folder of five repeated runs of the same work, and its first run alone. */
    static Path bases;
    static Path base;
    /** Five more runs of the same work. */
    static Path sames;
    /** One run with scaled's work tripled. */
    static Path tripled;

    @BeforeAll
    static void runTheWorkloadElevenTimes() throws Exception {
        bases = tmp.resolve("bases");
        sames = tmp.resolve("sames");
        for (int i = 1; i <= RUNS; i++) {
            run("bases/run" + i, 1, i == 1);
            run("sames/run" + i, 1, false);
        }
        base = bases.resolve("run1");
        tripled = run("tripled", 3, false);
    }

    private static Path run(String name, int multiplier, boolean logClasses) throws Exception {
        Path work = tmp.resolve("work").resolve(name);
        Path out = tmp.resolve(name);
        List<String> cmd = new ArrayList<>(List.of(ForkedJvm.java(null),
                ForkedJvm.agentArg("include=io.energy.it.apps.EnergyRegression,log=quiet,out=" + out)));
        if (logClasses) {
            cmd.add("-Xlog:class+load=info:file=" + work.resolve("classes.txt"));
        }
        cmd.addAll(List.of("-cp", ForkedJvm.TEST_CLASSES.toString(), APP, Integer.toString(multiplier)));
        ForkedJvm.Result r = ForkedJvm.run(work, 120, cmd);
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(Files.isRegularFile(out.resolve("energy-summary.json")), r.stderr());
        return out;
    }

    /** {@code java -jar energy.jar ARGS} in its own working directory. */
    static ForkedJvm.Result energy(String workName, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ForkedJvm.java(null), "-jar", ForkedJvm.AGENT_JAR.toAbsolutePath().toString()));
        cmd.addAll(Arrays.asList(args));
        return ForkedJvm.run(tmp.resolve(workName), 120, cmd);
    }

    @Test
    void repeatedRunsOfTheSameWorkPassTheGate() throws Exception {
        ForkedJvm.Result r = energy("diff-same", "diff", bases.toString(), sames.toString(), "--fail-above", "10",
                "--out", tmp.resolve("diff-same-out").toString());
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(r.stdout().contains("means of " + RUNS + " base and " + RUNS + " new runs"), r.stdout());
        assertTrue(r.stdout().contains("no significant growth above 10%: pass"), r.stdout());
        assertEquals("", r.stderr());
    }

    @Test
    void aMethodMadeThreeTimesMoreExpensiveIsNamedAndFailsTheGate() throws Exception {
        // Against the five base runs (the one new run borrows their spread) and against a single base run.
        for (Path against : List.of(bases, base)) {
            ForkedJvm.Result r = energy("diff-tripled", "diff", against.toString(), tripled.toString(), "--fail-above", "10",
                    "--out", tmp.resolve("diff-tripled-out").toString());
            assertEquals(1, r.exitCode(), r.stdout() + r.stderr());
            String gate = r.stdout().substring(r.stdout().indexOf("[energy] diff: FAIL"));
            assertTrue(gate.contains("io.energy.it.apps.EnergyRegression.scaled grew +"), gate);
            assertFalse(gate.contains("EnergyRegression.steady"), gate);
        }
        ForkedJvm.Result r = energy("diff-tripled", "diff", bases.toString(), tripled.toString(), "--fail-above", "10",
                "--out", tmp.resolve("diff-tripled-out").toString());
        assertEquals(1, r.exitCode(), r.stdout() + r.stderr());
        assertEquals(1, r.exitCode());
        assertFalse(r.stdout().substring(r.stdout().indexOf("[energy] diff: FAIL")).contains("EnergyRegression.sorting"), r.stdout());

        JsonNode diff = JSON.readTree(tmp.resolve("diff-tripled-out/energy-diff.json").toFile());
        JsonNode scaled = null;
        for (JsonNode m : diff.get("methods")) {
            if (m.get("name").asText().equals("io.energy.it.apps.EnergyRegression.scaled")) {
                scaled = m;
            }
        }
        assertEquals("grew", scaled.get("verdict").asText());
        // Three times the iterations: between 2x and 4.5x the joules leaves room for a busy machine.
        double ratio = scaled.get("newJ").asDouble() / scaled.get("baseJ").asDouble();
        assertTrue(ratio > 2 && ratio < 4.5, "scaled used " + ratio + " times the joules for 3 times the work");
    }

    @Test
    void theCollapsedDiffsColumnsAddUpToEachRunsLedgerTotal() throws Exception {
        ForkedJvm.Result r = energy("diff-columns", "diff", base.toString(), tripled.toString(),
                "--out", tmp.resolve("diff-columns-out").toString());
        assertEquals(0, r.exitCode(), r.stderr());
        long baseSum = 0, newSum = 0;
        for (String line : Files.readAllLines(tmp.resolve("diff-columns-out/energy-diff.collapsed"))) {
            String[] f = line.split(" ");
            assertEquals(3, f.length, "stack base new: " + line);
            baseSum += Long.parseLong(f[1]);
            newSum += Long.parseLong(f[2]);
        }
        // The runs' own summaries (the ledger in ns), rounded to µJ as energy.collapsed is.
        assertEquals(Math.round(ledgerNanoJoules(base) / 1000.0), baseSum);
        assertEquals(Math.round(ledgerNanoJoules(tripled) / 1000.0), newSum);
        assertEquals(collapsedTotal(base), baseSum);
        assertEquals(collapsedTotal(tripled), newSum);
    }

    @Test
    void badInputExitsTwoWithOneMessage() throws Exception {
        Path broken = Files.createDirectories(tmp.resolve("broken"));
        Files.writeString(broken.resolve("energy-summary.json"), "{\"schemaVersion\": 1, \"domains\": [");
        String[][] cases = {
                {"diff", base.toString(), tmp.resolve("no-such-run").toString()},
                {"diff", base.toString(), broken.toString()},
                {"diff", base.toString()},
                {"diff", base.toString(), tripled.toString(), "--fail-above", "ten"},
                {"compare", base.toString()},
        };
        String[] expected = {"no-such-run is not a directory", "energy-summary.json is not valid JSON",
                "diff needs two output folders", "--fail-above must be a percentage", "compare needs at least two"};
        for (int i = 0; i < cases.length; i++) {
            ForkedJvm.Result r = energy("bad" + i, cases[i]);
            assertEquals(2, r.exitCode(), String.join(" ", cases[i]) + "\n" + r.stdout() + r.stderr());
            List<String> lines = r.stderr().lines().toList();
            assertEquals(1, lines.size(), "one message: " + r.stderr());
            assertTrue(lines.get(0).startsWith("[energy] ") && lines.get(0).contains(expected[i]), lines.get(0));
        }
    }

    @Test
    void theDifferentialFlameGraphDrawsBothRunsInChromium() throws Exception {
        Path out = tmp.resolve("diff-html-out");
        assertEquals(0, energy("diff-html", "diff", base.toString(), tripled.toString(), "--out", out.toString()).exitCode());
        try (HeadlessChromium browser = HeadlessChromium.launch(1400, 1000)) {
            browser.open(out.resolve("energy-diff.html"));
            String root = "#flame .fr[data-kind=root]";
            // At first "this process only": the idle and other-processes buckets are left out of the root.
            assertEquals(collapsedTotal(base) - notProcess(base),
                    browser.eval("+document.querySelector('" + root + "').getAttribute('data-base')").asLong());
            assertEquals(collapsedTotal(tripled) - notProcess(tripled),
                    browser.eval("+document.querySelector('" + root + "').getAttribute('data-new')").asLong());
            browser.click("#processOnly");
            assertEquals(collapsedTotal(base), browser.eval("+document.querySelector('" + root + "').getAttribute('data-base')").asLong());
            assertEquals(collapsedTotal(tripled), browser.eval("+document.querySelector('" + root + "').getAttribute('data-new')").asLong());
            assertEquals(1, browser.eval("document.querySelectorAll('#flame .fr[data-name=\"(static/idle)\"]').length").asInt());
            browser.click("#processOnly");
            assertEquals(0, browser.eval("document.querySelectorAll('#flame .fr[data-name=\"(static/idle)\"]').length").asInt());
            String scaled = "#flame .fr[data-name=\"io.energy.it.apps.EnergyRegression.scaled\"]";
            assertEquals("grew", browser.eval("document.querySelector('" + scaled.replace("'", "\\'") + "').getAttribute('data-change')").asText());
            assertTrue(browser.eval("getComputedStyle(document.querySelector('" + scaled.replace("'", "\\'") + "')).backgroundColor").asText()
                    .startsWith("rgb(255,"), "a frame that grew is red");

            browser.hover(scaled);
            String tip = browser.eval("document.getElementById('tip').textContent").asText();
            assertTrue(tip.contains("EnergyRegression.scaled") && tip.contains("base ") && tip.contains("new "), tip);

            browser.click(scaled);
            assertEquals("100%", browser.eval("document.querySelector('" + scaled.replace("'", "\\'") + ":not(.anc)').style.width").asText());
            assertTrue(browser.eval("document.querySelector('" + root + "').classList.contains('anc')").asBoolean(),
                    "after zooming, the root stays above as a caller");
            browser.click("#reset");

            browser.click("#search");
            browser.type("EnergyRegression\\.scaled");
            assertEquals(browser.eval("+document.querySelector('" + scaled.replace("'", "\\'") + "').getAttribute('data-new')").asLong(),
                    browser.eval("+document.getElementById('match').getAttribute('data-new')").asLong());
            assertTrue(browser.eval("document.querySelector('" + scaled.replace("'", "\\'") + "').classList.contains('hl')").asBoolean());
            assertEquals("grew", browser.eval("document.querySelector('#methods tr[data-name=\"io.energy.it.apps.EnergyRegression.scaled\"]')"
                    + ".getAttribute('data-verdict')").asText());
            Files.write(Path.of("target", "energy-diff-regression.png"), browser.screenshotPng());
            assertEquals(List.of(), browser.pageErrors());
        }
    }

    @Test
    void helpListsDiffAndCompare() throws Exception {
        ForkedJvm.Result r = energy("help", "help");
        assertEquals(0, r.exitCode());
        assertTrue(r.stdout().contains("energy.jar diff BASE NEW") && r.stdout().contains("energy.jar compare DIR"), r.stdout());
    }

    /**
     * The tooling's Jackson lives only inside the nested tools jar: not in energy.jar's own entries, not in the
     * core, and no Jackson class is loaded when the agent runs in an application.
     */
    @Test
    void jacksonIsNeitherVisibleToApplicationsNorLoadedByTheAgent() throws Exception {
        try (JarFile jar = new JarFile(ForkedJvm.AGENT_JAR.toFile())) {
            assertTrue(jar.stream().noneMatch(e -> e.getName().contains("jackson")), "no Jackson entry in energy.jar itself");
            assertTrue(nestedEntries(jar, "META-INF/energy/energy-core.jar").stream().noneMatch(n -> n.contains("jackson")));
            List<String> tools = nestedEntries(jar, "META-INF/energy/energy-tools.jar");
            assertTrue(tools.contains("io/energy/shaded/jackson/databind/ObjectMapper.class"), "relocated Jackson in the tools jar");
            assertTrue(tools.stream().noneMatch(n -> n.startsWith("com/fasterxml/")), "no Jackson under its own name");
        }
        String classes = Files.readString(tmp.resolve("work/bases/run1/classes.txt"));
        assertTrue(classes.contains("io.energy.command.AgentCore"), "the log covers the agent's start");
        assertFalse(classes.toLowerCase(java.util.Locale.ROOT).contains("jackson"), "no Jackson class loaded in the application's JVM");
    }

    private static List<String> nestedEntries(JarFile jar, String name) throws Exception {
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(jar.getInputStream(jar.getEntry(name)))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                names.add(e.getName());
            }
        }
        return names;
    }

    static long ledgerNanoJoules(Path run) throws Exception {
        return JSON.readTree(run.resolve("energy-summary.json").toFile()).at("/totals/ledgerNanoJoules").asLong();
    }

    /** µJ of the (static/idle) and (other processes) lines of a run's energy.collapsed. */
    static long notProcess(Path run) throws Exception {
        long sum = 0;
        for (String line : Files.readAllLines(run.resolve("energy.collapsed"))) {
            if (line.startsWith("(static/idle) ") || line.startsWith("(other_processes) ")) {
                sum += Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    static long collapsedTotal(Path run) throws Exception {
        long sum = 0;
        for (String line : Files.readAllLines(run.resolve("energy.collapsed"))) {
            sum += Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
        }
        return sum;
    }
}

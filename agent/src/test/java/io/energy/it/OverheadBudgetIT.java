package io.energy.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The overhead budget in a real JVM: a method called as fast as a loop can is unwoven while the program
 * runs, its calls up to then kept and marked; a method called among its calls stays counted exactly;
 * {@code overhead=off} counts every call.
 */
class OverheadBudgetIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APP = "io.energy.it.apps.Workload";
    private static final String HOT = "io.energy.it.apps.Workload.hot";
    private static final String COLD = "io.energy.it.apps.Workload.cold";

    private static List<String> cmd(String agentOptions, long n) {
        List<String> c = new ArrayList<>(List.of(ForkedJvm.java(null)));
        c.add(ForkedJvm.agentArg("include=io.energy.it.apps.**," + agentOptions));
        c.addAll(List.of("-cp", ForkedJvm.TEST_CLASSES.toString(), APP, "budget", Long.toString(n)));
        return c;
    }

    private static JsonNode method(JsonNode summary, String name) {
        for (JsonNode m : summary.get("methods")) {
            if (m.get("name").asText().equals(name)) {
                return m;
            }
        }
        return null;
    }

    /** What the program prints, computed here without any agent. */
    private static String expected(long n) {
        long sum = 0;
        for (long i = 0; i < n; i++) {
            sum += Long.rotateLeft(i, 5) ^ i;
            if (i % 100_000 == 0) {
                long h = i;
                for (int k = 0; k < 100; k++) {
                    h = h * 31 + k;
                }
                sum += h;
            }
        }
        return "budget " + n + " sum " + sum;
    }

    @Test
    void theHottestMethodStopsBeingCountedItsCallsSoFarAreKeptAndMarkedAndTheOthersStayExact(@TempDir Path dir)
            throws Exception {
        long n = 400_000_000L;
        Path out = dir.resolve("out");
        ForkedJvm.Result r = ForkedJvm.run(dir, 240, cmd("out=" + out, n));
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals(expected(n), r.stdout().strip());
        JsonNode s = JSON.readTree(out.resolve("energy-summary.json").toFile());
        AgentRunIT.assertLedgerAddsUp(s);

        JsonNode hot = method(s, HOT);
        assertNotNull(hot, "the hot method's calls before it was unwoven are kept");
        long hotCalls = hot.get("calls").asLong();
        assertTrue(hotCalls > 0 && hotCalls < n, "counted until unwoven: " + hotCalls);
        JsonNode stopped = hot.get("countingStopped");
        assertNotNull(stopped, hot.toString());
        assertTrue(stopped.get("atSeconds").asDouble() > 0, stopped.toString());
        assertTrue(stopped.get("reason").asText().contains("overhead budget"), stopped.toString());
        assertTrue(stopped.get("costShare").asDouble() > 0.01, "it cost more than the 1% budget: " + stopped);

        JsonNode cold = method(s, COLD);
        assertEquals(n / 100_000, cold.get("calls").asLong(), "every call of the method that stayed woven");
        assertNull(cold.get("countingStopped"));

        JsonNode overhead = s.at("/health/overhead");
        assertEquals("1%", overhead.get("budget").asText());
        assertEquals(HOT, overhead.get("countingStopped").get(0).get("method").asText(), "hottest first");
        assertTrue(s.at("/health/trivialMethodsSkipped").asInt() >= 1, "Workload.tiny is trivial: " + s.get("health"));

        String csv = Files.readString(out.resolve("energy-methods.csv"));
        String hotRow = csv.lines().filter(l -> l.startsWith(HOT + ",")).findFirst().orElseThrow();
        assertTrue(csv.lines().findFirst().orElseThrow().endsWith(",counting_stopped_s"), csv);
        assertTrue(!hotRow.endsWith(","), "the hot method's row says when counting stopped: " + hotRow);
        assertTrue(r.stderr().contains("counting stopped by the overhead budget (overhead=1%) in"), r.stderr());
        // The exit table says what counting cost over the run, by the same estimate as the summary.
        java.util.regex.Matcher cost = java.util.regex.Pattern.compile("\\[energy] counting cost ~(\\d+) ms of CPU by the "
                + "budget's estimate \\(30 ns a call\\): [0-9.]+% of the process's CPU \\(overhead=1%\\)").matcher(r.stderr());
        assertTrue(cost.find(), r.stderr());
        assertEquals(overhead.get("estimatedCountingCpuMs").asDouble(), Double.parseDouble(cost.group(1)), 0.5 + 1e-9);
    }

    /**
     * The budget must see every woven method's calls, also those of a class loaded after the stack sampler had given
     * ids to the frames it found: the registry's ids then run past the number of woven methods, and the budget's
     * count, sized by that number, left them out (found on H2, where the group-by phase's methods, 7.8 M calls,
     * were never stopped: counting cost 3.5% against 1%).
     */
    @Test
    void aHotMethodOfAClassLoadedAfterSamplingBeganStopsBeingCountedToo(@TempDir Path dir) throws Exception {
        long n = 600_000_000L;
        Path out = dir.resolve("out");
        List<String> c = new ArrayList<>(List.of(ForkedJvm.java(null),
                ForkedJvm.agentArg("include=io.energy.it.apps.**,log=debug,out=" + out),
                "-cp", ForkedJvm.TEST_CLASSES.toString(), APP, "budget-late", Long.toString(n)));
        ForkedJvm.Result r = ForkedJvm.run(dir, 240, c);
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stdout().startsWith("budget-late " + n + " sum "), r.stdout());
        JsonNode s = JSON.readTree(out.resolve("energy-summary.json").toFile());
        assertTrue(s.at("/health/stackSamples").asLong() > 50, "the stack sampler ran: " + s.get("health"));
        JsonNode late = method(s, "io.energy.it.apps.Workload$Late.hot");
        assertNotNull(late, "the late class's hot method was woven and counted");
        long calls = late.get("calls").asLong();
        assertNotNull(late.get("countingStopped"), "the budget never stopped the late class's hot method ("
                + calls + " of " + n + " calls counted): " + s.at("/health/overhead"));
        assertTrue(calls > 0 && calls < n, "counted until unwoven: " + calls);
    }

    @Test
    void overheadOffCountsEveryCallWhateverItCosts(@TempDir Path dir) throws Exception {
        long n = 30_000_000L;
        Path out = dir.resolve("out");
        ForkedJvm.Result r = ForkedJvm.run(dir, 240, cmd("out=" + out + ",overhead=off", n));
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals(expected(n), r.stdout().strip());
        JsonNode s = JSON.readTree(out.resolve("energy-summary.json").toFile());
        assertEquals(n, method(s, HOT).get("calls").asLong());
        assertEquals(n / 100_000, method(s, COLD).get("calls").asLong());
        assertEquals("off", s.at("/health/overhead/budget").asText());
        assertEquals(0, s.at("/health/overhead/countingStopped").size());
    }
}

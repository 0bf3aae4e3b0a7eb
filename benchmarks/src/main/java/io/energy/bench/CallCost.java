package io.energy.bench;

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@link CallCostBenchmark} without and with the agent, for each thread count, and prints the added
 * cost per instrumented call next to the cost of one {@code System.nanoTime()} from the same run.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.energy.bench.CallCost [threads=1,2] [warmup=3] [iterations=5]
 *      [time=1] [forks=1] [agent=agent/target/energy.jar] [out=target/bench]
 * </pre>
 *
 * Exit code 0 when every thread count meets the target (added cost ≤ half a {@code nanoTime()} for both
 * the empty and the small method), 1 when one misses it, 2 when the agent did not instrument the target
 * (the numbers would then be meaningless).
 */
public final class CallCost {
    static final String INCLUDE = "io.energy.bench.Instrumented*";
    static final double TARGET_RATIO = 0.5;
    /**
     * The targets are trivial methods, which the agent would not weave by default, and JMH calls them faster
     * than the overhead budget allows: weave them and keep them woven, since their woven cost is what is measured.
     */
    static final String WOVEN = "weave.trivial=true,overhead=off";
    static final String[] BENCHMARKS = {"nanoTime", "timedSmall", "plainEmpty", "instrumentedEmpty", "plainSmall",
            "instrumentedSmall"};

    private CallCost() {
    }

    public static void main(String[] args) throws RunnerException, IOException {
        BenchArgs a = new BenchArgs(args, "threads", "warmup", "iterations", "time", "forks", "agent", "out");
        Path agent = a.agentJar();
        Path out = Path.of(a.text("out", "target/bench")).toAbsolutePath();
        boolean allMet = true;
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "%-7s %-18s %14s %14s%n", "threads", "benchmark",
                "no agent ns/op", "agent ns/op"));
        StringBuilder verdicts = new StringBuilder();
        for (String t : a.text("threads", "1,2").split(",")) {
            int threads = Integer.parseInt(t.trim());
            Map<String, Result<?>> without = run(a, threads, null, null);
            Path agentOut = out.resolve("call-cost-agent-t" + threads);
            Map<String, Result<?>> with = run(a, threads, agent, agentOut);
            checkInstrumented(agentOut.resolve("instrumentedEmpty"), "empty");
            checkInstrumented(agentOut.resolve("instrumentedSmall"), "small");
            for (String b : with.keySet()) {
                table.append(String.format(Locale.ROOT, "%-7d %-18s %14s %14s%n", threads, b,
                        score(without.get(b)), score(with.get(b))));
            }
            double nano = with.get("nanoTime").getScore();
            for (String kind : new String[]{"Empty", "Small"}) {
                double added = with.get("instrumented" + kind).getScore() - with.get("plain" + kind).getScore();
                double ratio = added / nano;
                boolean met = ratio <= TARGET_RATIO;
                allMet &= met;
                verdicts.append(String.format(Locale.ROOT,
                        "threads=%d %-5s method: added %.2f ns per instrumented call = %.2f x nanoTime (%.2f ns); "
                                + "target <= %.1f x: %s%n",
                        threads, kind.toLowerCase(Locale.ROOT), added, ratio, nano, TARGET_RATIO,
                        met ? "PASS" : "FAIL"));
            }
            double timed = with.get("timedSmall").getScore() - with.get("plainSmall").getScore();
            verdicts.append(String.format(Locale.ROOT,
                    "threads=%d timing the small method with two nanoTime calls adds %.2f ns%n", threads, timed));
        }
        System.out.println();
        System.out.println("== per-call cost (JMH, average time; +- is the 99.9% confidence half-width) ==");
        System.out.print(table);
        System.out.print(verdicts);
        if (!allMet) {
            System.exit(1);
        }
    }

    /**
     * Runs each benchmark on its own (JMH forks a JVM per benchmark anyway), so that with the agent every
     * fork writes its outputs to its own folder and the instrumented ones can be checked afterwards.
     */
    private static Map<String, Result<?>> run(BenchArgs a, int threads, Path agent, Path agentOut)
            throws RunnerException {
        Map<String, Result<?>> byName = new LinkedHashMap<>();
        for (String b : BENCHMARKS) {
            ChainedOptionsBuilder o = new OptionsBuilder()
                    .include(Pattern.quote(CallCostBenchmark.class.getName() + "." + b) + "$")
                    .threads(threads)
                    .forks((int) a.number("forks", 1))
                    .warmupIterations((int) a.number("warmup", 3))
                    .measurementIterations((int) a.number("iterations", 5))
                    .warmupTime(TimeValue.seconds(a.number("time", 1)))
                    .measurementTime(TimeValue.seconds(a.number("time", 1)));
            if (agent != null) {
                o = o.jvmArgsAppend("-javaagent:" + BenchArgs.path(agent) + "=include=" + INCLUDE + ",out="
                        + BenchArgs.path(agentOut.resolve(b)) + ",top=0,log=quiet," + WOVEN);
            }
            for (RunResult r : new Runner(o.build()).run()) {
                byName.put(b, r.getPrimaryResult());
            }
            if (!byName.containsKey(b)) {
                throw new RunnerException("JMH returned no result for " + b);
            }
        }
        return byName;
    }

    private static String score(Result<?> r) {
        return String.format(Locale.ROOT, "%.2f +- %.2f", r.getScore(), r.getScoreError());
    }

    /** The agent's own summary must show calls of the instrumented method, or the comparison is void. */
    private static void checkInstrumented(Path agentOut, String m) throws IOException {
        Path summary = agentOut.resolve("energy-summary.json");
        String json = Files.isRegularFile(summary) ? Files.readString(summary) : "";
        Matcher c = Pattern.compile("\"name\"\\s*:\\s*\"" + Pattern.quote(InstrumentedTarget.class.getName() + "." + m)
                + "\",\\s*\"calls\"\\s*:\\s*(\\d+)").matcher(json);
        if (!c.find() || Long.parseLong(c.group(1)) == 0) {
            System.err.println("the agent did not record calls of InstrumentedTarget." + m + " (summary: "
                    + summary + "): the instrumented numbers are not valid");
            System.exit(2);
        }
    }
}

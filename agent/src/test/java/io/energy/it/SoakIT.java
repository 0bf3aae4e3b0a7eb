package io.energy.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A long run behind a flag ({@code -Dsoak.seconds=N}): threads that come and go, varied call paths,
 * checkpoints; the heap must not keep growing and the outputs must stay complete. Results are in
 * docs/reliability.md. Run: {@code mvn -B -pl sample-apps,agent verify -Dit.test=SoakIT -Dsoak.seconds=600
 * -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "soak.seconds", matches = "\\d+")
class SoakIT {
    @Test
    void aLongRunKeepsMemoryFlatAndOutputsComplete(@TempDir Path dir) throws Exception {
        long seconds = Long.parseLong(System.getProperty("soak.seconds"));
        Path out = dir.resolve("out");
        List<String> c = new ArrayList<>(List.of(ForkedJvm.java(null), "-Xmx256m",
                ForkedJvm.agentArg("include=io.energy.it.apps.**,out=" + out + ",checkpoint=10s"),
                "-cp", ForkedJvm.TEST_CLASSES.toString(), "io.energy.it.apps.Workload", "soak", Long.toString(seconds)));
        ForkedJvm.Result r = ForkedJvm.run(dir, seconds + 120, c);
        assertEquals(0, r.exitCode(), r.stderr());
        List<long[]> heap = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            if (line.startsWith("heap ")) {
                String[] f = line.split(" ");
                heap.add(new long[]{Long.parseLong(f[1]), Long.parseLong(f[2])});
            }
        }
        assertTrue(heap.size() >= 4, r.stdout());
        long early = heap.get(heap.size() / 4)[1];
        long late = heap.get(heap.size() - 1)[1];
        StringBuilder sb = new StringBuilder();
        for (long[] h : heap) {
            sb.append(h[0]).append(" s: ").append(h[1] / 1024).append(" KiB\n");
        }
        System.out.println("soak heap after GC:\n" + sb);
        assertTrue(late <= early * 1.5 + 4 * 1024 * 1024, "heap grew from " + early + " to " + late + "\n" + sb);
        JsonNode s = new ObjectMapper().readTree(out.resolve("energy-summary.json").toFile());
        AgentRunIT.assertLedgerAddsUp(s);
        System.out.println("soak summary health: " + s.get("health") + " duration " + s.get("durationSeconds"));
    }
}

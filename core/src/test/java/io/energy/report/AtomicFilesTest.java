package io.energy.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Report files written under a temporary name and renamed over the old one. */
class AtomicFilesTest {
    @TempDir
    Path dir;

    /** What this process holds open under {@code dir}, from Linux's table of its descriptors. */
    private List<Path> openUnder(Path dir) throws IOException {
        List<Path> open = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    Path target = Files.readSymbolicLink(fd);
                    if (target.startsWith(dir)) {
                        open.add(target);
                    }
                } catch (IOException closedMeanwhile) {
                    // the listing's own descriptor, or one another thread closed: not ours
                }
            }
        }
        return open;
    }

    @Test
    void replacingAReportLeavesNoFileOpenBehind() throws Exception {
        // A descriptor left open per file written is one leaked per report, and a file Windows cannot rename.
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs Linux's /proc");
        Path real = dir.toRealPath();
        Path target = real.resolve("energy-summary.json");
        for (String text : List.of("first", "second")) {
            AtomicFiles.write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
        }
        assertEquals("second", Files.readString(target));
        assertEquals(List.of(), openUnder(real));
    }
}

package io.energy.architecture;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The formatting rules of .editorconfig that a reader notices, checked on every source and text file of the
 * repository without reformatting anything: no tabs, no trailing whitespace, LF line ends, a final newline,
 * and Java lines of at most 150 characters.
 */
class SourceFormatTest {
    static final int JAVA_MAX_LINE = 150;
    private static final Set<String> TEXT = Set.of("java", "xml", "md", "sh", "yml", "yaml", "properties", "jfc",
            "editorconfig", "gitignore", "c", "cu");
    /** Build outputs, VCS data, and recorded outputs of real runs that are kept byte for byte. */
    private static final Set<String> SKIPPED_DIRS = Set.of("target", ".git", "node_modules", "gpu-run");

    static List<String> problems(Path file, String text) {
        List<String> out = new ArrayList<>();
        boolean java = file.toString().endsWith(".java");
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String at = file + ":" + (i + 1) + ": ";
            if (line.indexOf('\t') >= 0) {
                out.add(at + "tab");
            }
            if (line.endsWith("\r")) {
                out.add(at + "CR line end");
            } else if (!line.isEmpty() && Character.isWhitespace(line.charAt(line.length() - 1))) {
                out.add(at + "trailing whitespace");
            }
            if (java && line.length() > JAVA_MAX_LINE) {
                out.add(at + line.length() + " characters, over " + JAVA_MAX_LINE);
            }
        }
        if (!text.isEmpty() && !text.endsWith("\n")) {
            out.add(file + ": no newline at the end");
        }
        return out;
    }

    private static boolean isText(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return TEXT.contains(dot < 0 ? "" : name.substring(dot + 1)) || p.getParent().endsWith("scripts");
    }

    @Test
    void everySourceAndTextFileFollowsTheHouseFormat() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(root.resolve(".editorconfig")), "repository root at " + root);
        List<String> problems = new ArrayList<>();
        int checked = 0;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                Path rel = root.relativize(p);
                boolean skipped = false;
                for (Path part : rel) {
                    skipped |= SKIPPED_DIRS.contains(part.toString());
                }
                if (skipped || !isText(p)) {
                    continue;
                }
                checked++;
                problems.addAll(problems(rel, Files.readString(p, StandardCharsets.UTF_8)));
            }
        }
        assertTrue(checked > 150, "checked " + checked + " files");
        assertEquals("", String.join("\n", problems));
    }

    @Test
    void eachRuleCatchesWhatItNames() {
        Path f = Path.of("A.java");
        assertEquals(List.of(), problems(f, "class A {\n    int a;\n}\n"));
        assertEquals(List.of("A.java:2: tab"), problems(f, "class A {\n\tint a;\n}\n"));
        assertEquals(List.of("A.java:1: trailing whitespace"), problems(f, "class A { \n}\n"));
        assertEquals(List.of("A.java:1: CR line end"), problems(f, "class A {\r\n}\n"));
        assertEquals(List.of("A.java: no newline at the end"), problems(f, "class A {\n}"));
        assertEquals(List.of("A.java:1: 151 characters, over 150"), problems(f, "x".repeat(151) + "\n"));
        assertEquals(List.of(), problems(Path.of("README.md"), "x".repeat(400) + "\n"), "prose may run long");
    }
}

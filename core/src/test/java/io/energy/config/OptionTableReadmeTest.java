package io.energy.config;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's option table is {@link OptionTable#markdown()}, byte for byte. Run with
 * {@code -Denergy.regenerate.docs=true} to write the table into the README instead of failing.
 */
class OptionTableReadmeTest {
    static final String BEGIN = "<!-- options: generated from OptionTable by OptionTableReadmeTest; do not edit -->\n";
    static final String END = "<!-- options: end -->\n";

    @Test
    void readmeOptionTableIsTheOptionTable() throws Exception {
        Path readme = Path.of(System.getProperty("energy.readme", "../README.md"));
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        assertTrue(begin >= 0 && end > begin, readme + " has no generated option table between " + BEGIN.trim()
                + " and " + END.trim());
        String inReadme = text.substring(begin + BEGIN.length(), end);
        String expected = OptionTable.markdown();
        if (!expected.equals(inReadme) && Boolean.getBoolean("energy.regenerate.docs")) {
            Files.writeString(readme, text.substring(0, begin + BEGIN.length()) + expected + text.substring(end),
                    StandardCharsets.UTF_8);
            return;
        }
        assertEquals(expected, inReadme, "README.md's option table differs from OptionTable; regenerate it with "
                + "mvn -B -o test -pl core -am -Dtest=OptionTableReadmeTest -Denergy.regenerate.docs=true "
                + "-Dsurefire.failIfNoSpecifiedTests=false");
    }
}

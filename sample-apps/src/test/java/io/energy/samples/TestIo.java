package io.energy.samples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Captures what a sample prints, so tests can run samples in-process and read their output. */
final class TestIo {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    String[] lines() {
        String text = text().strip();
        return text.isEmpty() ? new String[0] : text.split("\\R");
    }
}

package io.energy.report;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * A small streaming JSON writer with the layout of Jackson's default pretty printer (objects one field a
 * line, arrays inline, {@code "name" : value}), NaN and infinities written as strings.
 *
 * <p>It exists for start-up and exit time, not features: Jackson's {@code JsonFactory} drags every
 * parser class through the bytecode verifier when it is first loaded in the agent's own class loader,
 * which cost around a hundred milliseconds at every JVM exit on a small machine, to write one file.
 * The method names follow Jackson's generator so a writer can move between the two without rewording.
 */
public final class JsonOut implements Closeable {
    private static final char[] SPACES = " ".repeat(256).toCharArray();
    private final Writer w;
    // One entry per open object or array: true for an object. Counts are the entries written so far.
    private boolean[] isObject = new boolean[16];
    private int[] count = new int[16];
    private int depth;
    private int objects;

    public JsonOut(OutputStream out) {
        this.w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 14);
    }

    public void writeStartObject() throws IOException {
        valuePrefix();
        w.write('{');
        push(true);
    }

    public void writeEndObject() throws IOException {
        int n = pop(true);
        if (n > 0) {
            w.write('\n');
            indent();
            w.write('}');
        } else {
            w.write(" }");
        }
    }

    public void writeStartArray() throws IOException {
        valuePrefix();
        w.write('[');
        push(false);
    }

    public void writeEndArray() throws IOException {
        pop(false);
        w.write(" ]");
    }

    public void writeFieldName(String name) throws IOException {
        if (depth == 0 || !isObject[depth - 1]) {
            throw new IllegalStateException("a field name outside an object: " + name);
        }
        w.write(count[depth - 1]++ > 0 ? ",\n" : "\n");
        indent();
        string(name);
        w.write(" : ");
    }

    public void writeObjectFieldStart(String name) throws IOException {
        writeFieldName(name);
        writeStartObject();
    }

    public void writeArrayFieldStart(String name) throws IOException {
        writeFieldName(name);
        writeStartArray();
    }

    public void writeString(String value) throws IOException {
        valuePrefix();
        if (value == null) {
            w.write("null");
        } else {
            string(value);
        }
    }

    public void writeNumber(long value) throws IOException {
        valuePrefix();
        w.write(Long.toString(value));
    }

    public void writeNumber(double value) throws IOException {
        valuePrefix();
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            string(Double.toString(value));
        } else {
            w.write(Double.toString(value));
        }
    }

    public void writeNull() throws IOException {
        valuePrefix();
        w.write("null");
    }

    public void writeArray(int[] values, int offset, int length) throws IOException {
        writeStartArray();
        for (int i = offset; i < offset + length; i++) {
            writeNumber(values[i]);
        }
        writeEndArray();
    }

    public void writeArray(long[] values, int offset, int length) throws IOException {
        writeStartArray();
        for (int i = offset; i < offset + length; i++) {
            writeNumber(values[i]);
        }
        writeEndArray();
    }

    public void writeArray(double[] values, int offset, int length) throws IOException {
        writeStartArray();
        for (int i = offset; i < offset + length; i++) {
            writeNumber(values[i]);
        }
        writeEndArray();
    }

    public void writeBoolean(boolean value) throws IOException {
        valuePrefix();
        w.write(value ? "true" : "false");
    }

    public void writeStringField(String name, String value) throws IOException {
        writeFieldName(name);
        writeString(value);
    }

    public void writeNumberField(String name, long value) throws IOException {
        writeFieldName(name);
        writeNumber(value);
    }

    public void writeNumberField(String name, double value) throws IOException {
        writeFieldName(name);
        writeNumber(value);
    }

    public void writeBooleanField(String name, boolean value) throws IOException {
        writeFieldName(name);
        writeBoolean(value);
    }

    /**
     * {@code Instant.ofEpochMilli(ms).toString()} without java.time, whose formatter set-up is another
     * few dozen classes to load at exit: {@code 2026-11-26T20:07:54.015Z}, the fraction left out when zero.
     */
    public static String isoInstant(long epochMillis) {
        long days = Math.floorDiv(epochMillis, 86_400_000L);
        long msOfDay = Math.floorMod(epochMillis, 86_400_000L);
        // Civil date from days since 1970-01-01 (proleptic Gregorian), after Howard Hinnant's algorithm.
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long day = doy - (153 * mp + 2) / 5 + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        StringBuilder sb = new StringBuilder(24);
        if (year > 9999) {
            sb.append('+');
        }
        pad(sb, year, 4).append('-');
        pad(sb, month, 2).append('-');
        pad(sb, day, 2).append('T');
        pad(sb, msOfDay / 3_600_000, 2).append(':');
        pad(sb, msOfDay / 60_000 % 60, 2).append(':');
        pad(sb, msOfDay / 1000 % 60, 2);
        if (msOfDay % 1000 != 0) {
            pad(sb.append('.'), msOfDay % 1000, 3);
        }
        return sb.append('Z').toString();
    }

    private static StringBuilder pad(StringBuilder sb, long v, int width) {
        if (v < 0) {
            sb.append('-');
            v = -v;
        }
        String s = Long.toString(v);
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(s);
    }

    /** Flushes and closes the underlying stream. */
    @Override
    public void close() throws IOException {
        w.close();
    }

    private void valuePrefix() throws IOException {
        if (depth > 0 && !isObject[depth - 1]) {
            w.write(count[depth - 1]++ > 0 ? ", " : " ");
        }
    }

    private void push(boolean object) {
        if (depth == isObject.length) {
            isObject = java.util.Arrays.copyOf(isObject, depth * 2);
            count = java.util.Arrays.copyOf(count, depth * 2);
        }
        isObject[depth] = object;
        count[depth] = 0;
        depth++;
        if (object) {
            objects++;
        }
    }

    private int pop(boolean object) {
        if (depth == 0 || isObject[depth - 1] != object) {
            throw new IllegalStateException("unbalanced " + (object ? "object" : "array") + " end");
        }
        depth--;
        if (object) {
            objects--;
        }
        return count[depth];
    }

    /** Two spaces per open object, written as one slice: a deep call tree's lines are mostly indentation. */
    private void indent() throws IOException {
        int n = 2 * objects;
        while (n > 0) {
            int k = Math.min(n, SPACES.length);
            w.write(SPACES, 0, k);
            n -= k;
        }
    }

    private void string(String s) throws IOException {
        w.write('"');
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String esc;
            switch (c) {
                case '"' -> esc = "\\\"";
                case '\\' -> esc = "\\\\";
                case '\n' -> esc = "\\n";
                case '\r' -> esc = "\\r";
                case '\t' -> esc = "\\t";
                default -> esc = c < 0x20 ? String.format("\\u%04x", (int) c) : null;
            }
            if (esc != null) {
                w.write(s, start, i - start);
                w.write(esc);
                start = i + 1;
            }
        }
        w.write(s, start, s.length() - start);
        w.write('"');
    }
}

package io.energy.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonOutTest {
    /** The same calls on both writers; the small one must produce Jackson's pretty-printed text exactly. */
    private interface Calls {
        void startObject() throws IOException;
        void endObject() throws IOException;
        void arrayField(String name) throws IOException;
        void objectField(String name) throws IOException;
        void endArray() throws IOException;
        void field(String name, String v) throws IOException;
        void field(String name, long v) throws IOException;
        void field(String name, double v) throws IOException;
        void field(String name, boolean v) throws IOException;
        void string(String v) throws IOException;
        void number(long v) throws IOException;
        void nul() throws IOException;
        void bool(boolean v) throws IOException;
        void startArray() throws IOException;
        void doubles(double[] v, int offset, int length) throws IOException;
    }

    private static void script(Calls c) throws IOException {
        c.startObject();
        c.field("schemaVersion", 1);
        c.field("text", "quote \" backslash \\ newline \n tab \t bell \u0007 unicode é ∑");
        c.field("estimated", true);
        c.field("joules", 1.445259516);
        c.field("zero", 0.0);
        c.field("nan", Double.NaN);
        c.field("big", 1.0e21);
        c.arrayField("empty");
        c.endArray();
        c.objectField("emptyObject");
        c.endObject();
        c.arrayField("numbers");
        c.number(1);
        c.number(-2);
        c.endArray();
        c.arrayField("objects");
        for (int i = 0; i < 2; i++) {
            c.startObject();
            c.field("name", "m" + i);
            c.objectField("domains");
            c.objectField("package:0");
            c.field("selfJ", i * 0.5);
            c.endObject();
            c.endObject();
            c.arrayField("notes");
            c.string("a");
            c.string("b");
            c.endArray();
            c.endObject();
        }
        c.endArray();
        c.arrayField("mixed");
        c.nul();
        c.bool(false);
        c.bool(true);
        c.startArray();
        c.number(3);
        c.endArray();
        c.doubles(new double[]{9.5, 1.25, 2.5, 7.0}, 1, 2); // a slice: 1.25 and 2.5 only
        c.endArray();
        c.arrayField("deep"); // deeper than the writer's first 16 levels
        for (int i = 0; i < 20; i++) {
            c.startObject();
            c.arrayField("in");
            c.number(i);
        }
        for (int i = 0; i < 20; i++) {
            c.endArray();
            c.endObject();
        }
        c.endArray();
        c.endObject();
    }

    @Test
    void writesExactlyWhatJacksonsDefaultPrettyPrinterWrites() throws IOException {
        ByteArrayOutputStream mine = new ByteArrayOutputStream();
        try (JsonOut g = new JsonOut(mine)) {
            script(new Calls() {
                public void startObject() throws IOException { g.writeStartObject(); }
                public void endObject() throws IOException { g.writeEndObject(); }
                public void arrayField(String n) throws IOException { g.writeArrayFieldStart(n); }
                public void objectField(String n) throws IOException { g.writeObjectFieldStart(n); }
                public void endArray() throws IOException { g.writeEndArray(); }
                public void field(String n, String v) throws IOException { g.writeStringField(n, v); }
                public void field(String n, long v) throws IOException { g.writeNumberField(n, v); }
                public void field(String n, double v) throws IOException { g.writeNumberField(n, v); }
                public void field(String n, boolean v) throws IOException { g.writeBooleanField(n, v); }
                public void string(String v) throws IOException { g.writeString(v); }
                public void number(long v) throws IOException { g.writeNumber(v); }
                public void nul() throws IOException { g.writeNull(); }
                public void bool(boolean v) throws IOException { g.writeBoolean(v); }
                public void startArray() throws IOException { g.writeStartArray(); }
                public void doubles(double[] v, int o, int n) throws IOException { g.writeArray(v, o, n); }
            });
        }
        ByteArrayOutputStream jackson = new ByteArrayOutputStream();
        JsonFactory f = JsonFactory.builder().enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS).build();
        try (JsonGenerator g = f.createGenerator(jackson)) {
            g.useDefaultPrettyPrinter();
            script(new Calls() {
                public void startObject() throws IOException { g.writeStartObject(); }
                public void endObject() throws IOException { g.writeEndObject(); }
                public void arrayField(String n) throws IOException { g.writeArrayFieldStart(n); }
                public void objectField(String n) throws IOException { g.writeObjectFieldStart(n); }
                public void endArray() throws IOException { g.writeEndArray(); }
                public void field(String n, String v) throws IOException { g.writeStringField(n, v); }
                public void field(String n, long v) throws IOException { g.writeNumberField(n, v); }
                public void field(String n, double v) throws IOException { g.writeNumberField(n, v); }
                public void field(String n, boolean v) throws IOException { g.writeBooleanField(n, v); }
                public void string(String v) throws IOException { g.writeString(v); }
                public void number(long v) throws IOException { g.writeNumber(v); }
                public void nul() throws IOException { g.writeNull(); }
                public void bool(boolean v) throws IOException { g.writeBoolean(v); }
                public void startArray() throws IOException { g.writeStartArray(); }
                public void doubles(double[] v, int o, int n) throws IOException { g.writeArray(v, o, n); }
            });
        }
        assertEquals(jackson.toString(StandardCharsets.UTF_8), mine.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anEndThatDoesNotMatchItsStartIsRefused() throws IOException {
        JsonOut g = new JsonOut(new ByteArrayOutputStream());
        assertThrows(IllegalStateException.class, g::writeEndObject, "nothing open");
        g.writeStartArray();
        assertThrows(IllegalStateException.class, g::writeEndObject, "an array ends with ]");
        g.writeEndArray();
        g.writeStartObject();
        assertThrows(IllegalStateException.class, g::writeEndArray, "an object ends with }");
    }

    @Test
    void isoInstantMatchesInstantToString() {
        long[] fixed = {0, 1, 999, 1000, 86_399_999, 951_782_400_000L /* 2000-02-29 */, 4_102_444_800_000L,
                -1, -86_400_001, 253_402_300_799_999L /* 9999-12-31T23:59:59.999 */, 253_402_300_800_000L};
        for (long ms : fixed) {
            assertEquals(Instant.ofEpochMilli(ms).toString(), JsonOut.isoInstant(ms), "at " + ms);
        }
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            long ms = r.nextLong(0, 4_102_444_800_000L); // 1970 .. 2100
            assertEquals(Instant.ofEpochMilli(ms).toString(), JsonOut.isoInstant(ms), "at " + ms);
        }
    }
}

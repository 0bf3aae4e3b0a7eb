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
            });
        }
        assertEquals(jackson.toString(StandardCharsets.UTF_8), mine.toString(StandardCharsets.UTF_8));
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

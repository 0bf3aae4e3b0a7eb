package io.energy.report.jfr;

import jdk.jfr.EventType;
import jdk.jfr.ValueDescriptor;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedObject;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.energy.report.jfr.JfrChunkWriter.annotation;
import static io.energy.report.jfr.JfrChunkWriter.arrayAnnotation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The chunk writer's encodings, each read back by the JDK's own parser: compressed longs and ints at every
 * byte-count boundary and past them (negative values take all nine bytes), booleans, null, empty and long
 * strings (the buffer grows), events whose size field crosses one byte, pooled and inline structs, and the
 * annotations of types and fields. The writer also refuses values that do not match the metadata.
 */
class JfrChunkWriterTest {
    private static final long START_NANOS = 1_712_345_678_901_234_567L;

    @TempDir
    Path dir;

    /** A writer with one test event type: every kind of field, a pooled struct and an inline struct array. */
    private static final class Model {
        final JfrChunkWriter w = new JfrChunkWriter();
        final JfrChunkWriter.Type label = w.annotationType("jdk.jfr.Label", false);
        final JfrChunkWriter.Type category = w.annotationType("jdk.jfr.Category", true);
        final JfrChunkWriter.Type timestamp = w.annotationType("jdk.jfr.Timestamp", false);
        final JfrChunkWriter.Type timespan = w.annotationType("jdk.jfr.Timespan", false);
        final JfrChunkWriter.Type item = w.type("test.Item", null, true)
                .field("name", w.tString).field("weight", w.tLong).build();
        final JfrChunkWriter.Type part = w.type("test.Part", null, false)
                .field("id", w.tInt).field("item", item).build();
        final JfrChunkWriter.Type values = w.type("test.Values", "jdk.jfr.Event", false)
                .annotate(annotation(label, "Test Values"), arrayAnnotation(category, "Energy", "Tests"))
                .field("startTime", w.tLong, annotation(label, "Start Time"), annotation(timestamp, "TICKS"))
                .field("duration", w.tLong, annotation(label, "Duration"), annotation(timespan, "TICKS"))
                .field("aLong", w.tLong, annotation(label, "A Long"))
                .field("anInt", w.tInt, annotation(label, "An Int"))
                .field("flag", w.tBoolean)
                .field("text", w.tString)
                .field("aDouble", w.tDouble)
                .field("parts", part, true)
                .field("after", w.tInt)
                .field("item", item).build();

        long item(String name, long weight) {
            return w.pooled(item, name, v -> v.putString(name).putLong(weight));
        }

        /** One event; {@code parts} are item names, pooled by name. */
        void event(long tick, long aLong, int anInt, boolean flag, String text, double aDouble, List<String> parts,
                   int after, String itemName) {
            List<Long> refs = new ArrayList<>();
            for (String p : parts) {
                refs.add(item(p, p.length() * 1_000_003L));
            }
            long ref = item(itemName, itemName.length() * 1_000_003L);
            w.event(values, v -> v.putLong(tick).putLong(7).putLong(aLong).putInt(anInt).putBoolean(flag)
                    .putString(text).putDouble(aDouble)
                    .putStructArray(part, refs, (f, r) -> f.putInt((int) (r * 1_000_033L)).putRef(item, r))
                    .putInt(after).putRef(item, ref));
        }

        Path write(Path file) throws Exception {
            try (OutputStream out = Files.newOutputStream(file)) {
                w.writeTo(out, START_NANOS, 987_654_321L);
            }
            return file;
        }
    }

    private static List<RecordedEvent> read(Path file) throws Exception {
        List<RecordedEvent> out = JfrTestSupport.events(file, "test.Values");
        out.sort((a, b) -> a.getStartTime().compareTo(b.getStartTime()));
        return out;
    }

    @Test
    void longsAndIntsReadBackExactlyAtEveryCompressedByteBoundaryAndWhenNegative() throws Exception {
        long[] longs = {0, 1, 127, 128, 16_383, 16_384, (1L << 21) - 1, 1L << 21, (1L << 28) - 1, 1L << 28,
            (1L << 35) + 12_345, (1L << 42) - 3, (1L << 49) + 7, (1L << 56) - 1, 1L << 56, (1L << 63) - 1,
            0x7FED_CBA9_8765_4321L, -1, -2, -128, Long.MIN_VALUE, -123_456_789_012_345L};
        int[] ints = {0, 1, 127, 128, 16_383, 16_384, 0x0ABC_DEF1, Integer.MAX_VALUE, -1, -2, Integer.MIN_VALUE,
            0x8000_1234, 0xFFFF_FF80, -16_385};
        Model m = new Model();
        int n = Math.max(longs.length, ints.length);
        for (int i = 0; i < n; i++) {
            m.event(i, longs[i % longs.length], ints[i % ints.length], false, "", 0, List.of(), 0, "x");
        }
        List<RecordedEvent> events = read(m.write(dir.resolve("numbers.jfr")));
        assertEquals(n, events.size());
        for (int i = 0; i < n; i++) {
            assertEquals(longs[i % longs.length], events.get(i).getLong("aLong"), "long #" + i);
            assertEquals(ints[i % ints.length], events.get(i).getInt("anInt"), "int #" + i);
        }
    }

    @Test
    void booleansDoublesAndStringsReadBackIncludingNullEmptyNonAsciiAndLongerThanTheBuffer() throws Exception {
        String longText = "energy ".repeat(300) + "é€";
        String[] texts = {null, "", "a", "π ≈ 3.14159 é€ 日本", longText, "x".repeat(127), "y".repeat(128)};
        double[] doubles = {0.0, -0.0, 1.234_567_890_123, -9.87e-300, Double.MAX_VALUE, Double.NaN,
            Double.NEGATIVE_INFINITY};
        Model m = new Model();
        for (int i = 0; i < texts.length; i++) {
            m.event(i, i, i, i % 2 == 1, texts[i], doubles[i], List.of(), -i, "x");
        }
        List<RecordedEvent> events = read(m.write(dir.resolve("text.jfr")));
        assertEquals(texts.length, events.size());
        for (int i = 0; i < texts.length; i++) {
            RecordedEvent e = events.get(i);
            assertEquals(texts[i], e.getString("text"), "text #" + i);
            assertEquals(i % 2 == 1, e.getBoolean("flag"), "flag #" + i);
            assertEquals(Double.doubleToRawLongBits(doubles[i]), Double.doubleToRawLongBits(e.getDouble("aDouble")));
            assertEquals(-i, e.getInt("after"), "the field after the array #" + i);
        }
        assertNull(events.get(0).getString("text"));
    }

    @Test
    void eventsOfEverySizeFromOneToThreeSizeBytesAreReadInOrder() throws Exception {
        // Event sizes run through 127/128 and 16383/16384 bytes: the size prefix, its own length included.
        Model m = new Model();
        List<Integer> lengths = new ArrayList<>();
        for (int len = 60; len < 200; len++) {
            lengths.add(len);
        }
        for (int len = 16_250; len < 16_400; len += 3) {
            lengths.add(len);
        }
        for (int i = 0; i < lengths.size(); i++) {
            m.event(i, -i, i, true, "z".repeat(lengths.get(i)), i, List.of(), i, "x");
        }
        List<RecordedEvent> events = read(m.write(dir.resolve("sizes.jfr")));
        assertEquals(lengths.size(), events.size());
        for (int i = 0; i < lengths.size(); i++) {
            assertEquals(lengths.get(i), events.get(i).getString("text").length(), "event #" + i);
            assertEquals(-i, events.get(i).getLong("aLong"));
            assertEquals(i, events.get(i).getInt("after"));
        }
    }

    @Test
    void pooledStructsAreWrittenOnceAndEveryReferenceReadsTheirValues() throws Exception {
        Model m = new Model();
        m.event(1, 1, 1, false, "t", 0, List.of("alpha", "beta"), 11, "alpha");
        m.event(2, 2, 2, false, "t", 0, List.of("beta", "gamma", "alpha"), 22, "gamma");
        m.event(3, 3, 3, false, "t", 0, List.of(), 33, "beta");
        assertEquals(1, m.item("alpha", 0), "pool keys count from 1 in first-use order");
        assertEquals(2, m.item("beta", 0));
        assertEquals(3, m.item("gamma", 0));
        assertEquals(4, m.item("delta", 4), "a new key");
        List<RecordedEvent> events = read(m.write(dir.resolve("pools.jfr")));
        assertEquals(3, events.size());
        assertEquals(List.of("alpha:5000015 #1", "beta:4000012 #2"), parts(events.get(0)));
        assertEquals(List.of("beta:4000012 #2", "gamma:5000015 #3", "alpha:5000015 #1"), parts(events.get(1)));
        assertEquals(List.of(), parts(events.get(2)));
        String[] items = {"alpha", "gamma", "beta"};
        int[] after = {11, 22, 33};
        for (int i = 0; i < 3; i++) {
            RecordedObject item = events.get(i).getValue("item");
            assertEquals(items[i], item.getString("name"));
            assertEquals(items[i].length() * 1_000_003L, item.getLong("weight"));
            assertEquals(after[i], events.get(i).getInt("after"));
        }
    }

    /** The parts as name:weight #id, the id being the pool key times 1000033 as the test wrote it. */
    private static List<String> parts(RecordedEvent e) {
        List<String> out = new ArrayList<>();
        Object[] parts = e.getValue("parts"); // the JDK's parser gives arrays as Object[]
        for (Object o : parts) {
            RecordedObject p = (RecordedObject) o;
            RecordedObject item = p.getValue("item");
            out.add(item.getString("name") + ":" + item.getLong("weight") + " #" + p.getInt("id") / 1_000_033);
        }
        return out;
    }

    @Test
    void theHeaderTimesAndEventTicksGiveEachEventItsWallClockTime() throws Exception {
        Model m = new Model();
        m.event(123_456_789L, 0, 0, false, "", 0, List.of(), 0, "x");
        RecordedEvent e = read(m.write(dir.resolve("time.jfr"))).get(0);
        Instant start = Instant.ofEpochSecond(0, START_NANOS);
        assertEquals(start.plusNanos(123_456_789L), e.getStartTime());
        assertEquals(Duration.ofNanos(7), e.getDuration());
    }

    @Test
    void typeAndFieldAnnotationsReachTheJdkParserArrayValuesAsSeveralValues() throws Exception {
        Model m = new Model();
        m.event(1, 0, 0, false, "", 0, List.of(), 0, "x");
        EventType type;
        try (RecordingFile rf = new RecordingFile(m.write(dir.resolve("meta.jfr")))) {
            type = rf.readEventTypes().stream().filter(t -> t.getName().equals("test.Values")).findFirst()
                    .orElseThrow();
        }
        assertEquals("Test Values", type.getLabel());
        assertEquals(List.of("Energy", "Tests"), type.getCategoryNames());
        ValueDescriptor aLong = type.getField("aLong");
        assertEquals("A Long", aLong.getLabel());
        assertEquals("long", aLong.getTypeName());
        assertEquals("An Int", type.getField("anInt").getLabel());
        assertEquals("int", type.getField("anInt").getTypeName());
        assertNull(type.getField("flag").getLabel());
        assertEquals("test.Part", type.getField("parts").getTypeName());
        assertEquals(true, type.getField("parts").isArray());
        assertEquals("test.Item", type.getField("item").getTypeName());
    }

    @Test
    void anEventOrPooledValueOrArrayElementMissingAFieldIsRefused() {
        Model m = new Model();
        IllegalStateException event = assertThrows(IllegalStateException.class,
                () -> m.w.event(m.values, v -> v.putLong(0).putLong(0)));
        assertEquals("test.Values: 2 of 10 fields written", event.getMessage());
        IllegalStateException pooled = assertThrows(IllegalStateException.class,
                () -> m.w.pooled(m.item, "half", v -> v.putString("half")));
        assertEquals("test.Item: 1 of 2 fields written", pooled.getMessage());
        IllegalStateException element = assertThrows(IllegalStateException.class,
                () -> m.w.event(m.values, v -> v.putLong(0).putLong(0).putLong(0).putInt(0).putBoolean(false)
                        .putString("").putDouble(0).putStructArray(m.part, List.of(1), (f, x) -> f.putInt(x))));
        assertEquals("test.Part: 1 of 2 fields written", element.getMessage());
    }

    @Test
    void aValueOfTheWrongTypeOrShapeOrOneTooManyIsRefusedNamingTheField() {
        Model m = new Model();
        IllegalStateException wrongType = assertThrows(IllegalStateException.class,
                () -> m.w.event(m.values, v -> v.putLong(0).putLong(0).putInt(0)));
        assertEquals("test.Values.aLong is long, not int", wrongType.getMessage());
        IllegalStateException notArray = assertThrows(IllegalStateException.class,
                () -> m.w.event(m.values, v -> v.putLong(0).putLong(0).putLong(0).putInt(0).putBoolean(false)
                        .putString("").putDouble(0).putRef(m.part, 1)));
        assertEquals("test.Values.parts is test.Part[], not test.Part", notArray.getMessage());
        IllegalStateException tooMany = assertThrows(IllegalStateException.class,
                () -> m.w.pooled(m.item, "three", v -> v.putString("a").putLong(1).putLong(2)));
        assertEquals("test.Item: more values than fields", tooMany.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.w.pooled(m.part, "p", v -> v.putInt(1)));
    }
}

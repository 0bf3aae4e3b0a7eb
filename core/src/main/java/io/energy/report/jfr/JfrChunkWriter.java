package io.energy.report.jfr;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Writes one self-contained JFR chunk (file format 2.0) whose events are made up after the fact: the
 * aggregated {@code energy.jfr}, where each call path becomes one event carrying that path as its
 * stack trace. The JDK's own API cannot do this (a {@code jdk.jfr.Event} always records the committing
 * thread's real stack), so the chunk is written here.
 *
 * <p>Why not JMC's {@code flightrecorder.writer} 9.1.1: its built-in JDK types put stack frames in a
 * constant pool, which the JDK's parser ({@code jfr print}, {@code RecordingFile}) cannot read (a
 * ClassCastException on every stack trace), and it writes annotation values as one {@code value}
 * attribute, while both JMC and the JDK read array values ({@code @Category}) from {@code value-0},
 * {@code value-1}…: every event would lose its category and the Event Browser would have no "Energy"
 * folder. The format needed here is small, and both parsers check it in the tests.
 *
 * <p>Layout: header, events, one checkpoint (all constant pools), metadata. Integers are LEB128
 * ("compressed"), doubles raw big-endian, strings UTF-8 with an encoding byte. One tick is one
 * nanosecond and tick 0 is the chunk's start.
 */
final class JfrChunkWriter {
    private static final int HEADER_SIZE = 68;
    private static final long METADATA_TYPE_ID = 0;
    private static final long CHECKPOINT_TYPE_ID = 1;

    /** A type of the recording's metadata: a primitive, an annotation, a struct or an event type. */
    static final class Type {
        final long id;
        final String name;
        final String superType;
        final boolean pooled;
        final boolean simple;
        final List<Field> fields = new ArrayList<>();
        final List<Annotation> annotations = new ArrayList<>();
        final Map<Object, Long> poolKeys = new HashMap<>();
        final Map<Long, byte[]> pool = new LinkedHashMap<>();

        private Type(long id, String name, String superType, boolean pooled, boolean simple) {
            this.id = id;
            this.name = name;
            this.superType = superType;
            this.pooled = pooled;
            this.simple = simple;
        }
    }

    record Field(String name, Type type, boolean array, List<Annotation> annotations) {
    }

    /** One annotation; an array value is given as several values. */
    record Annotation(Type type, String[] values, boolean arrayValue) {
    }

    private final List<Type> types = new ArrayList<>();
    private final Buf events = new Buf();
    private long nextTypeId = 20; // below 20: reserved ids of the format (0 metadata, 1 checkpoint)

    final Type tBoolean = primitive("boolean");
    final Type tInt = primitive("int");
    final Type tLong = primitive("long");
    final Type tDouble = primitive("double");
    final Type tString = primitive("java.lang.String");

    private Type primitive(String name) {
        Type t = new Type(nextTypeId++, name, null, false, false);
        types.add(t);
        return t;
    }

    /** Starts a type; {@code superType} is {@code jdk.jfr.Event} for events. */
    TypeBuilder type(String name, String superType, boolean pooled) {
        return new TypeBuilder(name, superType, pooled, false);
    }

    /** A single-field type that readers unwrap to its one value (such as a frame type's description). */
    TypeBuilder simpleType(String name) {
        return new TypeBuilder(name, null, true, true);
    }

    Type annotationType(String name, boolean arrayValue) {
        TypeBuilder b = new TypeBuilder(name, "java.lang.annotation.Annotation", false, false);
        b.field("value", tString, arrayValue);
        return b.build();
    }

    final class TypeBuilder {
        private final Type type;

        private TypeBuilder(String name, String superType, boolean pooled, boolean simple) {
            type = new Type(nextTypeId++, name, superType, pooled, simple);
        }

        TypeBuilder field(String name, Type fieldType, Annotation... annotations) {
            type.fields.add(new Field(name, fieldType, false, List.of(annotations)));
            return this;
        }

        TypeBuilder field(String name, Type fieldType, boolean array, Annotation... annotations) {
            type.fields.add(new Field(name, fieldType, array, List.of(annotations)));
            return this;
        }

        TypeBuilder annotate(Annotation... annotations) {
            type.annotations.addAll(List.of(annotations));
            return this;
        }

        Type build() {
            if (type.simple && type.fields.size() != 1) {
                throw new IllegalStateException("a simple type has exactly one field: " + type.name);
            }
            types.add(type);
            return type;
        }
    }

    static Annotation annotation(Type type, String value) {
        return new Annotation(type, new String[]{value}, false);
    }

    static Annotation arrayAnnotation(Type type, String... values) {
        return new Annotation(type, values.clone(), true);
    }

    /**
     * The pool key of a value of a pooled type, written on first use: equal keys share one entry, as
     * the same method on many stack traces does.
     */
    long pooled(Type type, Object key, Consumer<Values> body) {
        if (!type.pooled) {
            throw new IllegalArgumentException(type.name + " has no constant pool");
        }
        Long id = type.poolKeys.get(key);
        if (id != null) {
            return id;
        }
        long made = type.pool.size() + 1L;
        Buf b = new Buf();
        Values v = new Values(type, b);
        body.accept(v);
        v.done();
        type.pool.put(made, b.toArray());
        type.poolKeys.put(key, made);
        return made;
    }

    /** Writes one event; the body puts every field in declaration order. */
    void event(Type type, Consumer<Values> body) {
        Buf b = new Buf();
        b.varLong(type.id);
        Values v = new Values(type, b);
        body.accept(v);
        v.done();
        events.sized(b);
    }

    /** Puts a type's fields in order, checking each against the metadata so a mismatch fails loudly. */
    final class Values {
        private final Type type;
        private final Buf out;
        private int index;

        private Values(Type type, Buf out) {
            this.type = type;
            this.out = out;
        }

        private Field next(Type expected, boolean array) {
            if (index >= type.fields.size()) {
                throw new IllegalStateException(type.name + ": more values than fields");
            }
            Field f = type.fields.get(index++);
            if (f.type() != expected || f.array() != array) {
                throw new IllegalStateException(type.name + "." + f.name() + " is " + f.type().name
                        + (f.array() ? "[]" : "") + ", not " + expected.name + (array ? "[]" : ""));
            }
            return f;
        }

        Values putLong(long v) {
            next(tLong, false);
            out.varLong(v);
            return this;
        }

        Values putInt(int v) {
            next(tInt, false);
            out.varLong(v & 0xFFFF_FFFFL);
            return this;
        }

        Values putDouble(double v) {
            next(tDouble, false);
            out.rawLong(Double.doubleToRawLongBits(v));
            return this;
        }

        Values putBoolean(boolean v) {
            next(tBoolean, false);
            out.byte1(v ? 1 : 0);
            return this;
        }

        Values putString(String v) {
            next(tString, false);
            out.string(v);
            return this;
        }

        /** A reference to an entry of a pooled type made with {@link #pooled}. */
        Values putRef(Type pooledType, long key) {
            next(pooledType, false);
            out.varLong(key);
            return this;
        }

        /** An array of structs written inline (not pooled), one body call per element. */
        <T> Values putStructArray(Type elementType, List<T> elements, java.util.function.BiConsumer<Values, T> body) {
            next(elementType, true);
            out.varLong(elements.size());
            for (T e : elements) {
                Values v = new Values(elementType, out);
                body.accept(v, e);
                v.done();
            }
            return this;
        }

        private void done() {
            if (index != type.fields.size()) {
                throw new IllegalStateException(type.name + ": " + index + " of " + type.fields.size() + " fields written");
            }
        }
    }

    /**
     * Writes the chunk.
     *
     * @param startEpochNanos wall-clock time of tick 0
     * @param durationNanos   length of the recording
     */
    void writeTo(OutputStream out, long startEpochNanos, long durationNanos) throws IOException {
        Buf file = new Buf();
        file.raw(new byte[HEADER_SIZE]);
        file.raw(events.toArray());
        long checkpointOffset = file.size();
        file.sized(checkpoint(durationNanos));
        long metadataOffset = file.size();
        file.sized(metadata(durationNanos));

        Buf h = new Buf();
        h.raw(new byte[]{'F', 'L', 'R', 0});
        h.rawShort(2);
        h.rawShort(0);
        h.rawLong(file.size());
        h.rawLong(checkpointOffset);
        h.rawLong(metadataOffset);
        h.rawLong(startEpochNanos);
        h.rawLong(durationNanos);
        h.rawLong(0); // start ticks
        h.rawLong(1_000_000_000L); // ticks per second
        h.rawInt(1); // compressed integers
        byte[] bytes = file.toArray();
        System.arraycopy(h.toArray(), 0, bytes, 0, HEADER_SIZE);
        out.write(bytes);
    }

    private Buf checkpoint(long durationNanos) {
        Buf b = new Buf();
        b.varLong(CHECKPOINT_TYPE_ID);
        b.varLong(0); // start ticks
        b.varLong(durationNanos);
        b.varLong(0); // delta to the previous checkpoint: none
        b.byte1(1); // a flush checkpoint: every pool is complete
        List<Type> pooled = new ArrayList<>();
        for (Type t : types) {
            if (!t.pool.isEmpty()) {
                pooled.add(t);
            }
        }
        b.varLong(pooled.size());
        for (Type t : pooled) {
            b.varLong(t.id);
            b.varLong(t.pool.size());
            for (Map.Entry<Long, byte[]> e : t.pool.entrySet()) {
                b.varLong(e.getKey());
                b.raw(e.getValue());
            }
        }
        return b;
    }

    private Buf metadata(long durationNanos) {
        Element root = new Element("root");
        Element meta = root.child("metadata");
        for (Type t : types) {
            Element c = meta.child("class").attr("name", t.name).attr("id", Long.toString(t.id));
            if (t.superType != null) {
                c.attr("superType", t.superType);
            }
            if (t.simple) {
                c.attr("simpleType", "true");
            }
            for (Field f : t.fields) {
                Element fe = c.child("field").attr("name", f.name()).attr("class", Long.toString(f.type().id));
                if (f.array()) {
                    fe.attr("dimension", "1");
                }
                if (f.type().pooled) {
                    fe.attr("constantPool", "true");
                }
                for (Annotation a : f.annotations()) {
                    annotationElement(fe, a);
                }
            }
            for (Annotation a : t.annotations) {
                annotationElement(c, a);
            }
        }
        root.child("region");

        Map<String, Integer> strings = new LinkedHashMap<>();
        root.collect(strings);
        Buf b = new Buf();
        b.varLong(METADATA_TYPE_ID);
        b.varLong(0); // start ticks
        b.varLong(durationNanos);
        b.varLong(1); // metadata id
        b.varLong(strings.size());
        for (String s : strings.keySet()) {
            b.string(s);
        }
        b.varLong(strings.get(root.name));
        root.write(b, strings);
        return b;
    }

    private static void annotationElement(Element parent, Annotation a) {
        Element e = parent.child("annotation").attr("class", Long.toString(a.type().id));
        if (a.arrayValue()) {
            for (int i = 0; i < a.values().length; i++) {
                e.attr("value-" + i, a.values()[i]);
            }
        } else {
            e.attr("value", a.values()[0]);
        }
    }

    /** A node of the metadata tree: a name, attributes, children; every string goes to the string table. */
    private static final class Element {
        final String name;
        final List<String[]> attributes = new ArrayList<>();
        final List<Element> children = new ArrayList<>();

        Element(String name) {
            this.name = name;
        }

        Element child(String childName) {
            Element e = new Element(childName);
            children.add(e);
            return e;
        }

        Element attr(String key, String value) {
            attributes.add(new String[]{key, value});
            return this;
        }

        void collect(Map<String, Integer> strings) {
            strings.putIfAbsent(name, strings.size());
            for (String[] a : attributes) {
                strings.putIfAbsent(a[0], strings.size());
                strings.putIfAbsent(a[1], strings.size());
            }
            for (Element c : children) {
                c.collect(strings);
            }
        }

        void write(Buf b, Map<String, Integer> strings) {
            b.varLong(attributes.size());
            for (String[] a : attributes) {
                b.varLong(strings.get(a[0]));
                b.varLong(strings.get(a[1]));
            }
            b.varLong(children.size());
            for (Element c : children) {
                b.varLong(strings.get(c.name));
                c.write(b, strings);
            }
        }
    }

    /** A growable byte buffer with JFR's encodings. */
    static final class Buf {
        private byte[] data = new byte[256];
        private int size;

        private void ensure(int more) {
            if (size + more > data.length) {
                data = Arrays.copyOf(data, Math.max(data.length * 2, size + more));
            }
        }

        int size() {
            return size;
        }

        byte[] toArray() {
            return Arrays.copyOf(data, size);
        }

        void byte1(int v) {
            ensure(1);
            data[size++] = (byte) v;
        }

        void raw(byte[] bytes) {
            ensure(bytes.length);
            System.arraycopy(bytes, 0, data, size, bytes.length);
            size += bytes.length;
        }

        void rawShort(int v) {
            byte1(v >>> 8);
            byte1(v);
        }

        void rawInt(int v) {
            for (int s = 24; s >= 0; s -= 8) {
                byte1(v >>> s);
            }
        }

        void rawLong(long v) {
            for (int s = 56; s >= 0; s -= 8) {
                byte1((int) (v >>> s));
            }
        }

        /** JFR's compressed long: 7 bits a byte, high bit set while more follow; a ninth byte carries 8 bits. */
        void varLong(long v) {
            for (int i = 0; i < 8; i++) {
                if ((v & ~0x7FL) == 0) {
                    byte1((int) v);
                    return;
                }
                byte1((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            byte1((int) v);
        }

        static int varLongSize(long v) {
            int n = 1;
            while ((v & ~0x7FL) != 0 && n < 9) {
                v >>>= 7;
                n++;
            }
            return n;
        }

        void string(String s) {
            if (s == null) {
                byte1(0);
            } else if (s.isEmpty()) {
                byte1(1);
            } else {
                byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
                byte1(3);
                varLong(utf8.length);
                raw(utf8);
            }
        }

        /** Appends {@code body} as one event: prefixed by its total size, the size field included. */
        void sized(Buf body) {
            int n = body.size;
            int total = n + 1;
            while (varLongSize(total) + n != total) {
                total++;
            }
            varLong(total);
            ensure(n);
            System.arraycopy(body.data, 0, data, size, n);
            size += n;
        }
    }
}

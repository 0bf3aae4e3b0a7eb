package io.energy.architecture;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The classes a compiled class refers to, read from its constant pool with nothing but the JDK: every
 * {@code CONSTANT_Class} entry, and every class named in a descriptor or generic signature. That is every
 * class the JVM could load on its behalf (fields, methods, casts, catch clauses, annotations, lambdas).
 */
final class ClassReferences {
    private static final Pattern IN_DESCRIPTOR = Pattern.compile("L([\\p{javaJavaIdentifierPart}/$]+)[;<]");

    private ClassReferences() {
    }

    /** Internal names ({@code java/lang/String}) referred to by the class file, itself excluded. */
    static Set<String> of(Path classFile) throws IOException {
        try (InputStream in = Files.newInputStream(classFile)) {
            return of(in);
        }
    }

    static Set<String> of(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        int[] classNameIndex = new int[count];
        List<Integer> classIndexes = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 7 -> {
                    classNameIndex[i] = in.readUnsignedShort();
                    classIndexes.add(classNameIndex[i]);
                }
                case 8, 16, 19, 20 -> in.readUnsignedShort();
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                case 5, 6 -> {
                    in.readLong();
                    i++;
                }
                default -> throw new IOException("unknown constant pool tag " + tag + " at " + i);
            }
        }
        in.readUnsignedShort(); // access flags
        String self = utf8[classNameIndex[in.readUnsignedShort()]];
        Set<String> out = new TreeSet<>();
        for (int index : classIndexes) {
            String name = utf8[index];
            if (name.startsWith("[")) {
                Matcher m = IN_DESCRIPTOR.matcher(name);
                while (m.find()) {
                    out.add(m.group(1));
                }
            } else {
                out.add(name);
            }
        }
        for (String s : utf8) {
            if (s != null && s.indexOf(';') > 0) {
                Matcher m = IN_DESCRIPTOR.matcher(s);
                while (m.find()) {
                    out.add(m.group(1));
                }
            }
        }
        out.remove(self);
        return out;
    }

    /** Every class file under {@code dir}. */
    static List<Path> classFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".class")).sorted().toList();
        }
    }

    /** {@code io/energy/power/rapl/RaplZone$1} → {@code io.energy.power.rapl}. */
    static String packageOf(String internalName) {
        int slash = internalName.lastIndexOf('/');
        return slash < 0 ? "" : internalName.substring(0, slash).replace('/', '.');
    }
}

package io.energy.config;

import java.util.regex.Pattern;

/**
 * One include/exclude pattern: {@code com.acme.**}, {@code com.acme.*Service}, {@code com.acme.Foo#bar},
 * {@code com.acme.Foo#get*}. {@code *} matches within one name segment, {@code **} across segments.
 * Matching works on names only, so no application class is ever loaded to decide.
 */
public final class MethodPattern {
    private static final Pattern CLASS_FORM = Pattern.compile("[\\p{L}\\p{N}_$*]+(\\.[\\p{L}\\p{N}_$*]+)*");
    private static final Pattern METHOD_FORM = Pattern.compile("[\\p{L}\\p{N}_$*<>]+");

    private final String text;
    private final Pattern classRegex;
    private final Pattern methodRegex; // null: every method

    private MethodPattern(String text, Pattern classRegex, Pattern methodRegex) {
        this.text = text;
        this.classRegex = classRegex;
        this.methodRegex = methodRegex;
    }

    public static MethodPattern parse(String key, String text) {
        String t = ConfigParser.printable(text.trim());
        String accepted = "accepted forms: com.acme.** (package and below), com.acme.* (classes in the package), "
                + "com.acme.Foo (all methods of a class), com.acme.Foo#bar or com.acme.Foo#get* (methods)";
        if (t.isEmpty()) {
            throw new ConfigException(key, "empty pattern in " + key + "; " + accepted);
        }
        int hash = t.indexOf('#');
        if (hash != t.lastIndexOf('#')) {
            throw new ConfigException(key, "pattern '" + t + "' in " + key + " has more than one '#'; " + accepted);
        }
        String cls = hash < 0 ? t : t.substring(0, hash);
        String method = hash < 0 ? null : t.substring(hash + 1);
        if (!CLASS_FORM.matcher(cls).matches() || cls.contains("***")) {
            throw new ConfigException(key, "pattern '" + t + "' in " + key + " is not a class pattern; " + accepted);
        }
        if (method != null && !METHOD_FORM.matcher(method).matches()) {
            throw new ConfigException(key, "pattern '" + t + "' in " + key + " has a bad method part '" + method + "'; "
                    + accepted);
        }
        return new MethodPattern(t, Pattern.compile(toRegex(cls, true)),
                method == null || method.equals("*") ? null : Pattern.compile(toRegex(method, false)));
    }

    private static String toRegex(String glob, boolean dotted) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    // "a.**" matches the package a and everything below it
                    if (dotted && sb.length() >= 2 && sb.toString().endsWith("\\.")) {
                        sb.setLength(sb.length() - 2);
                        sb.append("(\\..*)?");
                    } else {
                        sb.append(".*");
                    }
                    i++;
                } else {
                    sb.append(dotted ? "[^.]*" : ".*");
                }
            } else if (c == '.' || c == '$') {
                sb.append('\\').append(c);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** True when this pattern can match some method of the class (the class part matches). */
    public boolean matchesClass(String className) {
        return classRegex.matcher(className).matches();
    }

    public boolean matches(String className, String methodName) {
        return matchesClass(className) && (methodRegex == null || methodRegex.matcher(methodName).matches());
    }

    public boolean hasMethodPart() {
        return methodRegex != null;
    }

    /** True for patterns such as {@code **} or {@code *} that name no package at all. */
    public boolean matchesEverything() {
        return matchesClass("a") && matchesClass("x.y.Z") && methodRegex == null;
    }

    @Override
    public String toString() {
        return text;
    }
}

package io.energy.tools;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** A page template next to this class with its data embedded as JSON in a script element; nothing loads from the network. */
final class Html {
    static final String PLACEHOLDER = "__ENERGY_DATA__";

    private Html() {
    }

    static String page(String template, String json) throws IOException {
        String t;
        try (InputStream in = Html.class.getResourceAsStream(template)) {
            if (in == null) {
                throw new IOException("page template " + template + " missing from the tools jar");
            }
            t = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int at = t.indexOf(PLACEHOLDER);
        return t.substring(0, at) + embeddable(json) + t.substring(at + PLACEHOLDER.length());
    }

    /**
     * A method name may contain {@code </script>}: in JSON, {@code <}, {@code >} and {@code &} occur only
     * inside strings, where their {@code \u003c} escapes mean the same, so the HTML parser never sees markup.
     */
    static String embeddable(String json) {
        return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
    }
}

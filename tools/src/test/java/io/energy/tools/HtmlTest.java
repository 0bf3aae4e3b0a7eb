package io.energy.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HtmlTest {
    @Test
    void aMethodNameWithMarkupCannotEndTheDataElementAndReadsBackUnchanged() throws Exception {
        String hostile = "a.B</script><script>alert(1)</script><!--&";
        ObjectMapper json = new ObjectMapper();
        for (String template : new String[]{"energy-diff.html", "energy-compare.html"}) {
            String page = Html.page(template, json.writeValueAsString(Map.of("name", hostile)));
            assertFalse(page.contains("alert(1)</script>"), template);
            int start = page.indexOf("id=\"energy-data\">") + "id=\"energy-data\">".length();
            String embedded = page.substring(start, page.indexOf("</script>", start));
            assertEquals(hostile, json.readTree(embedded).get("name").asText(), template);
            assertTrue(page.contains("data-ready"), "the page signals when it has drawn: " + template);
        }
    }
}

package org.opentrunk.admin.web;

import java.util.Arrays;
import java.util.List;

/** Lists typed into one text field: addresses or prefixes separated by commas, spaces or lines. */
final class Lists {

    private Lists() {
    }

    static List<String> parse(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return Arrays.stream(text.split("[,;\\s]+")).filter(s -> !s.isEmpty()).toList();
    }

    static String format(List<String> values) {
        return values == null ? "" : String.join(", ", values);
    }
}

package org.opentrunk.core.text;

/** RFC 3261 §25.1 quoted-string: the text in double quotes, with {@code "} and {@code \} escaped. */
public final class QuotedString {

    private QuotedString() {
    }

    public static String of(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.append('"').toString();
    }
}

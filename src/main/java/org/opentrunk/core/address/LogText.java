package org.opentrunk.core.address;

/**
 * Peer input as it may appear in a log line, a CDR note or an error detail: quoted, shortened to
 * {@value #MAX_QUOTED_CHARS} characters, with control characters and anything outside printable
 * ASCII written as {@code \\uXXXX}, so that a hostile header value cannot forge log lines or
 * smuggle terminal escapes.
 */
public final class LogText {

    /** Longest stretch of input shown; the rest is replaced by {@code ...}. */
    public static final int MAX_QUOTED_CHARS = 80;

    private LogText() {
    }

    /** {@code text} in single quotes, escaped and shortened; {@code null} reads as {@code (missing)}. */
    public static String quote(String text) {
        if (text == null) {
            return "(missing)";
        }
        StringBuilder out = new StringBuilder("'");
        int limit = Math.min(text.length(), MAX_QUOTED_CHARS);
        for (int i = 0; i < limit; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '\\') {
                out.append(c);
            } else if (c == '\\') {
                out.append("\\\\");
            } else {
                out.append(String.format("\\u%04X", (int) c));
            }
        }
        if (text.length() > MAX_QUOTED_CHARS) {
            out.append("...");
        }
        return out.append('\'').toString();
    }
}

package org.opentrunk.core.text;

/**
 * Peer input as it may appear in a log line, an exception message or an API error: in single
 * quotes, printable ASCII as is, every other character as {@code U+XXXX}, cut after a given
 * number of characters. No input can forge a log line, smuggle terminal escapes or grow a message
 * without bound. The one implementation behind every package's quoting.
 */
public final class UntrustedText {

    private UntrustedText() {
    }

    /** {@code text} quoted and escaped, at most {@code maxChars} characters of it; null reads as (missing). */
    public static String quote(String text, int maxChars) {
        if (text == null) {
            return "(missing)";
        }
        StringBuilder out = new StringBuilder("'");
        int shown = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (shown == maxChars) {
                out.append("...");
                break;
            }
            out.append(isPrintableAscii(cp) ? Character.toString(cp) : String.format("U+%04X", cp));
            shown++;
            i += Character.charCount(cp);
        }
        return out.append('\'').toString();
    }

    public static boolean isPrintableAscii(int codePoint) {
        return codePoint >= 0x20 && codePoint < 0x7f;
    }
}

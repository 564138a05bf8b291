package org.opentrunk.core.numbering;

import org.opentrunk.core.text.UntrustedText;

/**
 * Quotes untrusted text (a Request-URI user, a caller name) for messages that end up in logs
 * and API answers: printable ASCII as is, anything else as {@code U+XXXX}, and long input cut, so
 * a message can neither break a log line nor grow without bound.
 */
final class Quoting {

    /** Longest stretch of input a message quotes. */
    static final int MAX_QUOTED_CHARS = 40;

    private Quoting() {
    }

    /** {@code text} in single quotes, escaped and shortened. */
    static String quote(String text) {
        return UntrustedText.quote(text, MAX_QUOTED_CHARS);
    }

    /** One character: itself when it is printable ASCII, else {@code U+XXXX}. */
    static String character(int codePoint) {
        return UntrustedText.isPrintableAscii(codePoint) ? Character.toString(codePoint) : codePointName(codePoint);
    }

    /**
     * One character for an operator to recognise: {@code 'A'}, or {@code 'é' (U+00E9)} for a visible
     * character outside ASCII, or {@code U+0009} alone for one that cannot be shown (controls,
     * invisible formatting, unassigned code points).
     */
    static String describe(int codePoint) {
        if (UntrustedText.isPrintableAscii(codePoint)) {
            return "'" + Character.toString(codePoint) + "'";
        }
        return isVisible(codePoint)
                ? "'" + Character.toString(codePoint) + "' (" + codePointName(codePoint) + ")"
                : codePointName(codePoint);
    }

    private static boolean isVisible(int codePoint) {
        switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                    Character.UNASSIGNED, Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR, Character.NON_SPACING_MARK,
                    Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK:
                return false;
            default:
                return true;
        }
    }

    private static String codePointName(int codePoint) {
        return String.format("U+%04X", codePoint);
    }
}

package org.opentrunk.core.address;

import org.opentrunk.core.text.QuotedString;

/**
 * Character classes shared by the parser and the records' own checks, so that everything the
 * parser accepts can be rendered and parsed again to the same value, and nothing a record accepts
 * can break the header it is rendered into (no CR/LF, no unbalanced quotes or angle brackets).
 */
final class Syntax {

    /** Characters never allowed unescaped in a parameter name, besides whitespace and controls. */
    private static final String NOT_IN_PARAMETER_NAME = ";=,\"<>\\?@";
    /** Characters never allowed in an unquoted parameter value, besides whitespace and controls. */
    private static final String NOT_IN_PARAMETER_VALUE = ";,\"<>\\";

    private Syntax() {
    }

    /** C0 controls, DEL and C1 controls. */
    static boolean isControl(int c) {
        return c < 0x20 || c >= 0x7f && c <= 0x9f;
    }

    /** SIP linear whitespace; CR and LF only as left over from a folded line (RFC 3261 section 7.3.1). */
    static boolean isWhitespace(int c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    static boolean isPrintableAscii(int c) {
        return c > 0x20 && c < 0x7f;
    }

    static boolean isParameterNameChar(int c) {
        return isPrintableAscii(c) && NOT_IN_PARAMETER_NAME.indexOf(c) < 0;
    }

    /** A character of an unquoted parameter value; URI parameters also exclude {@code ?}. */
    static boolean isParameterValueChar(int c, boolean inUri) {
        return isPrintableAscii(c) && NOT_IN_PARAMETER_VALUE.indexOf(c) < 0 && !(inUri && c == '?');
    }

    static boolean isParameterName(String s) {
        return !s.isEmpty() && s.chars().allMatch(Syntax::isParameterNameChar);
    }

    /** An unquoted value, or (outside URIs) a complete quoted string. */
    static boolean isParameterValue(String s, boolean inUri) {
        if (s.isEmpty()) {
            return false;
        }
        if (!inUri && s.charAt(0) == '"') {
            return isQuotedString(s);
        }
        return s.chars().allMatch(c -> isParameterValueChar(c, inUri));
    }

    /** {@code "..."} with backslash escapes, no controls but tab, nothing after the closing quote. */
    static boolean isQuotedString(String s) {
        if (s.length() < 2 || s.charAt(0) != '"') {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
                if (i >= s.length() || isControl(s.charAt(i)) && s.charAt(i) != '\t') {
                    return false;
                }
            } else if (c == '"') {
                return i == s.length() - 1;
            } else if (isControl(c) && c != '\t') {
                return false;
            }
        }
        return false;
    }

    /** The content of a quoted string, escapes resolved. */
    static String unquote(String quoted) {
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < quoted.length() - 1; i++) {
            char c = quoted.charAt(i);
            if (c == '\\' && i + 1 < quoted.length() - 1) {
                c = quoted.charAt(++i);
            }
            out.append(c);
        }
        return out.toString();
    }

    /** {@code text} as a quoted string: {@code "} and {@code \} escaped. */
    static String quote(String text) {
        return QuotedString.of(text);
    }

    /** A host name or IPv4 address (letters, digits, {@code . - _}), or a bracketed IPv6 reference. */
    static boolean isHost(String s) {
        if (s.isEmpty()) {
            return false;
        }
        if (s.charAt(0) == '[') {
            return s.length() > 2 && s.charAt(s.length() - 1) == ']'
                    && s.substring(1, s.length() - 1).chars().allMatch(Syntax::isIpv6Char);
        }
        return s.chars().allMatch(Syntax::isHostChar);
    }

    static boolean isHostChar(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '.' || c == '-' || c == '_';
    }

    private static boolean isIpv6Char(int c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.';
    }

    /** URI headers ({@code ?name=value&...}, without the {@code ?}): printable ASCII, none of {@code ; , " < > \}. */
    static boolean isUriHeaders(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> isPrintableAscii(c) && ";,\"<>\\".indexOf(c) < 0);
    }

    /** True when {@code s} has no control characters (tab included) and no half surrogate pairs. */
    static boolean isCleanText(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (isControl(c)) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** The index of a half surrogate pair in {@code s}, or -1. */
    static int loneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return i;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }
}

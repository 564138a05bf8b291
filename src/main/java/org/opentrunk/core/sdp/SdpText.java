package org.opentrunk.core.sdp;

import org.opentrunk.core.text.UntrustedText;

/**
 * Makes untrusted SDP text safe to show: in exception messages and logs ({@link #quote}) and in
 * a SIP {@code Warning} header's quoted string ({@link #name}), so that no input can break a log
 * line, a header, or grow a message without bound.
 */
final class SdpText {

    /** Longest stretch of input an exception message quotes. */
    static final int MAX_QUOTED_CHARS = 40;

    /** Longest codec or media name shown in a result or a warning text. */
    static final int MAX_NAME_CHARS = 32;

    private SdpText() {
    }

    /** {@code text} in single quotes: printable ASCII as is, anything else as {@code U+XXXX}, cut after {@value #MAX_QUOTED_CHARS} characters. */
    static String quote(String text) {
        return UntrustedText.quote(text, MAX_QUOTED_CHARS);
    }

    /**
     * A codec or media name as it may appear in a result list or inside a SIP {@code Warning}
     * text: letters, digits and {@code . / + - _} kept, anything else (quotes, backslashes,
     * controls, non-ASCII) shown as {@code ?}, cut after {@value #MAX_NAME_CHARS} characters.
     */
    static String name(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            if (out.length() == MAX_NAME_CHARS) {
                out.append("...");
                break;
            }
            char c = text.charAt(i);
            boolean safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '/' || c == '+' || c == '-' || c == '_';
            out.append(safe ? c : '?');
        }
        return out.toString();
    }

    /** RFC 4566 {@code token-char}: visible ASCII except the separators {@code "(),/:;<=>?@[\]}. */
    static boolean isTokenChar(char c) {
        return c == 0x21 || (c >= 0x23 && c <= 0x27) || c == 0x2a || c == 0x2b || c == 0x2d || c == 0x2e
                || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x5e && c <= 0x7e);
    }

    /** True when {@code s} is a non-empty RFC 4566 token. */
    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** True when {@code s} is non-empty and all ASCII digits. */
    static boolean isDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    /**
     * The fields of an SDP value separated by runs of spaces or tabs, as {@code [start, end)}
     * offsets into {@code value}: SDP separates fields by one space, senders sometimes by more.
     */
    static int[][] fieldSpans(String value) {
        int count = 0;
        for (int i = 0; i < value.length(); i++) {
            if (!isBlank(value.charAt(i)) && (i == 0 || isBlank(value.charAt(i - 1)))) {
                count++;
            }
        }
        int[][] spans = new int[count][];
        int n = 0;
        int i = 0;
        while (i < value.length()) {
            while (i < value.length() && isBlank(value.charAt(i))) {
                i++;
            }
            if (i == value.length()) {
                break;
            }
            int start = i;
            while (i < value.length() && !isBlank(value.charAt(i))) {
                i++;
            }
            spans[n++] = new int[] {start, i};
        }
        return spans;
    }

    /** The fields of {@code value}, as {@link #fieldSpans}. */
    static String[] fields(String value) {
        int[][] spans = fieldSpans(value);
        String[] fields = new String[spans.length];
        for (int i = 0; i < spans.length; i++) {
            fields[i] = value.substring(spans[i][0], spans[i][1]);
        }
        return fields;
    }
}

package org.opentrunk.core.cdr;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one-line text form of a {@link CallRecord}, as the CDR journal stores it: a flat JSON object
 * with a fixed key order, written and read here with the JDK alone (core has no JSON library).
 *
 * <pre>{"v":1,"id":"…","direction":"outbound","customerCallId":"…","carrierCallId":null,
 * "customerId":7,"carrierId":null,"caller":"+12065550100","callee":"+12066418000",
 * "startMs":1735689600000,"answerMs":null,"endMs":1735689601000,"sipStatus":486,
 * "cause":"rejected","xTag":null,"codec":null,"fax":false,"route":null}</pre>
 * (one line, no spaces). The form is stable: {@code v} names it, and a reader of version 1 reads
 * every line a version-1 writer wrote.
 *
 * <ul>
 *   <li>Every key above is always written; absent values are {@code null}. Keys added since
 *   ({@code dtmfCount}, {@code dtmfDigits}, {@code emergency}) are written only when they hold
 *   something, and a line without them reads as 0, null and false.</li>
 *   <li>The output is printable ASCII only: {@code "} and {@code \} are escaped with a backslash,
 *   every other character outside U+0020..U+007E as {@code \}{@code uXXXX}. So a line never holds
 *   a line break or a tab, its bytes are the same in every charset, and any Java string, unpaired
 *   surrogates included, reads back exactly.</li>
 *   <li>Reading is strict about syntax (one object, string, integer, boolean and null values,
 *   nothing after the object; a line cut anywhere fails) and lenient about content: keys it does
 *   not know are skipped, optional keys may be missing.</li>
 * </ul>
 */
public final class CallRecordLine {

    /** The form's version, the {@code v} key. */
    public static final int VERSION = 1;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private CallRecordLine() {
    }

    /** The record as one line, without a line terminator. */
    public static String format(CallRecord r) {
        StringBuilder out = new StringBuilder(512);
        out.append("{\"v\":").append(VERSION);
        text(out, "id", r.recordId());
        text(out, "direction", r.direction().text());
        text(out, "customerCallId", r.customerCallId());
        text(out, "carrierCallId", r.carrierCallId());
        number(out, "customerId", r.customerId());
        number(out, "carrierId", r.carrierId());
        text(out, "caller", r.caller());
        text(out, "callee", r.callee());
        number(out, "startMs", r.startMs());
        number(out, "answerMs", r.answerMs());
        number(out, "endMs", r.endMs());
        number(out, "sipStatus", (long) r.sipStatus());
        text(out, "cause", r.disconnectCause().text());
        text(out, "xTag", r.xTag());
        text(out, "codec", r.codec());
        out.append(",\"fax\":").append(r.fax());
        text(out, "route", r.route());
        // added after the first release: written only when there is something, so that records
        // without DTMF keep the released form (older readers skip unknown keys anyway)
        if (r.dtmfCount() != 0) {
            number(out, "dtmfCount", (long) r.dtmfCount());
        }
        if (r.dtmfDigits() != null) {
            text(out, "dtmfDigits", r.dtmfDigits());
        }
        // IC-EMERGENCY, added the same way: only emergency calls carry the key, and a line without
        // it (every line journalled before it existed) reads as not an emergency call
        if (r.emergency()) {
            out.append(",\"emergency\":true");
        }
        return out.append('}').toString();
    }

    /**
     * The record a line holds.
     *
     * @throws MalformedCallRecordException when the line is not in this form (cut short, damaged,
     *                                      another version) or its values make no record
     */
    public static CallRecord parse(String line) {
        Map<String, Object> fields = new Parser(line).object();
        Object version = fields.get("v");
        if (!Long.valueOf(VERSION).equals(version)) {
            throw new MalformedCallRecordException("not a version " + VERSION + " record (v is " + version + ")");
        }
        try {
            return new CallRecord(
                    required(fields, "id", String.class),
                    CallDirection.fromText(required(fields, "direction", String.class)),
                    optional(fields, "customerCallId", String.class),
                    optional(fields, "carrierCallId", String.class),
                    optional(fields, "customerId", Long.class),
                    optional(fields, "carrierId", Long.class),
                    optional(fields, "caller", String.class),
                    optional(fields, "callee", String.class),
                    required(fields, "startMs", Long.class),
                    optional(fields, "answerMs", Long.class),
                    required(fields, "endMs", Long.class),
                    Math.toIntExact(required(fields, "sipStatus", Long.class)),
                    DisconnectCause.fromText(required(fields, "cause", String.class)),
                    optional(fields, "xTag", String.class),
                    optional(fields, "codec", String.class),
                    required(fields, "fax", Boolean.class),
                    optional(fields, "route", String.class),
                    Math.toIntExact(Optional.ofNullable(optional(fields, "dtmfCount", Long.class)).orElse(0L)),
                    optional(fields, "dtmfDigits", String.class),
                    Boolean.TRUE.equals(optional(fields, "emergency", Boolean.class)));
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new MalformedCallRecordException("not a valid record: " + e.getMessage());
        }
    }

    /** {@code value} as a JSON string literal in this form's escaping (quotes included). */
    static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2);
        appendQuoted(out, value);
        return out.toString();
    }

    /** The string a JSON string literal stands for; the inverse of {@link #quote}. */
    static String unquote(String literal) {
        Parser parser = new Parser(literal);
        String value = parser.string();
        parser.end();
        return value;
    }

    private static void text(StringBuilder out, String key, String value) {
        out.append(",\"").append(key).append("\":");
        if (value == null) {
            out.append("null");
        } else {
            appendQuoted(out, value);
        }
    }

    private static void number(StringBuilder out, String key, Long value) {
        out.append(",\"").append(key).append("\":").append(value == null ? "null" : value.toString());
    }

    private static void appendQuoted(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7f) {
                out.append(c);
            } else {
                out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf])
                        .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
            }
        }
        out.append('"');
    }

    private static <T> T required(Map<String, Object> fields, String key, Class<T> type) {
        T value = optional(fields, key, type);
        if (value == null) {
            throw new MalformedCallRecordException("\"" + key + "\" is missing");
        }
        return value;
    }

    private static <T> T optional(Map<String, Object> fields, String key, Class<T> type) {
        Object value = fields.get(key);
        if (value != null && !type.isInstance(value)) {
            throw new MalformedCallRecordException("\"" + key + "\" is not a " + type.getSimpleName().toLowerCase());
        }
        return type.cast(value);
    }

    /** Reads one flat JSON object: string, integer, boolean and null values only. */
    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            if (s == null) {
                throw new MalformedCallRecordException("no line");
            }
            this.s = s;
        }

        Map<String, Object> object() {
            Map<String, Object> fields = new HashMap<>();
            space();
            expect('{');
            space();
            if (peek() == '}') {
                i++;
            } else {
                while (true) {
                    space();
                    String key = string();
                    space();
                    expect(':');
                    space();
                    Object value = value();
                    if (fields.containsKey(key)) {
                        throw malformed("key \"" + key + "\" repeated");
                    }
                    fields.put(key, value);
                    space();
                    char c = next();
                    if (c == '}') {
                        break;
                    }
                    if (c != ',') {
                        throw malformed("expected , or }");
                    }
                }
            }
            space();
            end();
            return fields;
        }

        void end() {
            if (i != s.length()) {
                throw malformed("unexpected text");
            }
        }

        private Object value() {
            char c = peek();
            switch (c) {
                case '"':
                    return string();
                case 't':
                    literal("true");
                    return Boolean.TRUE;
                case 'f':
                    literal("false");
                    return Boolean.FALSE;
                case 'n':
                    literal("null");
                    return null;
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        return integer();
                    }
                    throw malformed("expected a value");
            }
        }

        String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return out.toString();
                }
                if (c < 0x20) {
                    throw malformed("control character in a string");
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> out.append(hex4());
                    default -> throw malformed("unknown escape");
                }
            }
        }

        private char hex4() {
            int value = 0;
            for (int k = 0; k < 4; k++) {
                int digit = Character.digit(next(), 16);
                if (digit < 0) {
                    throw malformed("bad \\u escape");
                }
                value = value << 4 | digit;
            }
            return (char) value;
        }

        private Long integer() {
            int start = i;
            if (peek() == '-') {
                i++;
            }
            int digits = i;
            while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            if (i == digits) {
                throw malformed("expected digits");
            }
            try {
                return Long.valueOf(s.substring(start, i));
            } catch (NumberFormatException e) {
                throw malformed("number out of range");
            }
        }

        private void literal(String word) {
            if (!s.startsWith(word, i)) {
                throw malformed("expected " + word);
            }
            i += word.length();
        }

        private void space() {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                i++;
            }
        }

        private void expect(char c) {
            if (next() != c) {
                throw malformed("expected " + c);
            }
        }

        private char peek() {
            if (i >= s.length()) {
                throw malformed("line ends early");
            }
            return s.charAt(i);
        }

        private char next() {
            char c = peek();
            i++;
            return c;
        }

        private MalformedCallRecordException malformed(String what) {
            return new MalformedCallRecordException(what + " at character " + i + " of " + s.length());
        }
    }
}

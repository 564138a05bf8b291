package org.opentrunk.core.cdr;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The journal line reader of the releases before CallRecordLine used JSON-P (as of commit c59b1fc),
 * kept unchanged but for its writer, which is left out: a server downgraded to such a release must
 * read the lines this version writes (CallRecordLineTest). Do not fix or modernise it.
 */
final class ReleasedCallRecordLineReader {

    /** The form's version, the {@code v} key. */
    public static final int VERSION = 1;

    private ReleasedCallRecordLineReader() {
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

        private void end() {
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

        private String string() {
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

package org.opentrunk.core.cdr;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.json.Json;
import javax.json.JsonException;
import javax.json.stream.JsonGenerator;
import javax.json.stream.JsonGeneratorFactory;
import javax.json.stream.JsonParser;
import javax.json.stream.JsonParserFactory;
import javax.json.stream.JsonParsingException;

/**
 * The one-line text form of a {@link CallRecord}, as the CDR journal stores it: a flat JSON object
 * with a fixed key order.
 *
 * <pre>{"v":1,"id":"…","direction":"outbound","customerCallId":"…","carrierCallId":null,
 * "customerId":7,"carrierId":null,"caller":"+12065550100","callee":"+12066418000",
 * "startMs":1735689600000,"answerMs":null,"endMs":1735689601000,"sipStatus":486,
 * "cause":"rejected","xTag":null,"codec":null,"fax":false,"route":null}</pre>
 * (one line, no spaces). The form is stable: {@code v} names it, and a reader of version 1 reads
 * every line a version-1 writer wrote, this one's and earlier releases' alike.
 *
 * <p>JSON-P (javax.json's streaming {@link JsonGenerator} and {@link JsonParser}; Liberty's jsonp-1.1
 * feature in the server, org.glassfish:javax.json in unit tests) does the JSON: escaping and
 * unescaping strings, tokens, number syntax, refusing text after the object and lines cut short.
 * This class keeps what is ours: the key order, the record's rules, and the printable-ASCII output.
 *
 * <ul>
 *   <li>Every key above is always written; absent values are {@code null}. Keys added since
 *   ({@code dtmfCount}, {@code dtmfDigits}, {@code emergency}, {@code attestation}, {@code verstat},
 *   {@code origid}) are written only when they hold
 *   something, and a line without them reads as 0, null and false.</li>
 *   <li>The output is printable ASCII only. JSON-P escapes {@code "}, {@code \} and the control
 *   characters (as {@code \t}, {@code \n} ... or {@code \}{@code u00XX}; releases before JSON-P
 *   wrote all of them as {@code \}{@code uXXXX}, which reads the same) and leaves other characters
 *   as they are; every character from U+007F up is then written as {@code \}{@code uXXXX}. So a
 *   line never holds a line break or a tab, its bytes are the same in every charset, and any Java
 *   string, unpaired surrogates included, reads back exactly.</li>
 *   <li>Reading is strict about syntax (one object, string, integer, boolean and null values, no
 *   key twice, nothing after the object; a line cut anywhere fails) and lenient about content: keys
 *   it does not know are skipped, optional keys may be missing.</li>
 * </ul>
 */
public final class CallRecordLine {

    /** The form's version, the {@code v} key. */
    public static final int VERSION = 1;

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    /** JSON integers as earlier releases wrote and read them: no fraction, no exponent. */
    private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]*)");
    private static final JsonGeneratorFactory GENERATORS = Json.createGeneratorFactory(Map.of());
    private static final JsonParserFactory PARSERS = Json.createParserFactory(Map.of());

    private CallRecordLine() {
    }

    /** The record as one line, without a line terminator. */
    public static String format(CallRecord r) {
        StringWriter json = new StringWriter(512);
        try (JsonGenerator out = GENERATORS.createGenerator(json)) {
            out.writeStartObject().write("v", VERSION);
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
            out.write("fax", r.fax());
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
                out.write("emergency", true);
            }
            // IC-STIR, added the same way: only calls with STIR/SHAKEN values carry the keys
            if (r.attestation() != null) {
                text(out, "attestation", r.attestation());
            }
            if (r.verstat() != null) {
                text(out, "verstat", r.verstat());
            }
            if (r.origid() != null) {
                text(out, "origid", r.origid());
            }
            out.writeEnd();
        }
        return asciiOnly(json.toString());
    }

    /**
     * The record a line holds.
     *
     * @throws MalformedCallRecordException when the line is not in this form (cut short, damaged,
     *                                      another version) or its values make no record
     */
    public static CallRecord parse(String line) {
        Map<String, Object> fields = fields(line);
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
                    Boolean.TRUE.equals(optional(fields, "emergency", Boolean.class)),
                    optional(fields, "attestation", String.class),
                    optional(fields, "verstat", String.class),
                    optional(fields, "origid", String.class));
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new MalformedCallRecordException("not a valid record: " + e.getMessage());
        }
    }

    /** The flat object's keys and values: strings, Longs, Booleans and nulls. */
    private static Map<String, Object> fields(String line) {
        if (line == null) {
            throw new MalformedCallRecordException("no line");
        }
        Map<String, Object> fields = new HashMap<>();
        try (JsonParser in = PARSERS.createParser(new StringReader(line))) {
            if (in.next() != JsonParser.Event.START_OBJECT) {
                throw new MalformedCallRecordException("not a JSON object");
            }
            for (JsonParser.Event event = in.next(); event != JsonParser.Event.END_OBJECT; event = in.next()) {
                String key = in.getString(); // the parser allows nothing but a key here
                Object value = value(in, in.next());
                if (fields.containsKey(key)) {
                    throw new MalformedCallRecordException("a key is repeated (" + fields.size() + " keys read)");
                }
                fields.put(key, value);
            }
            if (in.hasNext()) {
                throw new MalformedCallRecordException("text after the object");
            }
        } catch (JsonParsingException e) {
            throw new MalformedCallRecordException("not JSON at character " + (e.getLocation().getStreamOffset() + 1)
                    + " of " + line.length());
        } catch (JsonException | NoSuchElementException | IllegalStateException e) {
            throw new MalformedCallRecordException("not JSON (line of " + line.length() + " characters)");
        }
        return fields;
    }

    private static Object value(JsonParser in, JsonParser.Event event) {
        switch (event) {
            case VALUE_STRING:
                return in.getString();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            case VALUE_NUMBER:
                String number = in.getString();
                if (!INTEGER.matcher(number).matches()) {
                    throw new MalformedCallRecordException("a number is not an integer");
                }
                try {
                    return Long.valueOf(number);
                } catch (NumberFormatException e) {
                    throw new MalformedCallRecordException("number out of range");
                }
            default:
                throw new MalformedCallRecordException("an object or array inside the line");
        }
    }

    private static void text(JsonGenerator out, String key, String value) {
        if (value == null) {
            out.writeNull(key);
        } else {
            out.write(key, value);
        }
    }

    private static void number(JsonGenerator out, String key, Long value) {
        if (value == null) {
            out.writeNull(key);
        } else {
            out.write(key, value.longValue());
        }
    }

    /**
     * {@code json} with every character from U+007F up as a {@code \}{@code uXXXX} escape. Such
     * characters can only stand inside strings (keys and syntax are ASCII), where the escape means
     * the same character.
     */
    private static String asciiOnly(String json) {
        StringBuilder out = null;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c < 0x7f) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(json.length() + 32).append(json, 0, i);
            }
            out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf])
                    .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
        }
        return out == null ? json : out.toString();
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
}

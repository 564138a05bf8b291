package org.opentrunk.core.cdr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** IC-CDR: the journal's line form of a call record; stable and exact. */
@Tag("IC-CDR")
class CallRecordLineTest {

    private static final String ID = "0f8fad5b-d9cb-469f-a165-70867728950e";

    private static final CallRecord RECORD = CallRecordTest.answered().recordId(ID)
            .xTag("tab\there \"quoted\" \\ caf\u00e9 \uD83D\uDE00").build();

    /** A line as released before JSON-P wrote the journal: journals on disk hold such lines (an upgrade). */
    private static final String LINE = "{\"v\":1,\"id\":\"" + ID + "\",\"direction\":\"outbound\","
            + "\"customerCallId\":\"a-leg@pbx.example.com\",\"carrierCallId\":\"b-leg@trunk\",\"customerId\":7,"
            + "\"carrierId\":3,\"caller\":\"+12065550100\",\"callee\":\"+12066418000\",\"startMs\":1735689600000,"
            + "\"answerMs\":1735689605000,\"endMs\":1735689665000,\"sipStatus\":200,\"cause\":\"caller_bye\","
            + "\"xTag\":\"tab\\u0009here \\\"quoted\\\" \\\\ caf\\u00e9 \\ud83d\\ude00\",\"codec\":\"PCMU\","
            + "\"fax\":false,\"route\":\"sip:gw1.carrier.example:5060\"}";

    /**
     * The same record as written since: JSON-P spells the tab {@code \t}; all else is byte for byte
     * the released form (key order, ASCII escapes of everything from U+007F up).
     */
    private static final String WRITTEN = LINE.replace("\\u0009", "\\t");

    @Test
    void theFormIsStable() {
        assertEquals(WRITTEN, CallRecordLine.format(RECORD));
        assertEquals(RECORD, CallRecordLine.parse(WRITTEN));
        assertEquals(RECORD, CallRecordLine.parse(LINE), "lines journaled by earlier releases read the same");
        assertEquals(RECORD, ReleasedCallRecordLineReader.parse(WRITTEN), "and earlier releases read the new lines");
    }

    @Test
    void absentValuesAreWrittenAsNullAndReadBack() {
        CallRecord bare = CallRecord.builder().recordId(ID).direction(CallDirection.INBOUND).customerCallId("c")
                .startMs(-1).endMs(Long.MAX_VALUE).sipStatus(503).disconnectCause(DisconnectCause.FAILED).build();
        String line = CallRecordLine.format(bare);
        assertEquals("{\"v\":1,\"id\":\"" + ID + "\",\"direction\":\"inbound\",\"customerCallId\":\"c\","
                + "\"carrierCallId\":null,\"customerId\":null,\"carrierId\":null,\"caller\":null,\"callee\":null,"
                + "\"startMs\":-1,\"answerMs\":null,\"endMs\":9223372036854775807,\"sipStatus\":503,"
                + "\"cause\":\"failed\",\"xTag\":null,\"codec\":null,\"fax\":false,\"route\":null}", line);
        assertEquals(bare, CallRecordLine.parse(line));
    }

    @Test
    void dtmfIsWrittenOnlyWhenThereIsSomeAndReadBack() {
        CallRecord withDigits = CallRecord.builder().recordId(ID).direction(CallDirection.OUTBOUND).customerCallId("c")
                .startMs(1).endMs(2).sipStatus(200).disconnectCause(DisconnectCause.CALLER_BYE)
                .dtmfCount(3).dtmfDigits("1#9").build();
        String line = CallRecordLine.format(withDigits);
        assertTrue(line.endsWith(",\"route\":null,\"dtmfCount\":3,\"dtmfDigits\":\"1#9\"}"), line);
        assertEquals(withDigits, CallRecordLine.parse(line));
        CallRecord countOnly = CallRecordLine.parse(line.replace(",\"dtmfDigits\":\"1#9\"", ""));
        assertEquals(3, countOnly.dtmfCount());
        assertNull(countOnly.dtmfDigits());
        assertEquals(0, CallRecordLine.parse(LINE).dtmfCount(), "lines from before have none");
    }

    /** IC-EMERGENCY: the flag survives the journal, and a journal written before it (an upgrade) reads as false. */
    @Test
    @Tag("IC-EMERGENCY")
    void emergencyIsWrittenOnlyWhenSetAndOlderLinesReadFalse() {
        CallRecord emergency = CallRecord.builder().recordId(ID).direction(CallDirection.OUTBOUND).customerCallId("c")
                .callee("911").startMs(1).endMs(2).sipStatus(380).disconnectCause(DisconnectCause.REFUSED)
                .emergency(true).build();
        String line = CallRecordLine.format(emergency);
        assertTrue(line.endsWith(",\"route\":null,\"emergency\":true}"), line);
        assertEquals(emergency, CallRecordLine.parse(line));
        assertTrue(CallRecordLine.parse(line).emergency());

        assertEquals(WRITTEN, CallRecordLine.format(RECORD), "other calls keep the released form");
        assertFalse(CallRecordLine.parse(LINE).emergency(), "lines from before are not emergency calls");
        assertFalse(CallRecordLine.parse(line.replace("\"emergency\":true", "\"emergency\":false")).emergency());
        assertFalse(CallRecordLine.parse(line.replace("\"emergency\":true", "\"emergency\":null")).emergency());
        assertThrows(MalformedCallRecordException.class,
                () -> CallRecordLine.parse(line.replace("\"emergency\":true", "\"emergency\":1")));
    }

    @Test
    @Tag("IC-STIR")
    void stirValuesAreWrittenOnlyWhenThereAreSomeAndReadBack() {
        CallRecord signed = CallRecord.builder().recordId(ID).direction(CallDirection.INBOUND).carrierCallId("c")
                .callee("+12025550100").startMs(1).endMs(2).sipStatus(608).disconnectCause(DisconnectCause.REFUSED)
                .attestation("B").verstat("TN-Validation-Failed").origid("0a1b2c3d-0000-4000-8000-000000000001").build();
        String line = CallRecordLine.format(signed);
        assertTrue(line.endsWith(",\"route\":null,\"attestation\":\"B\",\"verstat\":\"TN-Validation-Failed\","
                + "\"origid\":\"0a1b2c3d-0000-4000-8000-000000000001\"}"), line);
        assertEquals(signed, CallRecordLine.parse(line));
        assertEquals(WRITTEN, CallRecordLine.format(RECORD), "calls without STIR keep the released form");
        assertNull(CallRecordLine.parse(LINE).attestation(), "lines from before have no attestation");
        assertNull(CallRecordLine.parse(LINE).verstat());
    }

    @Test
    void anyStringRoundTripsExactly() {
        Random random = new Random(20_250_101L);
        CallRecord.Builder base = CallRecordTest.answered().recordId(ID);
        for (int i = 0; i < 20_000; i++) {
            String s = randomString(random, random.nextInt(40));
            CallRecord record = base.customerCallId(s).build(); // the record's own rules (U+0000, length) first
            String line = CallRecordLine.format(record);
            assertPrintableAscii(line);
            assertEquals(record.customerCallId(), CallRecordLine.parse(line).customerCallId(), () -> "round trip of " + line);
        }
    }

    @Test
    void anyRecordRoundTripsExactly() {
        Random random = new Random(4_733L);
        for (int i = 0; i < 5_000; i++) {
            CallRecord record = randomRecord(random);
            String line = CallRecordLine.format(record);
            assertPrintableAscii(line);
            assertEquals(record, CallRecordLine.parse(line), line);
        }
    }

    /** A downgrade: the reader of the releases before JSON-P reads every line this one writes. */
    @Test
    void earlierReleasesReadEveryNewLine() {
        Random random = new Random(1_024L);
        for (int i = 0; i < 5_000; i++) {
            CallRecord record = randomRecord(random);
            String line = CallRecordLine.format(record);
            // the released reader skips the keys added since (IC-STIR's); everything else reads the same
            CallRecord known = new CallRecord(record.recordId(), record.direction(), record.customerCallId(),
                    record.carrierCallId(), record.customerId(), record.carrierId(), record.caller(), record.callee(),
                    record.startMs(), record.answerMs(), record.endMs(), record.sipStatus(), record.disconnectCause(),
                    record.xTag(), record.codec(), record.fax(), record.route(), record.dtmfCount(), record.dtmfDigits(),
                    record.emergency());
            assertEquals(known, ReleasedCallRecordLineReader.parse(line), line);
        }
    }

    @Test
    void aLineCutAnywhereIsMalformedNeverMisread() {
        for (int length = 0; length < LINE.length(); length++) {
            String prefix = LINE.substring(0, length);
            assertThrows(MalformedCallRecordException.class, () -> CallRecordLine.parse(prefix), prefix);
        }
    }

    @Test
    void unknownKeysOrderAndSpacingDoNotMatter() {
        String line = " { \"route\" : null , \"fax\":true, \"future\":\"x\""
                + ",\"cause\":\"cancelled\",\"sipStatus\":487,\"endMs\":5,\"startMs\":1,\"customerCallId\":\"c\\/d\","
                + "\"direction\":\"inbound\",\"id\":\"" + ID + "\",\"v\":1,\"unknownNumber\":-12,\"flag\":false}\t";
        CallRecord r = CallRecordLine.parse(line);
        assertEquals("c/d", r.customerCallId());
        assertEquals(DisconnectCause.CANCELLED, r.disconnectCause());
        assertTrue(r.fax());
        assertNull(r.caller());
        assertNull(r.answerMs());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "null",
        "[]",
        "{}",
        "{\"v\":2}",
        "{\"v\":\"1\"}",
        "{\"v\":1,\"v\":1}",
        "{\"v\":1}{}",
        "{\"v\":1.0}",
        "{\"v\":1e0}",
        "{\"v\":99999999999999999999}",
        "{\"v\":1,\"x\":{}}",
        "{\"v\":1,\"x\":\"\\q\"}",
        "{\"v\":1,\"x\":\"\\u12\"}",
        "{\"v\":1,\"x\":\"raw\ttab\"}",
        "{\"v\":1,\"x\":tru}",
        "{\"v\":1,}",
        "{\"v\" 1}",
        "{'v':1}",
    })
    void malformedLinesAreRefused(String line) {
        assertThrows(MalformedCallRecordException.class, () -> CallRecordLine.parse(line));
    }

    @Test
    void aLineWithoutAValidRecordIsRefused() {
        String base = CallRecordLine.format(RECORD);
        List<String> bad = List.of(
                base.replace("\"id\":\"" + ID + "\"", "\"id\":null"),
                base.replace("\"id\":\"" + ID + "\"", "\"id\":\"\""),
                base.replace("\"direction\":\"outbound\"", "\"direction\":\"sideways\""),
                base.replace("\"cause\":\"caller_bye\"", "\"cause\":\"CALLER_BYE\""),
                base.replace("\"sipStatus\":200", "\"sipStatus\":4294967296"),
                base.replace("\"startMs\":1735689600000", "\"startMs\":\"1735689600000\""),
                base.replace("\"fax\":false", "\"fax\":0"),
                base.replace("\"fax\":false,", ""),
                base.replace("\"customerId\":7", "\"customerId\":\"7\""));
        for (String line : bad) {
            assertThrows(MalformedCallRecordException.class, () -> CallRecordLine.parse(line), line);
        }
    }

    @Test
    void directionAndCauseTextsAreStable() {
        assertEquals(List.of("outbound", "inbound"), List.of(CallDirection.values()).stream().map(CallDirection::text)
                .toList());
        assertEquals(List.of("caller_bye", "callee_bye", "cancelled", "rejected", "refused", "failed", "session_timer",
                "media_timeout", "shutdown", "max_duration"), List.of(DisconnectCause.values()).stream().map(DisconnectCause::text)
                .toList());
        for (DisconnectCause cause : DisconnectCause.values()) {
            assertEquals(cause, DisconnectCause.fromText(cause.text()));
        }
        for (CallDirection direction : CallDirection.values()) {
            assertEquals(direction, CallDirection.fromText(direction.text()));
        }
        assertThrows(IllegalArgumentException.class, () -> DisconnectCause.fromText("bye"));
        assertThrows(IllegalArgumentException.class, () -> CallDirection.fromText(null));
    }

    private static void assertPrintableAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            assertTrue(c >= 0x20 && c < 0x7f, () -> "character " + (int) c + " in " + text);
        }
    }

    /** Characters that break naive formats: separators, escapes, controls, surrogates (paired or not). */
    private static final String NASTY = "\t\n\r\"\\/'{}[],:\0\u0001\u001f\u007f\u0080\u00e9\u2028\u2029\uFEFF\uFFFD\uFFFF";

    static String randomString(Random random, int length) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(6)) {
                case 0 -> s.append(NASTY.charAt(random.nextInt(NASTY.length())));
                case 1 -> s.append((char) (0x20 + random.nextInt(0x5f)));
                case 2 -> s.appendCodePoint(0x10000 + random.nextInt(0x10FFFF - 0x10000)); // a surrogate pair
                case 3 -> s.append((char) (0xD800 + random.nextInt(0x800))); // an unpaired surrogate
                case 4 -> s.append((char) random.nextInt(0x20));
                default -> s.append((char) random.nextInt(0x10000));
            }
        }
        return s.toString();
    }

    static CallRecord randomRecord(Random random) {
        return CallRecord.builder()
                .recordId(random.nextBoolean() ? CallRecord.newRecordId() : "id" + random.nextInt(1000) + "\"\\\n")
                .direction(CallDirection.values()[random.nextInt(CallDirection.values().length)])
                .customerCallId(randomString(random, random.nextInt(300)))
                .carrierCallId(maybe(random, randomString(random, random.nextInt(20))))
                .customerId(random.nextBoolean() ? null : random.nextLong())
                .carrierId(random.nextBoolean() ? null : (long) random.nextInt(100))
                .caller(maybe(random, randomString(random, random.nextInt(40))))
                .callee(maybe(random, randomString(random, random.nextInt(40))))
                .startMs(random.nextLong())
                .answerMs(random.nextBoolean() ? null : random.nextLong())
                .endMs(random.nextLong())
                .sipStatus(random.nextInt())
                .disconnectCause(DisconnectCause.values()[random.nextInt(DisconnectCause.values().length)])
                .xTag(maybe(random, randomString(random, random.nextInt(40))))
                .codec(maybe(random, randomString(random, random.nextInt(20))))
                .fax(random.nextBoolean())
                .route(maybe(random, randomString(random, random.nextInt(600))))
                .dtmfCount(random.nextInt(4) == 0 ? random.nextInt(100) : 0)
                .dtmfDigits(maybe(random, randomString(random, random.nextInt(70))))
                .emergency(random.nextInt(4) == 0)
                .attestation(random.nextInt(3) == 0 ? "ABC".substring(random.nextInt(3)).substring(0, 1) : null)
                .verstat(random.nextInt(3) == 0 ? "No-TN-Validation" : null)
                .origid(random.nextInt(3) == 0 ? java.util.UUID.randomUUID().toString() : null)
                .build();
    }

    private static String maybe(Random random, String value) {
        return random.nextInt(4) == 0 ? null : value;
    }
}

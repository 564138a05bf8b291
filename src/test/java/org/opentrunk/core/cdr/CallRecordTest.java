package org.opentrunk.core.cdr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** IC-CDR, IC-TAG: what a call record holds, and how it is made to fit the cdr table. */
@Tag("IC-CDR")
class CallRecordTest {

    static CallRecord.Builder answered() {
        return CallRecord.builder()
                .direction(CallDirection.OUTBOUND)
                .customerCallId("a-leg@pbx.example.com")
                .carrierCallId("b-leg@trunk")
                .customerId(7L)
                .carrierId(3L)
                .caller("+12065550100")
                .callee("+12066418000")
                .startMs(1_735_689_600_000L)
                .answerMs(1_735_689_605_000L)
                .endMs(1_735_689_665_000L)
                .sipStatus(200)
                .disconnectCause(DisconnectCause.CALLER_BYE)
                .xTag("campaign-42")
                .codec("PCMU")
                .route("sip:gw1.carrier.example:5060");
    }

    @Test
    void theBuilderSetsEveryValueByName() {
        CallRecord r = answered().fax(true).build();
        assertEquals(CallDirection.OUTBOUND, r.direction());
        assertEquals("a-leg@pbx.example.com", r.customerCallId());
        assertEquals("b-leg@trunk", r.carrierCallId());
        assertEquals(7L, r.customerId());
        assertEquals(3L, r.carrierId());
        assertEquals("+12065550100", r.caller());
        assertEquals("+12066418000", r.callee());
        assertEquals(1_735_689_600_000L, r.startMs());
        assertEquals(1_735_689_605_000L, r.answerMs());
        assertEquals(1_735_689_665_000L, r.endMs());
        assertEquals(200, r.sipStatus());
        assertEquals(DisconnectCause.CALLER_BYE, r.disconnectCause());
        assertEquals("campaign-42", r.xTag());
        assertEquals("PCMU", r.codec());
        assertTrue(r.fax());
        assertEquals("sip:gw1.carrier.example:5060", r.route());
        assertEquals(CallRecord.RECORD_ID_LENGTH, r.recordId().length());
        assertFalse(r.emergency(), "not an emergency call unless the call path says so");
        assertTrue(answered().emergency(true).build().emergency());
    }

    @Test
    void everyRecordGetsItsOwnId() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = CallRecord.newRecordId();
            assertTrue(ids.add(id), id);
            assertTrue(ids.add(answered().build().recordId()), "builders make fresh ids");
            assertTrue(id.matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), id);
        }
    }

    @Test
    void anUnansweredAttemptHasNoAnswerTimeAndNoCarrierLeg() {
        CallRecord r = answered().carrierCallId(null).carrierId(null).answerMs(null).codec(null).route(null)
                .sipStatus(488).disconnectCause(DisconnectCause.REFUSED).build();
        assertNull(r.answerMs());
        assertNull(r.carrierCallId());
        assertNull(r.carrierId());
        assertEquals(488, r.sipStatus());
    }

    @Test
    @Tag("IC-TAG")
    void anXTagLongerThan32CharactersIsTruncatedNotRejected() {
        String tag = "0123456789abcdef0123456789ABCDEF-and-more";
        assertEquals("0123456789abcdef0123456789ABCDEF", answered().xTag(tag).build().xTag());
        assertEquals("exactly-32-characters-long-tag!!", answered().xTag("exactly-32-characters-long-tag!!").build().xTag());
        assertEquals("", answered().xTag("").build().xTag());
    }

    @Test
    void truncationNeverSplitsASurrogatePair() {
        String tag = "x".repeat(31) + "\uD83D\uDE00" + "tail"; // an emoji across the 32nd character
        assertEquals("x".repeat(31), answered().xTag(tag).build().xTag());
        String fits = "x".repeat(30) + "\uD83D\uDE00";
        assertEquals(fits, answered().xTag(fits + "more").build().xTag());
    }

    @Test
    void textIsCutToItsColumn() {
        CallRecord r = answered().customerCallId("a".repeat(300)).carrierCallId("b".repeat(256))
                .caller("1".repeat(40)).callee("2".repeat(33)).codec("c".repeat(17)).route("r".repeat(600)).build();
        assertEquals(CallRecord.MAX_CALL_ID_LENGTH, r.customerCallId().length());
        assertEquals(CallRecord.MAX_CALL_ID_LENGTH, r.carrierCallId().length());
        assertEquals(CallRecord.MAX_NUMBER_LENGTH, r.caller().length());
        assertEquals(CallRecord.MAX_NUMBER_LENGTH, r.callee().length());
        assertEquals(CallRecord.MAX_CODEC_LENGTH, r.codec().length());
        assertEquals(CallRecord.MAX_ROUTE_LENGTH, r.route().length());
    }

    @Test
    void nulCharactersWhichPostgresCannotStoreAreReplaced() {
        CallRecord r = answered().xTag("a\0b").customerCallId("\0").build();
        assertEquals("a\uFFFDb", r.xTag());
        assertEquals("\uFFFD", r.customerCallId());
    }

    @Test
    void timesAndStatusAreRecordedAsTheyCame() {
        CallRecord r = answered().startMs(2000).answerMs(1000L).endMs(500).sipStatus(0).build();
        assertEquals(2000, r.startMs());
        assertEquals(500, r.endMs());
        assertEquals(0, r.sipStatus());
    }

    @Test
    void onlyWhatNoCdrCanLackIsRefused() {
        assertThrows(NullPointerException.class, () -> answered().direction(null).build());
        assertThrows(NullPointerException.class, () -> answered().customerCallId(null).carrierCallId(null).build());
        assertThrows(NullPointerException.class, () -> answered().disconnectCause(null).build());
        assertThrows(NullPointerException.class, () -> answered().recordId(null).build());
        assertThrows(IllegalArgumentException.class, () -> answered().recordId(" ").build());
        assertThrows(IllegalArgumentException.class, () -> answered().recordId("x".repeat(37)).build());
        assertThrows(IllegalArgumentException.class, () -> answered().recordId("a\0").build());
        assertFalse(answered().recordId("custom-id").build().recordId().isEmpty());
    }

    @Test
    void theALegIsTheLegOpenTrunkReceived() {
        CallRecord outbound = answered().build();
        assertEquals("a-leg@pbx.example.com", outbound.aLegCallId());
        assertEquals("b-leg@trunk", outbound.bLegCallId());
        CallRecord inbound = answered().direction(CallDirection.INBOUND)
                .carrierCallId("from-carrier").customerCallId("to-pbx").build();
        assertEquals("from-carrier", inbound.aLegCallId());
        assertEquals("to-pbx", inbound.bLegCallId());
        CallRecord refusedInbound = answered().direction(CallDirection.INBOUND)
                .carrierCallId("from-carrier").customerCallId(null).build();
        assertEquals("from-carrier", refusedInbound.aLegCallId());
        assertEquals(null, refusedInbound.bLegCallId());
    }
}

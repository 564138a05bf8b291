package org.opentrunk.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opentrunk.core.cdr.CallDirection;
import org.opentrunk.core.cdr.CallRecord;
import org.opentrunk.core.cdr.DisconnectCause;

/** IC-CDR: one record per call, with what the call learnt; IC-TAG: the INVITE's X-Tag first. */
@Tag("IC-CDR")
class CallLedgerTest {

    private static CallRecord record(CallLedger ledger, long endMs) {
        return ledger.fill(CallRecord.builder(), endMs).direction(CallDirection.OUTBOUND).customerCallId("a@pbx").build();
    }

    @Test
    void anAnsweredCallEndedByTheCaller() {
        CallLedger ledger = new CallLedger(1_000, List.of());
        ledger.answered(1_500, 200, List.of("answer-tag"), "PCMA");
        ledger.faxSwitched();
        ledger.cause(DisconnectCause.CALLER_BYE);
        CallRecord cdr = record(ledger, 9_000);
        assertEquals(1_000, cdr.startMs());
        assertEquals(1_500L, cdr.answerMs());
        assertEquals(9_000, cdr.endMs());
        assertEquals(200, cdr.sipStatus());
        assertEquals(DisconnectCause.CALLER_BYE, cdr.disconnectCause());
        assertEquals("answer-tag", cdr.xTag(), "IC-TAG: the 200's when the INVITE had none");
        assertEquals("PCMA", cdr.codec());
        assertTrue(cdr.fax());
    }

    @Test
    void aCallThatEndedBeforeAnyStatusSaysFailed500() {
        CallLedger ledger = new CallLedger(1_000, List.of("invite-tag"));
        CallRecord cdr = record(ledger, 2_000);
        assertNull(cdr.answerMs());
        assertEquals(CallLedger.UNKNOWN_STATUS, cdr.sipStatus());
        assertEquals(DisconnectCause.FAILED, cdr.disconnectCause());
        assertEquals("invite-tag", cdr.xTag());
        ledger.finalStatus(487, DisconnectCause.CANCELLED);
        assertEquals(487, record(ledger, 2_000).sipStatus());
    }

    @Test
    void recordAndReleaseAreClaimedOnce() {
        CallLedger ledger = new CallLedger(0, List.of());
        assertTrue(ledger.claimRecord());
        assertFalse(ledger.claimRecord(), "one CDR per call, however it ends");
        assertTrue(ledger.claimRelease());
        assertFalse(ledger.claimRelease());
    }

    @Test
    void thePostDialDelayRunsFromTheInviteToTheFirstProvisionalOnly() {
        CallLedger ledger = new CallLedger(10_000, List.of());
        assertTrue(ledger.postDialDelayMs().isEmpty());
        assertNull(record(ledger, 10_100).postDialDelayMs(), "no 18x, no post-dial delay");
        ledger.provisional(12_345);
        ledger.provisional(13_000); // a 183 after the 180, or the next carrier's 180 after a failover
        ledger.answered(15_000, 200, List.of(), "PCMU");
        assertEquals(2_345, ledger.postDialDelayMs().getAsLong());
        assertEquals(2_345L, record(ledger, 20_000).postDialDelayMs());
    }

    @Test
    void aProvisionalStampedBeforeTheInviteByAClockStepCountsAsNoDelay() {
        CallLedger ledger = new CallLedger(10_000, List.of());
        ledger.provisional(9_000);
        assertEquals(0L, record(ledger, 11_000).postDialDelayMs());
        CallLedger atZero = new CallLedger(0, List.of());
        atZero.provisional(0);
        assertEquals(0L, record(atZero, 1).postDialDelayMs(), "a provisional at the INVITE's own millisecond is kept");
    }

    @Test
    void theAnswerTellsTheLiveCodecAndTheFaxSwitch() {
        CallLedger ledger = new CallLedger(0, List.of());
        assertNull(ledger.codec());
        assertFalse(ledger.fax());
        ledger.answered(5, 200, List.of(), "G729");
        ledger.faxSwitched();
        assertEquals("G729", ledger.codec());
        assertTrue(ledger.fax());
    }
}

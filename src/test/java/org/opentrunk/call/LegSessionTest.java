package org.opentrunk.call;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opentrunk.core.sdp.SessionDescription;
import org.opentrunk.core.timer.SessionTimerRules;

/** IC-TIMER: one leg's RFC 4028 session and the SDP memory that tells refreshes from media changes. */
@Tag("IC-TIMER")
class LegSessionTest {

    private static SessionDescription sdp(int version) throws Exception {
        return SessionDescription.parse(("v=0\r\no=pbx 1 " + version + " IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\n"
                + "t=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aReinviteWithoutSdpOrWithTheSameVersionIsAPureRefresh() throws Exception {
        LegSession leg = new LegSession(Leg.CALLER);
        leg.received(sdp(5));
        assertTrue(leg.isPureRefresh(null), "no SDP");
        assertTrue(leg.isPureRefresh(sdp(5)), "RFC 4028 section 7.4: same version");
        assertFalse(leg.isPureRefresh(sdp(6)), "a new version is a media change");
        leg.received(sdp(6));
        assertTrue(leg.isPureRefresh(sdp(6)));
        LegSession nothingYet = new LegSession(Leg.CALLEE);
        assertFalse(nothingYet.isPureRefresh(sdp(1)), "a first offer on a late-offer leg is no refresh");
    }

    @Test
    void whatWasSentLastIsWhatARefreshCarries() {
        LegSession leg = new LegSession(Leg.CALLEE);
        byte[] offer = "v=0".getBytes(StandardCharsets.US_ASCII);
        leg.sent(offer);
        assertArrayEquals(offer, leg.lastSdpSent());
    }

    @Test
    void answersToOurRefresh() {
        LegSession leg = new LegSession(Leg.CALLEE);
        leg.agreeTimer(new SessionTimerRules.LegTimer(90, true, true));
        assertEquals(LegSession.RefreshOutcome.PENDING, leg.judgeRefreshAnswer(180, OptionalInt.empty()));
        assertEquals(LegSession.RefreshOutcome.REFRESHED, leg.judgeRefreshAnswer(200, OptionalInt.empty()));
        assertEquals(LegSession.RefreshOutcome.CROSSED, leg.judgeRefreshAnswer(491, OptionalInt.empty()));
        assertEquals(LegSession.RefreshOutcome.RETRY_LONGER, leg.judgeRefreshAnswer(422, OptionalInt.of(300)));
        assertEquals(300, leg.timer().intervalSeconds(), "the interval the peer asks for");
        assertEquals(LegSession.RefreshOutcome.FAILED, leg.judgeRefreshAnswer(422, OptionalInt.of(600)), "only once");
        assertEquals(LegSession.RefreshOutcome.REFRESHED, leg.judgeRefreshAnswer(200, OptionalInt.empty()));
        assertEquals(LegSession.RefreshOutcome.RETRY_LONGER, leg.judgeRefreshAnswer(422, OptionalInt.of(60)),
                "a success gives the retry back");
        assertEquals(300, leg.timer().intervalSeconds(), "never shorter than agreed");
        for (int gone : new int[] {408, 481, 500, 603}) {
            assertEquals(LegSession.RefreshOutcome.FAILED, leg.judgeRefreshAnswer(gone, OptionalInt.empty()));
        }
    }

    @Test
    void theAnswerToAPartysRefreshSaysWhoRefreshesInThatTransactionsTerms() {
        // RFC 4028 section 9: refresher=uac is the party that sent this re-INVITE, uas is OpenTrunk.
        LegSession leg = new LegSession(Leg.CALLEE);
        assertEquals(Optional.empty(), leg.sessionExpiresForAnswer(), "no timer, no header");
        leg.agreeTimer(new SessionTimerRules.LegTimer(1800, true, true));
        assertEquals(Optional.of("1800;refresher=uas"), leg.sessionExpiresForAnswer());
        leg.agreeTimer(new SessionTimerRules.LegTimer(1800, false, true));
        assertEquals(Optional.of("1800;refresher=uac"), leg.sessionExpiresForAnswer());
        leg.agreeTimer(new SessionTimerRules.LegTimer(1800, true, false));
        assertEquals(Optional.empty(), leg.sessionExpiresForAnswer(), "a party without timer support gets none");
    }
}

package org.opentrunk.call;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opentrunk.core.cdr.CallDirection;
import org.opentrunk.core.cdr.CallRecord;
import org.opentrunk.core.cdr.DisconnectCause;
import org.opentrunk.core.config.CallerIdPolicy;
import org.opentrunk.core.config.Carrier;
import org.opentrunk.core.config.Customer;
import org.opentrunk.core.config.Transport;
import org.opentrunk.core.sdp.MalformedSdpException;
import org.opentrunk.core.sdp.SessionDescription;
import org.opentrunk.core.timer.SessionTimerRules;

/**
 * Every call flow of the B2BUA against the state machine alone: events in, the commands it gives
 * recorded by {@link RecordingPort}, no container. The in-container and real-peer tests prove the
 * same flows on the wire; these prove each branch, in milliseconds.
 */
class CallFlowTest {

    static final String OFFER = """
            v=0\r
            o=pbx 1000 1000 IN IP4 127.0.0.2\r
            s=call\r
            c=IN IP4 127.0.0.2\r
            t=0 0\r
            m=audio 40000 RTP/AVP 0 8 101\r
            a=rtpmap:0 PCMU/8000\r
            a=rtpmap:8 PCMA/8000\r
            a=rtpmap:101 telephone-event/8000\r
            a=fmtp:101 0-15\r
            a=sendrecv\r
            """;
    static final String ANSWER = """
            v=0\r
            o=carrier 2000 2000 IN IP4 127.0.0.3\r
            s=call\r
            c=IN IP4 127.0.0.3\r
            t=0 0\r
            m=audio 50000 RTP/AVP 0 101\r
            a=rtpmap:0 PCMU/8000\r
            a=rtpmap:101 telephone-event/8000\r
            a=sendrecv\r
            """;
    /** An answer in a codec that was not offered (IC-CODEC). */
    static final String G729_ANSWER = """
            v=0\r
            o=carrier 2000 2000 IN IP4 127.0.0.3\r
            s=call\r
            c=IN IP4 127.0.0.3\r
            t=0 0\r
            m=audio 50000 RTP/AVP 18\r
            a=rtpmap:18 G729/8000\r
            """;
    /** The carrier switches to fax: audio replaced by T.38 (IC-FAX), with a rate above 9600. */
    static final String T38_OFFER = """
            v=0\r
            o=carrier 2000 2001 IN IP4 127.0.0.3\r
            s=call\r
            c=IN IP4 127.0.0.3\r
            t=0 0\r
            m=image 50002 udptl t38\r
            a=T38FaxVersion:0\r
            a=T38MaxBitRate:14400\r
            a=T38FaxRateManagement:transferredTCF\r
            a=T38FaxUdpEC:t38UDPRedundancy\r
            """;
    static final String T38_ANSWER = """
            v=0\r
            o=pbx 1000 1001 IN IP4 127.0.0.2\r
            s=call\r
            c=IN IP4 127.0.0.2\r
            t=0 0\r
            m=image 40002 udptl t38\r
            a=T38FaxVersion:0\r
            a=T38MaxBitRate:9600\r
            a=T38FaxRateManagement:transferredTCF\r
            a=T38FaxUdpEC:t38UDPRedundancy\r
            """;

    static final CallSettings SETTINGS = new CallSettings(1800, 90, Duration.ofSeconds(5), Duration.ofSeconds(30),
            false, "trunk.test");
    static final Carrier CARRIER_A = new Carrier(1, "A", "127.0.0.3", 5060, Transport.UDP, 1, 1, true);
    static final Carrier CARRIER_B = new Carrier(2, "B", "127.0.0.4", 5060, Transport.UDP, 2, 1, true);

    final RecordingPort port = new RecordingPort();
    final AtomicLong clock = new AtomicLong(1_000_000);
    /** The clock calls get; a test may give them a steady one over a stepping wall clock. */
    java.util.function.LongSupplier callClock = clock::get;

    static Customer customer(int maxCallSeconds) {
        return new Customer(7, "Acme", Set.of("127.0.0.2"), "11111111", Optional.empty(), 10, 10, false, List.of(),
                Optional.empty(), CallerIdPolicy.ANY, Set.of(), maxCallSeconds);
    }

    static CallTarget target(Carrier carrier) {
        return new CallTarget(carrier.name() + " " + carrier.host(), carrier, "sip:+15551230000@" + carrier.host(), null);
    }

    static SessionDescription sdp(String text) {
        try {
            return SessionDescription.parse(text.getBytes(US_ASCII));
        } catch (MalformedSdpException e) {
            throw new AssertionError(e);
        }
    }

    static Reply reply(int status, String sdp) {
        return Reply.of(status, "Reason " + status).withSdp(sdp == null ? null : sdp.getBytes(US_ASCII));
    }

    static ReceivedRequestStub request(String sdp) {
        return new ReceivedRequestStub(sdp == null ? null : sdp.getBytes(US_ASCII));
    }

    /** A party's re-INVITE or BYE: its answers kept. */
    static final class ReceivedRequestStub implements ReceivedRequest {
        final byte[] body;
        final List<Reply> answers = new java.util.ArrayList<>();

        ReceivedRequestStub(byte[] body) {
            this.body = body;
        }

        @Override
        public byte[] body() {
            return body;
        }

        @Override
        public void answer(Reply reply) {
            answers.add(reply);
        }

        Reply answer() {
            assertEquals(1, answers.size(), () -> "answers: " + answers);
            return answers.get(0);
        }
    }

    final FakeRelay relay = new FakeRelay();

    /** What STIR/SHAKEN decided for the calls of a test; none unless a test signs. */
    StirPlan stir = StirPlan.NONE;

    Call call(List<CallTarget> targets, Customer customer, boolean emergency, String offer) {
        CallPlan plan = new CallPlan(CallDirection.OUTBOUND, customer, null, "+15551230000", "+15559870000", Map.of(),
                Map.of("P-Asserted-Identity", List.of("<sip:+15559870000@trunk.test>")), offer == null ? null : sdp(offer),
                targets, List.of("tag-1"), new SessionTimerRules.LegTimer(1800, false, true), "1800;refresher=uac",
                emergency, stir);
        Call call = new Call("call-1", "caller-call-id", plan, SETTINGS, port, relay, callClock);
        call.start();
        return call;
    }

    Call call(CallTarget... targets) {
        return call(List.of(targets), customer(14_400), false, OFFER);
    }

    /** A call to one target, answered, and its 2xx acknowledged by the caller. */
    Call answeredCall() {
        Call call = call(target(CARRIER_A));
        port.lastInvite().reply(reply(200, ANSWER));
        call.onAck(Leg.CALLER, null);
        return call;
    }

    static String text(byte[] sdp) {
        return sdp == null ? null : new String(sdp, US_ASCII);
    }

    /** Issue 25, clock steps: the CDR's start is the wall clock, its answer and end come from the monotonic clock. */
    @Nested
    @Tag("IC-CDR")
    class ClockSteps {

        final AtomicLong wall = new AtomicLong(1_765_000_000_000L);
        final AtomicLong nanos = new AtomicLong(42);

        void advance(long ms) {
            wall.addAndGet(ms);
            nanos.addAndGet(ms * 1_000_000L);
        }

        long duration(long wallStepMs) {
            callClock = org.opentrunk.core.timer.SteadyClock.startingNow(wall::get, nanos::get);
            Call call = call(target(CARRIER_A));
            advance(1_500);
            port.lastInvite().reply(reply(180, null));
            advance(4_000);
            port.lastInvite().reply(reply(200, ANSWER));
            call.onAck(Leg.CALLER, null);
            advance(30_000);
            wall.addAndGet(wallStepMs); // NTP or date -s steps the wall clock mid-call
            advance(30_000);
            call.onBye(Leg.CALLER, request(null));
            CallRecord record = port.theRecord();
            assertEquals(1_765_000_000_000L, record.startMs(), "the start is the wall clock's");
            assertEquals(5_500, record.answerMs() - record.startMs(), "ringing time");
            assertEquals(Long.valueOf(1_500), record.postDialDelayMs());
            return record.endMs() - record.answerMs();
        }

        @Test
        void anHourForwardMidCallDoesNotLengthenTheCall() {
            assertEquals(60_000, duration(3_600_000));
        }

        @Test
        void anHourBackMidCallDoesNotMakeItNegative() {
            assertEquals(60_000, duration(-3_600_000));
        }
    }

    @Nested
    @Tag("IC-ROUTE")
    class SetUp {

        @Test
        void theFirstTargetGetsAnInviteWithTimersAndTheOffer() {
            Call call = call(target(CARRIER_A), target(CARRIER_B));
            assertEquals(1, port.invites.size());
            RecordingPort.Invite invite = port.lastInvite();
            assertEquals(CARRIER_A, invite.target().carrier());
            Map<String, List<String>> headers = invite.request().headers();
            assertEquals(List.of("1800"), headers.get("Session-Expires"));
            assertEquals(List.of("90"), headers.get("Min-SE"));
            assertEquals(List.of("<sip:+15559870000@trunk.test>"), headers.get("P-Asserted-Identity"));
            assertTrue(text(invite.request().sdp()).contains("m=audio 40000"));
            assertEquals(Duration.ofSeconds(5), port.timers.get(CallTimer.NO_ANSWER));
            assertEquals(CallState.ROUTING, call.state());
        }

        @Test
        @Tag("IC-CDR")
        void anAnswerConnectsTheCallerWithTheFilteredAnswer() {
            Call call = call(target(CARRIER_A));
            port.lastInvite().reply(100);
            assertEquals(CallState.TRYING, call.state());
            assertFalse(port.timers.containsKey(CallTimer.NO_ANSWER), "a target that said 100 is alive");
            clock.addAndGet(1_500);
            port.lastInvite().reply(reply(180, null));
            assertEquals(CallState.EARLY, call.state());
            assertEquals(180, port.lastToCaller().status());
            clock.addAndGet(4_000);
            port.lastInvite().reply(reply(200, ANSWER).withHeader("X-Tag", "answer-tag"));
            assertEquals("PCMU", call.summary().codec());

            assertEquals(CallState.ANSWERED, call.state());
            assertEquals(new RecordingPort.TestDialog("callee-1"), port.connected);
            Reply ok = port.lastToCaller();
            assertEquals(200, ok.status());
            assertTrue(text(ok.body()).contains("m=audio 50000 RTP/AVP 0 101"), text(ok.body()));
            assertEquals("1800;refresher=uac", ok.header("Session-Expires"));
            assertEquals(1, port.setupOvers);
            assertTrue(port.timers.containsKey(CallTimer.EXPIRE_CALLER));
            assertTrue(port.timers.containsKey(CallTimer.EXPIRE_CALLEE));
            assertTrue(port.timers.containsKey(CallTimer.REFRESH_CALLEE), "the carrier ignored timers: OpenTrunk refreshes");
            assertFalse(port.timers.containsKey(CallTimer.REFRESH_CALLER), "the caller refreshes its own leg");
            assertEquals(Duration.ofHours(4), port.timers.get(CallTimer.MAX_DURATION));

            call.onAck(Leg.CALLER, null);
            assertEquals(List.of(Leg.CALLEE), port.acks.stream().map(RecordingPort.Ack::leg).toList());
            call.onAck(Leg.CALLER, null);
            assertEquals(1, port.acks.size(), "a retransmitted ACK is not passed on twice");
            call.onBye(Leg.CALLER, request(null));
            assertEquals(Long.valueOf(1_500), port.theRecord().postDialDelayMs(), "INVITE to the first 18x");
        }

        @Test
        @Tag("IC-CDR")
        void aBusyCalleeIsRelayedWithItsReasonAndTheCallEnds() {
            Call call = call(target(CARRIER_A), target(CARRIER_B));
            port.lastInvite().reply(Reply.of(486, "Busy Here").withHeader("Reason", "Q.850;cause=17"));
            assertEquals(1, port.invites.size(), "busy is the callee's answer, not a carrier failure");
            Reply busy = port.lastToCaller();
            assertEquals(486, busy.status());
            assertEquals("Q.850;cause=17", busy.header("Reason"));
            assertEquals(CallState.ENDED, call.state());
            assertTrue(port.invalidated);
            assertEquals(1, port.releases);
            CallRecord cdr = port.theRecord();
            assertEquals(486, cdr.sipStatus());
            assertEquals(DisconnectCause.REJECTED, cdr.disconnectCause());
            assertEquals("tag-1", cdr.xTag());
            assertEquals("callee-1", cdr.carrierCallId());
            assertEquals("caller-call-id", cdr.customerCallId());
        }

        @Test
        void a503MovesOnAndTheLastFailureGoesBack() {
            Call call = call(target(CARRIER_A), target(CARRIER_B));
            port.lastInvite().reply(503);
            assertEquals(2, port.invites.size());
            assertEquals(CARRIER_B, port.lastInvite().target().carrier());
            assertEquals(CallState.ROUTING, call.state());
            port.lastInvite().reply(Reply.of(408, "Request Timeout").withHeader("Retry-After", "30"));
            Reply last = port.lastToCaller();
            assertEquals(408, last.status());
            assertEquals("30", last.header("Retry-After"));
            assertEquals(DisconnectCause.FAILED, port.theRecord().disconnectCause());
            assertEquals("B 127.0.0.4", port.theRecord().route());
        }

        @Test
        void aSilentTargetIsLeftAfterTheFailoverTimeoutAndItsLateAnswerHungUp() {
            Call call = call(target(CARRIER_A), target(CARRIER_B));
            RecordingPort.Invite first = port.lastInvite();
            port.fire(call, CallTimer.NO_ANSWER);
            assertEquals(2, port.invites.size());
            first.reply(reply(200, ANSWER)); // A answers after all
            assertEquals(1, port.hangUps.size(), "the late answer is acknowledged and hung up on");
            assertNull(port.connected);
            port.hangUps.get(0).listener().onReply(Reply.of(200, "OK"));
            assertEquals(CallState.ROUTING, call.state(), "the call goes on with B");
            port.lastInvite().reply(reply(200, ANSWER));
            assertEquals(CallState.ANSWERED, call.state());
        }

        @Test
        void whenNoTargetSaysAnythingTheCallerGets503() {
            Call call = call(target(CARRIER_A));
            port.fire(call, CallTimer.NO_ANSWER);
            assertEquals(503, port.lastToCaller().status());
            assertEquals(CallState.ENDED, call.state());
        }

        @Test
        void anUnusableTargetIsSkipped() {
            port.unusableHosts.add("127.0.0.3");
            Call call = call(target(CARRIER_A), target(CARRIER_B));
            assertEquals(CARRIER_B, port.lastInvite().target().carrier());
            assertEquals(CallState.ROUTING, call.state());
        }

        @Test
        @Tag("IC-TIMER")
        void a422IsRetriedOnceOnTheSameTargetWithTheIntervalItAsks() {
            Call call = call(target(CARRIER_A), target(CARRIER_B));
            port.lastInvite().reply(Reply.of(422, "Session Interval Too Small").withHeader("Min-SE", "3600"));
            assertEquals(2, port.invites.size());
            assertEquals(CARRIER_A, port.lastInvite().target().carrier());
            assertEquals(List.of("3600"), port.lastInvite().request().headers().get("Session-Expires"));
            port.invites.get(0).reply(reply(200, ANSWER));
            assertNull(port.connected, "an answer to the superseded INVITE does not connect");
            assertEquals(1, port.hangUps.size(), "it is hung up on");
            port.lastInvite().reply(Reply.of(422, "Session Interval Too Small").withHeader("Min-SE", "7200"));
            assertEquals(422, port.lastToCaller().status(), "a second 422 is the callee's answer");
            assertEquals(CallState.ENDED, call.state());
        }

        @Test
        @Tag("IC-CODEC")
        void anAnswerInACodecNotOfferedIsRefusedAndHungUp() {
            Call call = call(target(CARRIER_A));
            port.lastInvite().reply(reply(200, G729_ANSWER));
            assertEquals(488, port.lastToCaller().status());
            assertEquals(1, port.hangUps.size());
            assertEquals(CallState.ENDED, call.state());
        }

        @Test
        @Tag("IC-STIR")
        void onlyCarriersThatAskForSignedCallsGetTheIdentityAndTheCdrHasTheAttestation() {
            Carrier signing = new Carrier(3, "S", "127.0.0.5", 5060, Transport.UDP, 3, 1, true, Optional.empty(), false, true);
            stir = new StirPlan("eyJ.payload.sig;info=<https://cert.test/c.pem>;alg=ES256;ppt=shaken", "A", null, "origid-7");
            Call call = call(target(CARRIER_A), target(signing));
            assertNull(port.lastInvite().request().headers().get("Identity"), "A does not sign");
            port.lastInvite().reply(503);
            assertEquals(List.of(stir.identity()), port.lastInvite().request().headers().get("Identity"));
            port.lastInvite().reply(486);
            CallRecord cdr = port.theRecord();
            assertEquals("A", cdr.attestation());
            assertEquals("origid-7", cdr.origid());
            assertNull(cdr.verstat());
            assertEquals(CallState.ENDED, call.state());
        }

        @Test
        @Tag("IC-EMERGENCY")
        void anEmergencyCallHasNoDurationLimit() {
            Call call = call(List.of(target(CARRIER_A)), customer(60), true, OFFER);
            port.lastInvite().reply(reply(200, ANSWER));
            assertEquals(CallState.ANSWERED, call.state());
            assertFalse(port.timers.containsKey(CallTimer.MAX_DURATION));
        }
    }

    @Nested
    class Cancel {

        @Test
        void aCancelBeforeAnyProvisionalWaitsForOneThenCancels() {
            Call call = call(target(CARRIER_A));
            port.containerAnsweredCaller();
            call.onCancel();
            assertEquals(CallState.CANCELLING, call.state());
            assertEquals(0, port.cancels, "RFC 3261 9.1: no CANCEL before a provisional");
            port.lastInvite().reply(100);
            assertEquals(1, port.cancels);
            port.lastInvite().reply(487);
            assertEquals(CallState.ENDED, call.state());
            CallRecord cdr = port.theRecord();
            assertEquals(487, cdr.sipStatus());
            assertEquals(DisconnectCause.CANCELLED, cdr.disconnectCause());
        }

        @Test
        void aCancelWhileRingingCancelsAtOnce() {
            Call call = call(target(CARRIER_A));
            port.lastInvite().reply(180);
            port.containerAnsweredCaller();
            call.onCancel();
            assertEquals(1, port.cancels);
            assertEquals(List.of(487), port.droppedToCaller.stream().map(Reply::status).toList(),
                    "the 487 the call would send is the container's already");
        }

        @Test
        void aSilentTargetIsNotLeftForTheNextWhenTheCallerHasCancelled() {
            Call call = call(target(CARRIER_A), target(CARRIER_B));
            port.containerAnsweredCaller(); // the CANCEL is still queued behind the timer
            port.fire(call, CallTimer.NO_ANSWER);
            assertEquals(1, port.invites.size(), "no INVITE to B for a caller who is gone");
            assertEquals(CallState.CANCELLING, call.state());
            call.onCancel();
            port.lastInvite().reply(100);
            assertEquals(1, port.cancels);
            port.lastInvite().reply(487);
            assertEquals(DisconnectCause.CANCELLED, port.theRecord().disconnectCause());
        }

        @Test
        void anAnswerCrossingTheCancelIsHungUpAndEndsTheCall() {
            Call call = call(target(CARRIER_A));
            port.lastInvite().reply(180);
            port.containerAnsweredCaller();
            call.onCancel();
            port.lastInvite().reply(reply(200, ANSWER));
            assertNull(port.connected);
            assertEquals(1, port.hangUps.size());
            assertEquals(CallState.CANCELLING, call.state());
            port.hangUps.get(0).listener().onReply(Reply.of(200, "OK"));
            assertEquals(CallState.ENDED, call.state());
            assertEquals(DisconnectCause.CANCELLED, port.theRecord().disconnectCause());
        }

        @Test
        void anAnswerQueuedBeforeTheCancelReachedTheCallIsHungUp() {
            Call call = call(target(CARRIER_A));
            port.lastInvite().reply(180);
            port.containerAnsweredCaller(); // the container sent 487; the CANCEL event comes after the 200
            port.lastInvite().reply(reply(200, ANSWER));
            assertNull(port.connected, "the caller has its 487: nothing to connect");
            assertEquals(1, port.hangUps.size());
            call.onCancel();
            port.hangUps.get(0).listener().onReply(Reply.of(200, "OK"));
            assertEquals(CallState.ENDED, call.state());
            CallRecord cdr = port.theRecord();
            assertEquals(487, cdr.sipStatus());
            assertEquals(DisconnectCause.CANCELLED, cdr.disconnectCause());
        }

        @Test
        void aCallersByeInAnEarlyDialogAbandonsTheSetUp() {
            Call call = call(target(CARRIER_A));
            port.lastInvite().reply(180);
            ReceivedRequestStub bye = request(null);
            call.onBye(Leg.CALLER, bye);
            assertEquals(200, bye.answer().status());
            assertEquals(487, port.lastToCaller().status());
            assertEquals(1, port.cancels);
            port.lastInvite().reply(487);
            assertEquals(CallState.ENDED, call.state());
            assertEquals(DisconnectCause.CANCELLED, port.theRecord().disconnectCause());
        }

        @Test
        void aCancelAfterTheAnswerChangesNothing() {
            Call call = answeredCall();
            call.onCancel();
            assertEquals(CallState.ANSWERED, call.state());
            assertEquals(0, port.cancels);
        }
    }

    @Nested
    @Tag("IC-CDR")
    class Bye {

        @Test
        void theCallersByeIsAnsweredOnceItsCdrIsOnDisk() {
            Call call = answeredCall();
            port.journal = new CompletableFuture<>();
            clock.addAndGet(60_000);
            ReceivedRequestStub bye = request(null);
            call.onBye(Leg.CALLER, bye);
            assertTrue(bye.answers.isEmpty(), "no 200 before the CDR is journaled");
            assertEquals(CallState.ENDING, call.state());
            assertEquals(1, port.durableRecords.size());
            port.journal.complete(true);
            assertEquals(200, bye.answer().status());
            RecordingPort.Sent toCallee = port.lastSent();
            assertEquals(Leg.CALLEE, toCallee.leg());
            assertEquals("BYE", toCallee.request().method());
            toCallee.reply(200);
            assertEquals(CallState.ENDED, call.state());
            CallRecord cdr = port.theRecord();
            assertEquals(DisconnectCause.CALLER_BYE, cdr.disconnectCause());
            assertEquals(1_060_000, cdr.endMs());
            assertEquals(1, port.releases);
        }

        @Test
        void theCalleesByeGoesToTheCaller() {
            Call call = answeredCall();
            call.onBye(Leg.CALLEE, request(null));
            assertEquals(Leg.CALLER, port.lastSent().leg());
            port.lastSent().reply(200);
            assertEquals(DisconnectCause.CALLEE_BYE, port.theRecord().disconnectCause());
            assertEquals(CallState.ENDED, call.state());
        }

        @Test
        void crossingByesAreBothAnsweredAndOneCdrWritten() {
            Call call = answeredCall();
            call.onBye(Leg.CALLEE, request(null));
            ReceivedRequestStub callers = request(null);
            call.onBye(Leg.CALLER, callers);
            assertEquals(200, callers.answer().status());
            assertEquals(1, port.sent.size(), "no second BYE");
            port.lastSent().reply(481);
            assertEquals(CallState.ENDED, call.state());
            assertEquals(DisconnectCause.CALLEE_BYE, port.theRecord().disconnectCause());
        }

        @Test
        void theDurationLimitHangsUpBothLegs() {
            Call call = answeredCall();
            port.fire(call, CallTimer.MAX_DURATION);
            List<RecordingPort.Sent> byes = port.sent;
            assertEquals(2, byes.size());
            byes.forEach(b -> assertEquals(Call.MAX_DURATION_REASON, b.request().headers().get("Reason").get(0)));
            byes.get(0).reply(200);
            assertEquals(CallState.ENDING, call.state());
            byes.get(1).reply(200);
            assertEquals(CallState.ENDED, call.state());
            assertEquals(DisconnectCause.MAX_DURATION, port.theRecord().disconnectCause());
        }
    }

    @Nested
    @Tag("IC-TIMER")
    class SessionTimers {

        @Test
        void openTrunkRefreshesTheCalleeLegWithTheSdpItSentThere() {
            Call call = answeredCall();
            port.fire(call, CallTimer.REFRESH_CALLEE);
            RecordingPort.Sent refresh = port.lastSent();
            assertEquals(Leg.CALLEE, refresh.leg());
            assertEquals("INVITE", refresh.request().method());
            assertTrue(text(refresh.request().sdp()).contains("m=audio 40000"), "the offer it sent, unchanged");
            port.timers.remove(CallTimer.EXPIRE_CALLEE);
            refresh.reply(200);
            assertEquals(Leg.CALLEE, port.acks.get(port.acks.size() - 1).leg());
            assertTrue(port.timers.containsKey(CallTimer.EXPIRE_CALLEE), "restarted by the refresh");
            assertTrue(port.timers.containsKey(CallTimer.REFRESH_CALLEE));
        }

        @Test
        void aRefreshAnswered422IsSentAgainAndOneAnswered408EndsTheCall() {
            Call call = answeredCall();
            port.fire(call, CallTimer.REFRESH_CALLEE);
            port.lastSent().listener().onReply(Reply.of(422, "Too Small").withHeader("Min-SE", "3600"));
            assertEquals(2, port.sentOn(Leg.CALLEE, "INVITE").size());
            port.lastSent().reply(408);
            List<RecordingPort.Sent> byes = port.sent.stream().filter(s -> s.request().method().equals("BYE")).toList();
            assertEquals(2, byes.size());
            assertEquals(Call.SESSION_TIMER_REASON, byes.get(0).request().headers().get("Reason").get(0));
            byes.forEach(b -> b.reply(200));
            assertEquals(DisconnectCause.SESSION_TIMER, port.theRecord().disconnectCause());
        }

        @Test
        void theRefreshsAnswerSetsTheIntervalFromThenOn() {
            Call call = answeredCall();
            port.fire(call, CallTimer.REFRESH_CALLEE);
            port.lastSent().listener().onReply(Reply.of(200, "OK").withHeader("Session-Expires", "600;refresher=uac"));
            assertEquals(Duration.ofSeconds(SessionTimerRules.expiryDelaySeconds(600)), port.timers.get(CallTimer.EXPIRE_CALLEE));
            assertEquals(Duration.ofSeconds(300), port.timers.get(CallTimer.REFRESH_CALLEE));
        }

        @Test
        void aRefreshWaitsWhileARelayedReinviteIsUnderWayOnItsLeg() {
            Call call = answeredCall();
            call.onReinvite(Leg.CALLER, request(OFFER.replace("1000 1000", "1000 1001").replace("a=sendrecv", "a=sendonly")));
            int sent = port.sent.size();
            port.fire(call, CallTimer.REFRESH_CALLEE);
            assertEquals(sent, port.sent.size(), "RFC 3261 14.1: no second INVITE on the dialog");
            assertEquals(Call.REFRESH_RETRY, port.timers.get(CallTimer.REFRESH_CALLEE));
            port.lastSent().listener().onReply(reply(200, ANSWER.replace("2000 2000", "2000 2001")));
            port.fire(call, CallTimer.REFRESH_CALLEE);
            assertEquals(sent + 1, port.sent.size(), "the refresh goes once the re-INVITE is answered");
        }

        @Test
        void aReinviteCrossingOurRefreshIsAnswered491() {
            Call call = answeredCall();
            port.fire(call, CallTimer.REFRESH_CALLEE);
            ReceivedRequestStub crossing = request(ANSWER.replace("2000 2000", "2000 2001").replace("a=sendrecv", "a=sendonly"));
            call.onReinvite(Leg.CALLEE, crossing);
            assertEquals(491, crossing.answer().status(), "RFC 3261 14.2");
            ReceivedRequestStub fromCaller = request(OFFER.replace("1000 1000", "1000 1001").replace("a=sendrecv", "a=sendonly"));
            call.onReinvite(Leg.CALLER, fromCaller);
            assertEquals(491, fromCaller.answer().status(), "the callee's dialog has our refresh under way");
            port.lastSent().listener().onReply(Reply.of(200, "OK"));
            ReceivedRequestStub later = request(OFFER.replace("1000 1000", "1000 1001").replace("a=sendrecv", "a=sendonly"));
            call.onReinvite(Leg.CALLER, later);
            assertTrue(later.answers.isEmpty(), "relayed once the refresh is answered");
            assertEquals(Leg.CALLEE, port.lastSent().leg());
        }

        @Test
        void anExpiredCallerLegHangsUpBoth() {
            Call call = answeredCall();
            port.fire(call, CallTimer.EXPIRE_CALLER);
            assertEquals(Set.of(Leg.CALLER, Leg.CALLEE),
                    port.sent.stream().map(RecordingPort.Sent::leg).collect(java.util.stream.Collectors.toSet()));
            assertFalse(port.timers.containsKey(CallTimer.EXPIRE_CALLEE));
            ReceivedRequestStub crossing = request(null);
            call.onBye(Leg.CALLEE, crossing);
            assertEquals(200, crossing.answer().status(), "a BYE crossing ours is answered");
            port.sent.forEach(b -> b.reply(200));
            assertEquals(DisconnectCause.SESSION_TIMER, port.theRecord().disconnectCause());
        }

        @Test
        void aPureRefreshIsAnsweredOnItsOwnLeg() {
            Call call = answeredCall();
            ReceivedRequestStub refresh = request(OFFER); // same o= version as the first offer
            port.timers.remove(CallTimer.EXPIRE_CALLER);
            call.onReinvite(Leg.CALLER, refresh);
            Reply ok = refresh.answer();
            assertEquals(200, ok.status());
            assertTrue(text(ok.body()).contains("m=audio 50000"), "the answer OpenTrunk gave on this leg");
            assertTrue(port.sent.isEmpty(), "a refresh does not cross to the other leg");
            assertTrue(port.timers.containsKey(CallTimer.EXPIRE_CALLER));
        }
    }

    @Nested
    class Reinvites {

        @Test
        void aMediaChangeCrossesAndItsAnswerComesBack() {
            Call call = answeredCall();
            String hold = OFFER.replace("1000 1000", "1000 1001").replace("a=sendrecv", "a=sendonly");
            ReceivedRequestStub reinvite = request(hold);
            call.onReinvite(Leg.CALLER, reinvite);
            RecordingPort.Sent forwarded = port.lastSent();
            assertEquals(Leg.CALLEE, forwarded.leg());
            assertTrue(text(forwarded.request().sdp()).contains("a=sendonly"));
            forwarded.listener().onReply(reply(200, ANSWER.replace("2000 2000", "2000 2001").replace("a=sendrecv", "a=recvonly")));
            Reply answered = reinvite.answer();
            assertEquals(200, answered.status());
            assertTrue(text(answered.body()).contains("a=recvonly"));
            call.onAck(Leg.CALLER, null);
            assertEquals(Leg.CALLEE, port.acks.get(port.acks.size() - 1).leg());
        }

        @Test
        void aReinviteDuringSetUpIsAnswered491() {
            Call call = call(target(CARRIER_A));
            ReceivedRequestStub reinvite = request(OFFER);
            call.onReinvite(Leg.CALLER, reinvite);
            assertEquals(491, reinvite.answer().status());
        }

        @Test
        void malformedSdpIsAnswered400AndTheCallStays() {
            Call call = answeredCall();
            ReceivedRequestStub reinvite = request("this is not SDP");
            call.onReinvite(Leg.CALLEE, reinvite);
            assertEquals(400, reinvite.answer().status());
            assertEquals(CallState.ANSWERED, call.state());
        }

        @Test
        @Tag("IC-FAX")
        void aT38SwitchIsRelayedWithItsLimitsAndMarksTheCdr() {
            Call call = answeredCall();
            ReceivedRequestStub reinvite = request(T38_OFFER);
            call.onReinvite(Leg.CALLEE, reinvite);
            RecordingPort.Sent forwarded = port.lastSent();
            assertEquals(Leg.CALLER, forwarded.leg());
            assertTrue(text(forwarded.request().sdp()).contains("a=T38MaxBitRate:9600"), text(forwarded.request().sdp()));
            forwarded.listener().onReply(reply(200, T38_ANSWER));
            assertEquals(200, reinvite.answer().status());
            call.onAck(Leg.CALLEE, null);
            call.onBye(Leg.CALLER, request(null));
            port.lastSent().reply(200);
            assertTrue(port.theRecord().fax());
        }

        @Test
        @Tag("IC-FAX")
        void aRefusedT38SwitchLeavesTheCallOnAudio() {
            Call call = answeredCall();
            ReceivedRequestStub reinvite = request(T38_OFFER);
            call.onReinvite(Leg.CALLEE, reinvite);
            port.lastSent().listener().onReply(Reply.of(488, "Not Acceptable Here"));
            assertEquals(488, reinvite.answer().status());
            assertEquals(CallState.ANSWERED, call.state());
            call.onBye(Leg.CALLER, request(null));
            port.lastSent().reply(200);
            assertFalse(port.theRecord().fax());
        }
    }

    /** Customers with anchorMedia (IC-DIRECT): every SDP crosses the relay, which can time the call out. */
    @Nested
    @Tag("IC-DIRECT")
    class AnchoredMedia {

        static Customer anchoring() {
            return new Customer(7, "Acme", Set.of("127.0.0.2"), "11111111", Optional.empty(), 10, 10, true, List.of(),
                    Optional.empty(), CallerIdPolicy.ANY, Set.of(), 14_400);
        }

        Call anchoredCall() {
            return call(List.of(target(CARRIER_A)), anchoring(), false, OFFER);
        }

        @Test
        void bothPartiesSeeTheRelaysAddress() {
            Call call = anchoredCall();
            assertTrue(text(port.lastInvite().request().sdp()).contains("c=IN IP4 " + FakeRelay.RELAY_ADDRESS));
            assertTrue(port.timers.containsKey(CallTimer.MEDIA_CHECK), "the relay's timeout flag is polled");
            port.lastInvite().reply(reply(200, ANSWER));
            assertTrue(text(port.lastToCaller().body()).contains("c=IN IP4 " + FakeRelay.RELAY_ADDRESS));
            assertEquals(List.of("offer from A", "answer from B"), relay.crossed);
            call.onBye(Leg.CALLER, request(null));
            port.lastSent().reply(200);
            assertEquals(1, relay.releases, "the ports go back when the call ends");
        }

        @Test
        void noFreePortsRefusesTheCallBeforeAnyTarget() {
            relay.outOfPorts = true;
            Call call = anchoredCall();
            assertTrue(port.invites.isEmpty());
            assertEquals(503, port.lastToCaller().status());
            assertEquals(CallState.ENDED, call.state());
            assertEquals(1, port.releases);
        }

        @Test
        void noMediaOnAnAnsweredCallHangsUpBothLegs() {
            Call call = anchoredCall();
            port.lastInvite().reply(reply(200, ANSWER));
            port.fire(call, CallTimer.MEDIA_CHECK);
            assertTrue(port.sent.isEmpty(), "media still flows");
            relay.timeOut();
            port.fire(call, CallTimer.MEDIA_CHECK);
            assertEquals(2, port.sent.size());
            assertEquals(Call.MEDIA_TIMEOUT_REASON, port.lastSent().request().headers().get("Reason").get(0));
            port.sent.forEach(b -> b.reply(200));
            assertEquals(DisconnectCause.MEDIA_TIMEOUT, port.theRecord().disconnectCause());
        }

        @Test
        void noMediaWhileRingingCancelsTheTargetAndAnswers408() {
            Call call = anchoredCall();
            port.lastInvite().reply(reply(183, ANSWER));
            assertTrue(text(port.lastToCaller().body()).contains(FakeRelay.RELAY_ADDRESS), "early media is anchored too");
            relay.timeOut();
            port.fire(call, CallTimer.MEDIA_CHECK);
            assertEquals(1, port.cancels);
            assertEquals(408, port.lastToCaller().status());
            assertEquals(CallState.CANCELLING, call.state(), "the call ends on the target's final answer");
            port.lastInvite().reply(reply(200, ANSWER)); // the answer crossed the CANCEL
            assertEquals(1, port.hangUps.size(), "and is hung up on, not left up at the carrier");
            port.hangUps.get(0).listener().onReply(Reply.of(200, "OK"));
            assertEquals(CallState.ENDED, call.state());
            assertEquals(DisconnectCause.MEDIA_TIMEOUT, port.theRecord().disconnectCause());
        }

        @Test
        @Tag("IC-FAX")
        void aRefusedReofferLeavesTheRelayAsItWas() {
            Call call = anchoredCall();
            port.lastInvite().reply(reply(200, ANSWER));
            call.onAck(Leg.CALLER, null);
            ReceivedRequestStub reinvite = request(T38_OFFER);
            call.onReinvite(Leg.CALLEE, reinvite);
            port.lastSent().listener().onReply(Reply.of(488, "Not Acceptable Here"));
            assertEquals(488, reinvite.answer().status());
            assertTrue(relay.crossed.contains("offer of B rejected"), relay.crossed.toString());
        }
    }

    @Nested
    class Failures {

        @Test
        void anAnsweredCallThatFailsIsHungUpOnBothLegs() {
            Call call = answeredCall();
            call.failed("a test", new IllegalStateException("a container refusal"));
            assertEquals(2, port.sent.size());
            port.sent.forEach(b -> assertEquals("BYE", b.request().method()));
            port.sent.forEach(b -> b.reply(200));
            CallRecord cdr = port.theRecord();
            assertEquals(200, cdr.sipStatus(), "it was answered");
            assertEquals(DisconnectCause.FAILED, cdr.disconnectCause());
        }

        @Test
        void aCallInSetUpThatFailsIsRefusedAndTheTargetCancelled() {
            Call call = call(target(CARRIER_A));
            port.lastInvite().reply(180);
            call.failed("a test", new IllegalStateException("boom"));
            assertEquals(500, port.lastToCaller().status());
            assertEquals(1, port.cancels);
            assertEquals(CallState.ENDED, call.state());
        }
    }

    @Nested
    class Reaping {

        @Test
        void aCallTheContainerReapsGivesBackWhatItHeldOnce() {
            Call call = call(target(CARRIER_A));
            call.onReaped();
            call.onReaped();
            assertEquals(1, port.releases);
            assertNotNull(port.theRecord());
            assertTrue(port.setupOvers >= 1);
        }
    }
}

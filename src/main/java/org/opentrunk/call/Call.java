package org.opentrunk.call;

import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.opentrunk.core.cdr.CallDirection;
import org.opentrunk.core.cdr.CallRecord;
import org.opentrunk.core.cdr.DisconnectCause;
import org.opentrunk.core.config.Carrier;
import org.opentrunk.core.headers.XTag;
import org.opentrunk.core.methods.MethodPolicy;
import org.opentrunk.core.sdp.Codec;
import org.opentrunk.core.sdp.CodecPolicy;
import org.opentrunk.core.sdp.FilterResult;
import org.opentrunk.core.sdp.MalformedSdpException;
import org.opentrunk.core.sdp.SessionDescription;
import org.opentrunk.core.sdp.T38Policy;
import org.opentrunk.core.timer.SessionTimerRules;
import org.opentrunk.media.MediaEngine;
import org.opentrunk.media.MediaException;

/**
 * One call through the B2BUA after its set-up was decided ({@link CallPlan}), outbound or
 * inbound, as a state machine that knows nothing of the SIP container: events come in as method
 * calls ({@link #start}, the responses to what it sent, {@link #onTimer}, {@link #onReinvite},
 * {@link #onAck}, {@link #onBye}, {@link #onCancel}, {@link #onReaped}), commands go out through
 * its {@link CallPort}. Its one state is {@link CallState}; its parts each keep one concern: the
 * targets and failover ({@link Attempts}), each leg's RFC 4028 timer and SDP memory
 * ({@link LegSession}), the relayed media ({@link CallMedia}) and what the CDR will say
 * ({@link CallLedger}).
 *
 * <p>The caller's leg is the INVITE OpenTrunk received (a customer's on outbound calls, a carrier's
 * on inbound ones); the callee's leg is the INVITE OpenTrunk sent to the target that answered.
 * Requests and the handling of their responses sit side by side: each command that sends a request
 * takes the callback its responses go to.
 *
 * <p>Not thread-safe: the port delivers a call's events one at a time. Fields the live-call list
 * reads from other threads ({@link #summary}) are volatile.
 */
public final class Call {

    private static final Logger LOG = Logger.getLogger(Call.class.getName());

    /**
     * The headers of a party's response the call reads (the adapter copies these only): the Q.850
     * cause (Reason, RFC 3326), when to retry (Retry-After) and why (Warning), which are relayed to
     * the caller; X-Tag (IC-TAG); Session-Expires and Min-SE (RFC 4028).
     */
    public static final List<String> RESPONSE_HEADERS_READ =
            List.of("Reason", "Retry-After", "Warning", XTag.HEADER, "Session-Expires", "Min-SE");
    /** Of {@link #RESPONSE_HEADERS_READ}, those relayed to the caller with a callee's response. */
    static final List<String> RELAYED_RESPONSE_HEADERS = List.of("Reason", "Retry-After", "Warning");
    /**
     * The BYE's Reason when maxCallSeconds ends a call (RFC 3326): Q.850 16, normal clearing, as
     * the call ended by the customer's own limit, not by a fault; the text says which limit.
     */
    public static final String MAX_DURATION_REASON = "Q.850;cause=16;text=\"Maximum call duration reached\"";
    /** The BYE's Reason when a session timer expired or a refresh failed (IC-TIMER). */
    static final String SESSION_TIMER_REASON = "SIP;cause=408;text=\"Session timer expired\"";
    /**
     * How long a due refresh waits when the leg has an INVITE under way (a relayed re-INVITE whose
     * success refreshes the session anyway); the leg's expiry still bounds the call.
     */
    static final Duration REFRESH_RETRY = Duration.ofSeconds(2);
    /** The BYE's Reason when the call failed inside OpenTrunk (a bug, a container refusal). */
    static final String FAILURE_REASON = "SIP;cause=500;text=\"Server Internal Error\"";
    /** The BYE's Reason when the relay saw no media (IC-DIRECT). */
    static final String MEDIA_TIMEOUT_REASON = "SIP;cause=408;text=\"Media timeout\"";
    /**
     * IC-CDR: how long a BYE's 200 waits for the call's CDR to be forced to disk (no thread waits:
     * the answer goes out when the journal says so). The journal takes a few milliseconds (one
     * forced write shared by all BYEs waiting); past this bound the disk is stalling, and the BYE
     * is answered anyway with the CDR still queued.
     */
    public static final Duration BYE_CDR_WAIT = Duration.ofMillis(500);

    private final String id;
    private final CallPlan plan;
    private final CallPort port;
    private final CallSettings settings;
    private final MediaEngine mediaEngine;
    private final LongSupplier clock;
    private final String callerCallId;

    private final Attempts attempts;
    private final CallLedger ledger;
    private final LegSession callerLeg = new LegSession(Leg.CALLER);
    private final LegSession calleeLeg = new LegSession(Leg.CALLEE);
    /** The session interval asked of the current target; raised once by its 422 (RFC 4028 section 6). */
    private int calleeSessionExpires;
    /** Numbers the INVITEs sent to targets; a response to an earlier one than this is stale. */
    private int invitesSent;
    /** The legs whose last 2xx to an INVITE waits for the ACK that comes from the other party. */
    private final EnumSet<Leg> awaitingAck = EnumSet.noneOf(Leg.class);
    /**
     * The legs with an INVITE transaction of the answered call under way (a relayed re-INVITE, in
     * either direction, or OpenTrunk's refresh): RFC 3261 section 14 allows one at a time per dialog.
     */
    private final EnumSet<Leg> reinviting = EnumSet.noneOf(Leg.class);

    private volatile CallState state = CallState.ROUTING;
    private volatile CallTarget target;
    private volatile String calleeCallId;
    /** The relayed media of an anchored call (IC-DIRECT); null with direct media. */
    private volatile CallMedia media;

    /**
     * @param id           the call's id in logs and the live-call list
     * @param callerCallId the Call-ID of the caller's leg
     * @param mediaEngine  the relay for customers with anchorMedia; may be null when none runs
     * @param clock        epoch milliseconds, for the CDR's times: its first reading is the call's
     *                     start; the later ones should come from a monotonic clock
     *                     ({@code SteadyClock.startingNow()}) so that durations do not bend with a wall-clock step
     */
    public Call(String id, String callerCallId, CallPlan plan, CallSettings settings, CallPort port,
                MediaEngine mediaEngine, LongSupplier clock) {
        this.id = id;
        this.callerCallId = callerCallId;
        this.plan = plan;
        this.settings = settings;
        this.port = port;
        this.mediaEngine = mediaEngine;
        this.clock = clock;
        this.attempts = new Attempts(plan.targets());
        this.ledger = new CallLedger(clock.getAsLong(), plan.inviteXTags());
        this.calleeSessionExpires = settings.sessionExpires();
        callerLeg.agreeTimer(plan.callerTimer());
        callerLeg.received(plan.offer());
        calleeLeg.sent(plan.offer() == null ? null : plan.offer().toBytes());
    }

    // ---- set-up: targets in order until one answers or says no (IC-ROUTE)

    /** The call begins: media anchored if the customer wants it, then the first target. */
    public void start() {
        if (plan.customer().anchorMedia() && !anchorMedia()) {
            return; // refused and ended
        }
        tryNextTarget();
    }

    /**
     * Opens the call's media session (IC-DIRECT) and anchors the caller's offer: the callee gets
     * OpenTrunk's address. False when the call was refused instead.
     */
    private boolean anchorMedia() {
        try {
            if (mediaEngine == null) {
                throw new IllegalStateException("no media relay");
            }
            media = CallMedia.open(mediaEngine, settings.keepDigits());
            if (plan.offer() != null) {
                calleeLeg.sent(media.offerFrom(Leg.CALLER, plan.offer()));
            }
        } catch (MediaException e) {
            LOG.info(() -> "Cannot anchor the media of call " + id + ": " + e.getMessage());
            reject(e.sipStatus(), e.sipStatus() == 503 ? "Service Unavailable (No Media Ports)" : "Not Acceptable Here");
            return false;
        } catch (IllegalStateException notRunning) {
            LOG.warning(() -> "Cannot anchor the media of call " + id + ": " + notRunning.getMessage());
            reject(503, "Service Unavailable (Media Relay Down)");
            return false;
        }
        port.startRepeatingTimer(CallTimer.MEDIA_CHECK, CallMedia.pollInterval(settings.mediaTimeout()));
        return true;
    }

    /** The next target, or the caller's final answer when none is left. */
    private void tryNextTarget() {
        Optional<CallTarget> next = attempts.next();
        if (next.isEmpty()) {
            Optional<CalleeFailure> failure = attempts.lastFailure();
            if (failure.isPresent()) {
                relayFinal(failure.get(), DisconnectCause.FAILED);
            } else {
                reject(503, "Service Unavailable");
            }
            return;
        }
        sendTo(next.get());
    }

    /** The INVITE to {@code next}: a new attempt, or the same target again after its 422. */
    private void sendTo(CallTarget next) {
        target = next;
        if (state == CallState.EARLY || state == CallState.TRYING) {
            moveTo(CallState.ROUTING); // a new target has said nothing yet
        }
        Map<String, List<String>> headers = new LinkedHashMap<>(plan.calleeHeaders());
        // IC-TIMER: the callee leg always asks for session timers, whatever the caller did.
        headers.put("Supported", List.of(MethodPolicy.SUPPORTED_EXTENSIONS));
        headers.put("Session-Expires", List.of(String.valueOf(calleeSessionExpires)));
        headers.put("Min-SE", List.of(String.valueOf(settings.sessionMinSe())));
        plan.stir().identityFor(next).ifPresent(identity -> headers.put("Identity", List.of(identity))); // IC-STIR
        OutgoingRequest invite = new OutgoingRequest("INVITE", headers, plan.offer() == null ? null : calleeLeg.lastSdpSent());
        int number = ++invitesSent;
        try {
            calleeCallId = port.inviteCallee(next, invite, (reply, dialog) -> onCalleeInviteReply(number, reply, dialog));
        } catch (UnusableTarget e) {
            LOG.log(Level.INFO, "INVITE to {0} not sent: {1}", new Object[] {next.label(), e.getMessage()});
            attempts.unreachable();
            tryNextTarget();
            return;
        }
        port.startTimer(CallTimer.NO_ANSWER, settings.failoverTimeout());
    }

    /** Every response of a target to an initial INVITE: the current one's, or an abandoned one's. */
    private void onCalleeInviteReply(int invite, Reply reply, CalleeDialog dialog) {
        if (invite != invitesSent) {
            if (reply.isSuccess()) {
                hangUpUnwanted(dialog, false); // a target we gave up on answered after all
            }
            return;
        }
        port.cancelTimer(CallTimer.NO_ANSWER);
        if (state.inSetup() && port.callerHasFinalAnswer()) {
            callerCancelled(); // a CANCEL the container answered, still on its way to the call
        }
        int status = reply.status();
        if (status == 100) {
            // Hop by hop: the caller had its own 100. But the target is alive (no failover on
            // silence now), and a CANCEL may be sent to it (RFC 3261 section 9.1).
            if (state == CallState.ROUTING) {
                moveTo(CallState.TRYING);
            } else if (state == CallState.CANCELLING) {
                port.cancelCallee();
            }
            return;
        }
        if (!state.inSetup()) {
            // Abandoned (CANCEL, media timeout), or a second 2xx of a forking target once answered.
            if (reply.isProvisional()) {
                if (state == CallState.CANCELLING) {
                    port.cancelCallee();
                }
            } else if (reply.isSuccess()) {
                hangUpUnwanted(dialog, state == CallState.CANCELLING);
            } else if (state == CallState.CANCELLING) {
                end();
            }
            return;
        }
        if (reply.isProvisional()) {
            moveTo(CallState.EARLY);
            ledger.provisional(clock.getAsLong()); // post-dial delay: INVITE to the first 18x (issue 26)
            relayProvisional(reply);
            return;
        }
        switch (attempts.judge(status)) {
            case ANSWERED -> answered(reply, dialog);
            case RETRY_SAME_TARGET -> {
                // RFC 4028 section 6 / IC-TIMER: once, same target, with the interval it asks for.
                calleeSessionExpires = Math.max(calleeSessionExpires,
                        SessionTimerRules.interval(reply.header("Min-SE")).orElse(calleeSessionExpires));
                sendTo(target);
            }
            case NEXT_TARGET -> {
                attempts.failed(failureOf(reply));
                tryNextTarget();
            }
            case RELAY_TO_CALLER -> relayFinal(failureOf(reply), DisconnectCause.REJECTED);
        }
    }

    /** What of a callee's failure goes back to the caller. */
    private static CalleeFailure failureOf(Reply reply) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : RELAYED_RESPONSE_HEADERS) {
            List<String> values = reply.values(name);
            if (!values.isEmpty()) {
                headers.put(name, values);
            }
        }
        return new CalleeFailure(reply.status(), reply.reasonPhrase(), headers);
    }

    private void relayProvisional(Reply provisional) {
        Reply out = Reply.of(provisional.status(), provisional.reasonPhrase());
        if (provisional.hasBody()) {
            if (media != null) {
                try {
                    out = out.withSdp(anchoredFromCallee(provisional.body())); // early media through the relay too
                } catch (MediaException e) {
                    LOG.info(() -> "Early media of call " + id + " not anchored, relayed without SDP: " + e.getMessage());
                }
            } else {
                out = new Reply(out.status(), out.reasonPhrase(), out.headers(), provisional.body(), provisional.contentType());
            }
        }
        for (String name : RELAYED_RESPONSE_HEADERS) {
            for (String value : provisional.values(name)) {
                out = out.withHeader(name, value);
            }
        }
        port.respondToCaller(out);
    }

    /** The callee's SDP through the relay: its answer, or with a late offer (no SDP in the INVITE) its offer. */
    private byte[] anchoredFromCallee(byte[] sdp) throws MediaException {
        return plan.offer() != null ? media.answerFrom(Leg.CALLEE, sdp) : media.offerFrom(Leg.CALLEE, sdp);
    }

    private void answered(Reply ok, CalleeDialog dialog) {
        byte[] answer = ok.body();
        SessionDescription calleeAnswer = null;
        String codec = null;
        if (plan.offer() != null && answer != null) {
            FilterResult checked;
            try {
                calleeAnswer = SessionDescription.parse(answer); // the one parse of this answer
                checked = CodecPolicy.checkAnswer(plan.offer(), calleeAnswer);
            } catch (MalformedSdpException e) {
                checked = new FilterResult.Rejected(488, 399, "malformed SDP answer from the carrier");
            }
            if (checked instanceof FilterResult.Rejected) {
                hangUpUnwanted(dialog, false); // the target picked a codec that was not offered (IC-CODEC)
                reject(488, "Not Acceptable Here");
                return;
            }
            SessionDescription accepted = ((FilterResult.Filtered) checked).sdp();
            answer = accepted.toBytes();
            codec = CodecPolicy.negotiatedCodec(accepted).map(Codec::encodingName).orElse(null);
        } else if (answer != null) {
            calleeAnswer = parsedOrNull(answer);
        }
        if (media != null && answer != null) {
            try {
                answer = anchoredFromCallee(answer);
            } catch (MediaException e) {
                LOG.info(() -> "Cannot anchor the answer to call " + id + ": " + e.getMessage());
                hangUpUnwanted(dialog, false);
                reject(488, "Not Acceptable Here");
                return;
            }
        }
        moveTo(CallState.ANSWERED);
        ledger.answered(clock.getAsLong(), ok.status(), ok.values(XTag.HEADER), codec);
        Reply out = Reply.of(ok.status(), ok.reasonPhrase()).withSdp(answer);
        if (plan.callerSessionExpires() != null) {
            out = out.withHeader("Session-Expires", plan.callerSessionExpires())
                    .withHeader("Require", MethodPolicy.SUPPORTED_EXTENSIONS);
        }
        awaitingAck.add(Leg.CALLEE);
        port.connect(out, dialog);
        port.setupOver();
        calleeLeg.agreeTimer(SessionTimerRules.asUac(ok.header("Session-Expires"), calleeSessionExpires));
        calleeLeg.received(calleeAnswer);
        callerLeg.sent(answer);
        restartTimers(callerLeg);
        restartTimers(calleeLeg);
        // Issue 25: a call that stays up bounds what it costs, whatever the per-minute guards let
        // through; never an emergency call (IC-EMERGENCY: nothing OpenTrunk limits ends one).
        if (!plan.emergency()) {
            plan.customer().maxCallDuration().ifPresent(limit -> port.startTimer(CallTimer.MAX_DURATION, limit));
        }
    }

    private void relayFinal(CalleeFailure failure, DisconnectCause why) {
        ledger.finalStatus(failure.status(), why);
        Reply out = Reply.of(failure.status(), failure.reasonPhrase());
        for (Map.Entry<String, List<String>> header : failure.relayedHeaders().entrySet()) {
            for (String value : header.getValue()) {
                out = out.withHeader(header.getKey(), value);
            }
        }
        port.respondToCaller(out);
        end();
    }

    // ---- timers

    /** One of this call's timers fired. */
    public void onTimer(CallTimer timer) {
        try {
            switch (timer) {
                case MAX_DURATION -> {
                    if (state == CallState.ANSWERED) {
                        LOG.info(() -> "Call " + id + " of customer " + plan.customer().id() + " reached its maximum duration of "
                                + plan.customer().maxCallSeconds() + " s: hanging up both legs");
                        hangUpBoth(DisconnectCause.MAX_DURATION, MAX_DURATION_REASON);
                    }
                }
                case MEDIA_CHECK -> {
                    if (media != null && media.timedOut()) {
                        mediaTimedOut();
                    }
                }
                case NO_ANSWER -> {
                    if (state == CallState.ROUTING && port.callerHasFinalAnswer()) {
                        callerCancelled(); // not the next target: the caller is gone, its CANCEL still queued
                    } else if (state == CallState.ROUTING) {
                        LOG.info(() -> "No answer from " + target.label() + "; trying the next target");
                        attempts.unreachable();
                        tryNextTarget();
                    }
                }
                case REFRESH_CALLER, REFRESH_CALLEE -> {
                    if (state == CallState.ANSWERED) {
                        sendRefresh(legSession(timer.leg()));
                    }
                }
                case EXPIRE_CALLER, EXPIRE_CALLEE -> {
                    if (state == CallState.ANSWERED) {
                        LOG.info(() -> "Session timer of the " + timer.leg() + " leg of call " + id + " expired: hanging up both legs");
                        sessionExpired();
                    }
                }
            }
        } catch (RuntimeException e) {
            failed("timer " + timer, e);
        }
    }

    /**
     * Something the call did on an event threw (a bug, or a container refusing a message): the call
     * ends cleanly instead of leaving a party waiting. An answered call is hung up on both legs; one
     * in set-up is refused with 500. The adapter calls this for whatever escapes an event.
     */
    public void failed(String during, RuntimeException e) {
        LOG.log(Level.WARNING, "Call " + id + " failed in state " + state + " during " + during, e);
        if (state == CallState.ANSWERED) {
            hangUpBoth(DisconnectCause.FAILED, FAILURE_REASON);
        } else if (state != CallState.ENDED) {
            if (state.targetAnswered()) {
                port.cancelCallee();
            }
            reject(500, "Server Internal Error");
        }
    }

    private LegSession legSession(Leg leg) {
        return leg == Leg.CALLER ? callerLeg : calleeLeg;
    }

    /** (Re)starts a leg's RFC 4028 timers after an answer or a refresh. */
    private void restartTimers(LegSession leg) {
        CallTimer refresh = CallTimer.refresh(leg.leg());
        CallTimer expiry = CallTimer.expiry(leg.leg());
        SessionTimerRules.LegTimer timer = leg.timer();
        if (timer == null) {
            port.cancelTimer(refresh);
            port.cancelTimer(expiry);
            return;
        }
        port.startTimer(expiry, Duration.ofSeconds(timer.expiryDelaySeconds()));
        if (timer.openTrunkRefreshes()) {
            port.startTimer(refresh, Duration.ofSeconds(timer.refreshDelaySeconds()));
        } else {
            port.cancelTimer(refresh);
        }
    }

    private void cancelSessionTimers() {
        for (Leg leg : Leg.values()) {
            port.cancelTimer(CallTimer.refresh(leg));
            port.cancelTimer(CallTimer.expiry(leg));
        }
    }

    /** OpenTrunk is the refresher on this leg: a re-INVITE with the SDP it last sent there (RFC 4028 section 7.4). */
    private void sendRefresh(LegSession leg) {
        if (!port.dialogAlive(leg.leg())) {
            return;
        }
        if (reinviting.contains(leg.leg())) {
            port.startTimer(CallTimer.refresh(leg.leg()), REFRESH_RETRY); // one INVITE at a time per dialog
            return;
        }
        reinviting.add(leg.leg());
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Supported", List.of(MethodPolicy.SUPPORTED_EXTENSIONS));
        if (leg.timer().peerSupportsTimer()) {
            headers.put("Session-Expires", List.of(leg.timer().intervalSeconds() + ";refresher=uac"));
        }
        port.send(leg.leg(), new OutgoingRequest("INVITE", headers, leg.lastSdpSent()), reply -> {
            int status = reply.status();
            if (reply.isFinal()) {
                reinviting.remove(leg.leg());
            }
            switch (leg.judgeRefreshAnswer(status, SessionTimerRules.interval(reply.header("Min-SE")))) {
                case PENDING, CROSSED -> { }
                case REFRESHED -> {
                    port.ack(leg.leg(), null);
                    // RFC 4028 section 7.2: the 2xx says the interval and refresher from now on.
                    leg.agreeTimer(SessionTimerRules.asUac(reply.header("Session-Expires"), leg.timer().intervalSeconds()));
                    restartTimers(leg);
                }
                case RETRY_LONGER -> sendRefresh(leg); // RFC 4028 section 7.4: once, with the peer's interval
                case FAILED -> {
                    // 408, 481, no answer (the container's 408) ...: the peer is gone.
                    LOG.info(() -> "Refresh of the " + leg.leg() + " leg of call " + id + " failed with " + status);
                    sessionExpired();
                }
            }
        });
    }

    /** No refresh in time, or a refresh failed: BYE on both legs (IC-TIMER: no runaway calls). */
    private void sessionExpired() {
        hangUpBoth(DisconnectCause.SESSION_TIMER, SESSION_TIMER_REASON);
    }

    /**
     * The relay saw no media for the media timeout (or no answer for far longer than any INVITE
     * lasts): hung up like a session-timer expiry. The relay has released the ports already.
     */
    private void mediaTimedOut() {
        LOG.info(() -> "Media timeout on call " + id + " in state " + state + ": hanging up");
        if (state == CallState.ANSWERED) {
            hangUpBoth(DisconnectCause.MEDIA_TIMEOUT, MEDIA_TIMEOUT_REASON);
        } else if (state.inSetup()) {
            // Like the caller's CANCEL: the target's INVITE is cancelled (once it has answered
            // provisionally) and the call ends on its final answer, so a 2xx crossing is hung up.
            boolean provisionalSeen = state.targetAnswered();
            moveTo(CallState.CANCELLING);
            ledger.finalStatus(408, DisconnectCause.MEDIA_TIMEOUT);
            port.respondToCaller(Reply.of(408, "Request Timeout (No Media)"));
            if (provisionalSeen) {
                port.cancelCallee();
            }
        }
    }

    // ---- in-dialog requests from either party

    /** A re-INVITE from either party goes to the other one; its answer comes back the same way. */
    public void onReinvite(Leg from, ReceivedRequest reinvite) {
        if (state != CallState.ANSWERED || reinviting.contains(from)) {
            // RFC 3261 section 14.2: an INVITE is under way on this party's dialog (its previous one
            // relayed, or OpenTrunk's refresh); the sender tries again later.
            reinvite.answer(Reply.of(491, "Request Pending"));
            return;
        }
        LegSession sender = legSession(from);
        LegSession receiver = legSession(from.other());
        SessionDescription received = null;
        if (reinvite.body() != null) {
            try {
                received = SessionDescription.parse(reinvite.body()); // the one parse of this offer
            } catch (MalformedSdpException e) {
                reinvite.answer(Reply.of(400, "Bad Request (malformed SDP)"));
                return;
            }
        }
        if (sender.isPureRefresh(received)) {
            answerRefreshLocally(reinvite, sender); // IC-TIMER: a pure refresh does not cross to the other leg
            return;
        }
        if (reinviting.contains(from.other())) {
            reinvite.answer(Reply.of(491, "Request Pending")); // the other leg's dialog has an INVITE under way
            return;
        }
        sender.received(received);
        SessionDescription applied;
        try {
            applied = ReinviteOffers.apply(received);
        } catch (ReinviteOffers.RefusedOffer refused) {
            FilterResult.Rejected rejection = refused.rejection();
            reinvite.answer(Reply.of(rejection.sipStatus(), rejection.reasonPhrase())
                    .withHeader("Warning", rejection.warningHeaderValue(settings.domain())));
            return;
        }
        boolean faxOffer = T38Policy.isT38Offer(applied);
        byte[] offer;
        if (media != null) {
            try {
                offer = media.offerFrom(from, applied);
            } catch (MediaException e) {
                reinvite.answer(Reply.of(e.sipStatus(), "Not Acceptable Here (Media Not Anchored)"));
                return;
            }
        } else {
            offer = applied.toBytes();
        }
        reinviting.add(from);
        reinviting.add(from.other());
        port.send(from.other(), new OutgoingRequest("INVITE", Map.of(), offer),
                reply -> onReinviteReply(reply, from, reinvite, offer, faxOffer));
    }

    /** The other party's response to a relayed re-INVITE, relayed back to the party that sent it. */
    private void onReinviteReply(Reply reply, Leg from, ReceivedRequest reinvite, byte[] offer, boolean faxOffer) {
        Leg to = from.other();
        int status = reply.status();
        if (status == 100) {
            return; // hop by hop
        }
        if (reply.isFinal()) {
            reinviting.remove(from);
            reinviting.remove(to);
        }
        byte[] answer = reply.body();
        if (reply.isSuccess()) {
            SessionDescription answered = parsedOrNull(answer); // the one parse of this answer
            if (answer != null) {
                try {
                    answer = media != null ? media.answerFrom(to, answer)
                            : faxOffer && answered != null ? T38Policy.enforce(answered).toBytes() : answer;
                } catch (MediaException e) {
                    // accepted on one side, unusable on the other: the offerer keeps its media
                    LOG.info(() -> "Answer to a re-INVITE of call " + id + " not anchored: " + e.getMessage());
                    media.offerRejected(from);
                    port.ack(to, null);
                    reinvite.answer(Reply.of(488, "Not Acceptable Here (Media Not Anchored)"));
                    return;
                }
                if (faxOffer && answered != null && T38Policy.isT38Offer(answered)) {
                    ledger.faxSwitched(); // IC-FAX: the switch went through
                }
            }
            awaitingAck.add(to);
            // A media change that went through refreshes both sessions.
            legSession(to).sent(offer);
            legSession(to).received(answered);
            legSession(from).sent(answer);
            restartTimers(callerLeg);
            restartTimers(calleeLeg);
        } else if (reply.isFinal() && media != null) {
            media.offerRejected(from); // 488/606 to a T.38 switch: the call stays on G.711 (IC-FAX)
        }
        reinvite.answer(new Reply(status, reply.reasonPhrase(), Map.of(), answer,
                answer == null ? null : reply.contentType() == null ? OutgoingRequest.SDP : reply.contentType()));
    }

    /** Answers a session refresh (a re-INVITE without media change) on its own leg. */
    private void answerRefreshLocally(ReceivedRequest refresh, LegSession leg) {
        Reply ok = Reply.of(200, "OK").withSdp(leg.lastSdpSent());
        Optional<String> sessionExpires = leg.sessionExpiresForAnswer();
        if (sessionExpires.isPresent()) {
            ok = ok.withHeader("Session-Expires", sessionExpires.get()).withHeader("Require", MethodPolicy.SUPPORTED_EXTENSIONS);
        }
        refresh.answer(ok);
        restartTimers(leg);
    }

    /** An ACK for a 2xx from {@code from}: acknowledges the 2xx the other party sent, with the ACK's SDP if any. */
    public void onAck(Leg from, byte[] sdp) {
        Leg other = from.other();
        if (!awaitingAck.remove(other)) {
            return; // ACK of a non-2xx (absorbed by the transaction) or of a call already gone
        }
        byte[] body = sdp == null || sdp.length == 0 ? null : sdp;
        if (body != null) {
            // the answer to a late offer (an INVITE without SDP, offered in the 2xx)
            try {
                body = media != null ? media.answerFrom(from, body) : body;
                legSession(other).sent(body);
            } catch (MediaException | IllegalStateException e) {
                LOG.info(() -> "Answer in the ACK of call " + id + " not anchored: " + e.getMessage());
                body = null;
            }
        }
        port.ack(other, body);
    }

    /**
     * BYE from either party: record the call, answer the BYE, pass it on, end the call when the
     * other side answers. The CDR is on disk before the 200 leaves (IC-CDR: a party that saw its
     * call completed has a CDR, whatever crashes next), so its end time is the BYE's arrival. A
     * caller's BYE in an early dialog (RFC 3261 section 15) abandons the set-up like a CANCEL.
     */
    public void onBye(Leg from, ReceivedRequest bye) {
        boolean first = !state.isFinishing();
        boolean abandonsSetup = first && state.inSetup();
        if (abandonsSetup) {
            abandon(DisconnectCause.CANCELLED);
        } else if (first) {
            moveTo(CallState.ENDING);
            ledger.cause(from == Leg.CALLER ? DisconnectCause.CALLER_BYE : DisconnectCause.CALLEE_BYE);
        }
        // Also when OpenTrunk's own BYEs are under way (a session timer): this party gets a 200 too.
        CompletionStage<Boolean> journaled = CompletableFuture.completedFuture(true);
        if (!abandonsSetup && ledger.claimRecord()) {
            journaled = port.recordDurably(buildRecord(), BYE_CDR_WAIT);
        }
        port.continueWhen(journaled, () -> byeJournaled(from, bye, first && !abandonsSetup));
    }

    /** The BYE's CDR is on disk (or its bound passed): answer it, and pass it on to the other party. */
    private void byeJournaled(Leg from, ReceivedRequest bye, boolean passOn) {
        bye.answer(Reply.of(200, "OK"));
        if (!passOn) {
            return; // both parties hung up at once, our BYE to this one is under way; or an early-dialog BYE
        }
        Leg other = from.other();
        if (!port.dialogAlive(other)) {
            end();
            return;
        }
        port.send(other, OutgoingRequest.bye(null), reply -> {
            if (reply.isFinal()) {
                end();
            }
        });
    }

    /**
     * CANCEL from the caller. The adapter's container has already answered it with 200 and the
     * INVITE with 487; the target's INVITE is cancelled (once it has answered provisionally, as RFC
     * 3261 section 9.1 requires, else when it does) and the call ends on the target's final answer.
     */
    public void onCancel() {
        if (state.inSetup()) {
            abandon(DisconnectCause.CANCELLED);
        }
    }

    /**
     * The container answered the caller's CANCEL before the call heard of it: the CDR says 487, and
     * the target's INVITE is cancelled by the response being handled (a provisional) or hung up on
     * (a 2xx); the CANCEL event that follows finds the call no longer in set-up.
     */
    private void callerCancelled() {
        moveTo(CallState.CANCELLING);
        ledger.finalStatus(487, DisconnectCause.CANCELLED);
    }

    /** The caller gave up during set-up: the CDR says 487, the target's INVITE is cancelled. */
    private void abandon(DisconnectCause why) {
        boolean provisionalSeen = state.targetAnswered();
        moveTo(CallState.CANCELLING);
        ledger.finalStatus(487, why);
        port.respondToCaller(Reply.of(487, "Request Terminated")); // dropped when the container sent it already
        if (provisionalSeen) {
            port.cancelCallee();
        }
    }

    /** BYE with {@code reason} on both legs, the call ended when both answered. */
    private void hangUpBoth(DisconnectCause why, String reason) {
        if (state == CallState.ENDING || state == CallState.ENDED) {
            return;
        }
        moveTo(CallState.ENDING);
        ledger.cause(why);
        cancelSessionTimers();
        // The CDR now: a party's BYE crossing ours then finds it written and is answered at once,
        // even if both our BYEs are answered (and the call ended) before the journal would have been.
        record();
        int[] pending = {0};
        for (Leg leg : Leg.values()) {
            if (port.dialogAlive(leg)) {
                pending[0]++;
                port.send(leg, OutgoingRequest.bye(reason), reply -> {
                    if (reply.isFinal() && --pending[0] == 0) {
                        end();
                    }
                });
            }
        }
        if (pending[0] == 0) {
            end();
        }
    }

    /** A target answered a call nobody wants any more: acknowledge, then hang up on it. */
    private void hangUpUnwanted(CalleeDialog answer, boolean endsCall) {
        port.hangUp(answer, reply -> {
            if (reply.isFinal() && endsCall) {
                end();
            }
        });
    }

    /** Answers the caller's INVITE with an error and ends the call. */
    private void reject(int status, String reason) {
        ledger.finalStatus(status, DisconnectCause.FAILED);
        port.respondToCaller(Reply.of(status, reason));
        end();
    }

    /** The SDP in {@code body}, or null when there is none or it cannot be read (not ours to judge). */
    private static SessionDescription parsedOrNull(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return SessionDescription.parse(body);
        } catch (MalformedSdpException e) {
            return null;
        }
    }

    // ---- the end, however it comes

    /** The call is over: its resources given back, its CDR written, the container's side ended. */
    void end() {
        if (state == CallState.ENDED) {
            return;
        }
        moveTo(CallState.ENDED);
        port.cancelTimer(CallTimer.NO_ANSWER);
        release();
        record();
        port.invalidate();
    }

    /** The container reaped the call's sessions (it never got anywhere, or is gone): what is left is given back. */
    public void onReaped() {
        release();
        record();
    }

    /** Gives back the overload place, the relay's ports and (once) the channel and live-list entry. */
    private void release() {
        port.setupOver();
        if (media != null) {
            media.release(); // the relay's ports, whatever way the call ended
        }
        if (ledger.claimRelease()) {
            port.release();
        }
    }

    /** The call's one CDR (IC-CDR), written when it ends however it ends (on a BYE, by {@link #onBye}). */
    private void record() {
        if (ledger.claimRecord()) {
            port.record(buildRecord());
        }
    }

    /** The call's CDR as of now: it ends now, with the cause and status known so far. */
    private CallRecord buildRecord() {
        CallTarget last = target;
        boolean outbound = plan.direction() == CallDirection.OUTBOUND;
        Carrier carrier = outbound ? (last == null ? null : last.carrier()) : plan.sourceCarrier();
        String toCallee = calleeCallId;
        return ledger.fill(CallRecord.builder(), clock.getAsLong())
                .direction(plan.direction())
                .customerCallId(outbound ? callerCallId : toCallee)
                .carrierCallId(outbound ? toCallee : callerCallId)
                .customerId(plan.customer().id())
                .carrierId(carrier == null ? null : carrier.id())
                .route(last == null ? null : last.label())
                .caller(plan.caller())
                .callee(plan.callee())
                .emergency(plan.emergency())
                .attestation(plan.stir().attestation()) // IC-STIR
                .verstat(plan.stir().verstat())
                .origid(plan.stir().origid())
                .dtmfCount(media == null ? 0 : media.digitCount())
                .dtmfDigits(media == null ? null : media.digits())
                .build();
    }

    /** The call as the live-call list shows it; read from any thread. */
    public CallSummary summary() {
        CallTarget current = target;
        boolean outbound = plan.direction() == CallDirection.OUTBOUND;
        String toCallee = calleeCallId;
        Carrier carrier = outbound ? (current == null ? null : current.carrier()) : plan.sourceCarrier();
        CallMedia anchored = media;
        return new CallSummary(plan.direction().text(), outbound ? callerCallId : toCallee,
                outbound ? toCallee : callerCallId, plan.customer().id(), plan.customer().name(),
                carrier == null ? 0 : carrier.id(), carrier == null ? null : carrier.name(),
                current == null ? null : current.label(), state.name().toLowerCase(Locale.ROOT), ledger.startedAtMs(),
                ledger.answeredAtMs(), anchored != null, anchored == null ? 0 : anchored.digitCount(), ledger.codec(),
                ledger.fax());
    }

    public CallState state() {
        return state;
    }

    public String id() {
        return id;
    }

    /** The one way the call's state changes; a move its table does not know is logged, not refused. */
    private void moveTo(CallState next) {
        CallState now = state;
        if (next != now && !now.canMoveTo(next)) {
            LOG.warning(() -> "Call " + id + " moves from " + now + " to " + next + ", which it should not");
        }
        state = next;
    }
}

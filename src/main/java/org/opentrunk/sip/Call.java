package org.opentrunk.sip;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.servlet.sip.B2buaHelper;
import javax.servlet.sip.ServletTimer;
import javax.servlet.sip.SipApplicationSession;
import javax.servlet.sip.SipFactory;
import javax.servlet.sip.SipServletMessage;
import javax.servlet.sip.SipServletRequest;
import javax.servlet.sip.SipServletResponse;
import javax.servlet.sip.SipSession;
import javax.servlet.sip.TimerService;
import org.opentrunk.call.Attempts;
import org.opentrunk.call.CallLedger;
import org.opentrunk.call.CallState;
import org.opentrunk.call.CallTarget;
import org.opentrunk.call.CallTimer;
import org.opentrunk.call.CalleeFailure;
import org.opentrunk.call.Leg;
import org.opentrunk.call.LegSession;
import org.opentrunk.core.cdr.CallDirection;
import org.opentrunk.core.cdr.CallRecord;
import org.opentrunk.core.cdr.DisconnectCause;
import org.opentrunk.core.config.Carrier;
import org.opentrunk.core.headers.HeaderNames;
import org.opentrunk.core.headers.XTag;
import org.opentrunk.core.limits.Admission;
import org.opentrunk.core.methods.MethodPolicy;
import org.opentrunk.core.timer.SessionTimerRules;
import org.opentrunk.core.sdp.Codec;
import org.opentrunk.core.sdp.CodecPolicy;
import org.opentrunk.core.sdp.FilterResult;
import org.opentrunk.core.sdp.MalformedSdpException;
import org.opentrunk.core.sdp.SessionDescription;
import org.opentrunk.core.sdp.T38Policy;
import org.opentrunk.media.MediaException;

/**
 * One call through the B2BUA, outbound or inbound: the caller's leg (the INVITE OpenTrunk
 * received: a customer's on outbound calls, a carrier's on inbound ones) and the callee's leg (the
 * INVITE OpenTrunk sent to the target that answered: a carrier, or one of a number's routes).
 * Every step of the call is a method here, and responses come back to the method that sent the
 * request ({@link ResponseHandler}). The call is kept as an attribute of its
 * {@link SipApplicationSession}, whose messages and timers the container delivers one at a time,
 * so it needs no locking; fields read by the live-call API from other threads are volatile.
 *
 * <p>Callee legs are created unlinked and linked to the caller's leg only when one answers, so
 * that the call can move on to the next target: the next carrier, or the next route (IC-ROUTE).
 *
 * <p>Session life cycle: a call ends in {@link #end()}, which invalidates the application
 * session (and with it every SIP session and timer). Responses to the customer are created from
 * the customer's own INVITE, never with {@code createResponseToOriginalRequest}, which leaves
 * server transactions behind.
 */
final class Call {

    static final String ATTRIBUTE = "org.opentrunk.call";
    private static final Logger LOG = Logger.getLogger(Call.class.getName());
    /**
     * The BYE's Reason when maxCallSeconds ends a call (RFC 3326): Q.850 16, normal clearing, as
     * the call ended by the customer's own limit, not by a fault; the text says which limit.
     */
    static final String MAX_DURATION_REASON = "Q.850;cause=16;text=\"Maximum call duration reached\"";
    /**
     * Headers of a carrier's response worth relaying to the customer: the Q.850 cause (Reason,
     * RFC 3326), when to retry (Retry-After) and why (Warning). Everything else is leg-specific.
     */
    private static final List<String> RELAYED_RESPONSE_HEADERS = List.of("Reason", "Retry-After", "Warning");
    /**
     * IC-CDR: how long a BYE's 200 waits for the call's CDR to be forced to disk (no thread waits:
     * the answer goes out when the journal says so). The journal takes a few milliseconds (one
     * forced write shared by all BYEs waiting); past this bound the disk is stalling, and the BYE
     * is answered anyway with the CDR still queued.
     */
    static final java.time.Duration BYE_CDR_WAIT = java.time.Duration.ofMillis(500);

    /**
     * One leg's session ({@link LegSession}: RFC 4028 timer, SDP memory) and the container timers
     * that carry out its refresh and expiry.
     */
    private final class LegTimers {
        final LegSession session;
        ServletTimer refresh;
        ServletTimer expiry;

        LegTimers(Leg leg) {
            this.session = new LegSession(leg);
        }

        Leg leg() {
            return session.leg();
        }

        /** (Re)starts the leg's timers after an answer or a refresh. */
        void restart() {
            cancel();
            SessionTimerRules.LegTimer timer = session.timer();
            if (timer == null) {
                return;
            }
            SipApplicationSession app = callerInvite.getApplicationSession();
            expiry = timers.createTimer(app, timer.expiryDelaySeconds() * 1000, false, CallTimer.expiry(leg()));
            if (timer.openTrunkRefreshes()) {
                refresh = timers.createTimer(app, timer.refreshDelaySeconds() * 1000, false, CallTimer.refresh(leg()));
            }
        }

        void cancel() {
            cancelTimer(refresh);
            cancelTimer(expiry);
            refresh = null;
            expiry = null;
        }

        SipSession sipSession() {
            return leg() == Leg.CALLER ? callerInvite.getSession() : calleeSession;
        }
    }

    private final SipServletRequest callerInvite;
    private final CallPlan plan;
    private final Trunk trunk;
    private final SipFactory sipFactory;
    private final TimerService timers;
    private final String id;
    /** This INVITE's place among the INVITEs in setup (overload guard), given back once it is answered or failed. */
    private final Admission.Admitted admission;

    private final Attempts attempts;
    private final CallLedger ledger;
    private volatile CallTarget target;
    private volatile SipServletRequest calleeInvite;
    private ServletTimer noAnswerTimer;
    // ---- session timers (IC-TIMER), one per leg
    private int calleeSessionExpires;
    private final LegTimers callerLeg = new LegTimers(Leg.CALLER);
    private final LegTimers calleeLeg = new LegTimers(Leg.CALLEE);
    private SipSession calleeSession;
    private volatile CallState state = CallState.ROUTING;
    /** A 2xx to an INVITE waiting for its ACK, by the SipSession id of the leg it came from. */
    private final Map<String, SipServletResponse> awaitingAck = new HashMap<>(2);
    /** The relayed media of an anchored call (IC-DIRECT); null with direct media. */
    private volatile CallMedia media;

    private Call(SipServletRequest callerInvite, CallPlan plan, Trunk trunk, SipFactory sipFactory,
                 TimerService timers, Admission.Admitted admission) {
        this.admission = admission;
        this.callerInvite = callerInvite;
        this.plan = plan;
        this.trunk = trunk;
        this.sipFactory = sipFactory;
        this.timers = timers;
        this.id = callerInvite.getApplicationSession().getId();
        this.attempts = new Attempts(plan.targets());
        this.ledger = new CallLedger(System.currentTimeMillis(), plan.inviteXTags());
        this.calleeSessionExpires = trunk.settings().sessionExpires();
        this.callerLeg.session.agreeTimer(plan.callerTimer());
        this.callerLeg.session.received(plan.offer());
        this.calleeLeg.session.sent(plan.offer() == null ? null : plan.offer().toBytes());
    }

    /** The call a message of an existing dialog belongs to, or null if there is none. */
    static Call of(SipServletMessage message) {
        SipApplicationSession session = message.getApplicationSession(false);
        return session == null || !session.isValid() ? null : (Call) session.getAttribute(ATTRIBUTE);
    }

    /** Starts an admitted call: tries the first target. */
    static Call start(SipServletRequest invite, CallPlan plan, Trunk trunk, SipFactory sipFactory,
                      TimerService timers, Admission.Admitted admission) throws IOException {
        if (invite.getMaxForwards() <= 1) {
            invite.createResponse(483, "Too Many Hops").send();
            return null;
        }
        Call call = new Call(invite, plan, trunk, sipFactory, timers, admission);
        invite.getApplicationSession().setAttribute(ATTRIBUTE, call);
        trunk.liveCalls().add(call.id, call);
        if (plan.customer().anchorMedia() && !call.anchorMedia()) {
            return call; // refused and ended
        }
        call.tryNextTarget();
        return call;
    }

    /**
     * Opens the call's media session (IC-DIRECT, customers with anchorMedia) and anchors the
     * caller's offer: the callee gets OpenTrunk's address. False when the call was refused instead.
     */
    private boolean anchorMedia() {
        try {
            media = CallMedia.open(trunk.media(), trunk.settings().media().keepDigits());
            if (plan.offer() != null) {
                calleeLeg.session.sent(media.offerFrom(Leg.CALLER, plan.offer()));
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
        long poll = CallMedia.pollInterval(trunk.settings().media().mediaTimeout()).toMillis();
        timers.createTimer(callerInvite.getApplicationSession(), poll, poll, false, false, CallTimer.MEDIA_CHECK);
        return true;
    }

    // ---- the callee leg: try targets in order until one answers or says no (IC-ROUTE)

    /** The next target, or the caller's final answer when none is left. */
    private void tryNextTarget() throws IOException {
        java.util.Optional<CallTarget> next = attempts.next();
        if (next.isEmpty()) {
            java.util.Optional<CalleeFailure> failure = attempts.lastFailure();
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
    private void sendTo(CallTarget next) throws IOException {
        target = next;
        if (state == CallState.EARLY || state == CallState.TRYING) {
            moveTo(CallState.ROUTING); // a new target has said nothing yet
        }
        B2buaHelper helper = callerInvite.getB2buaHelper();
        SipServletRequest invite;
        try {
            invite = helper.createRequest(callerInvite, false, plan.fromTo());
        } catch (javax.servlet.sip.TooManyHopsException e) {
            reject(483, "Too Many Hops");
            return;
        }
        stripCopiedHeaders(invite);
        invite.setMaxForwards(callerInvite.getMaxForwards() - 1); // loop protection across the B2BUA
        plan.calleeHeaders().forEach((name, values) -> values.forEach(v -> invite.addHeader(name, v)));
        plan.stir().identityFor(next).ifPresent(identity -> invite.addHeader("Identity", identity)); // IC-STIR
        try {
            invite.setRequestURI(sipFactory.createURI(target.requestUri()));
            if (target.nextHop() != null) {
                invite.pushRoute((javax.servlet.sip.SipURI) sipFactory.createURI(target.nextHop()));
            }
        } catch (javax.servlet.sip.ServletParseException | ClassCastException e) {
            LOG.log(Level.WARNING, "Unusable target {0}: {1}", new Object[] {target.label(), e});
            attempts.unreachable();
            tryNextTarget();
            return;
        }
        // IC-TIMER: the callee leg always asks for session timers, whatever the caller did.
        invite.setHeader("Supported", MethodPolicy.SUPPORTED_EXTENSIONS);
        invite.setHeader("Session-Expires", String.valueOf(calleeSessionExpires));
        invite.setHeader("Min-SE", String.valueOf(trunk.settings().sessionMinSe()));
        if (plan.offer() != null) {
            invite.setContent(calleeLeg.session.lastSdpSent(), "application/sdp");
        }
        calleeInvite = invite;
        noAnswerTimer = timers.createTimer(callerInvite.getApplicationSession(),
                trunk.settings().failoverTimeout().toMillis(), false, CallTimer.NO_ANSWER);
        try {
            ResponseHandler.send(invite, this::onCalleeInviteResponse);
        } catch (IOException | IllegalStateException e) {
            LOG.log(Level.INFO, "INVITE to {0} failed: {1}", new Object[] {target.label(), e});
            cancelNoAnswerTimer();
            attempts.unreachable();
            tryNextTarget();
        }
    }

    /** Every response of a carrier to an initial INVITE, the current attempt or an abandoned one. */
    private void onCalleeInviteResponse(SipServletResponse response) throws IOException {
        int status = response.getStatus();
        if (response.getRequest() != calleeInvite) {
            if (status >= 200 && status < 300) {
                hangUpUnwanted(response); // a carrier we gave up on answered after all
            }
            return;
        }
        cancelNoAnswerTimer();
        if (status == 100) {
            // Hop by hop: the container already sent the customer its own 100. But the target is
            // alive (no failover on silence now), and a CANCEL may be sent to it (RFC 3261 9.1).
            if (state == CallState.ROUTING) {
                moveTo(CallState.TRYING);
            } else if (state == CallState.CANCELLING) {
                sendPendingCancel();
            }
            return;
        }
        if (state == CallState.CANCELLING || callerInvite.isCommitted()) {
            if (status < 200) {
                sendPendingCancel();
            } else if (status < 300) {
                hangUpUnwanted(response);
            } else {
                end();
            }
            return;
        }
        if (status < 200) {
            moveTo(CallState.EARLY);
            relayProvisional(response);
            return;
        }
        switch (attempts.judge(status)) {
            case ANSWERED -> answered(response);
            case RETRY_SAME_TARGET -> {
                // RFC 4028 section 6 / IC-TIMER: once, same target, with the interval it asks for.
                calleeSessionExpires = Math.max(calleeSessionExpires,
                        SessionTimerRules.interval(response.getHeader("Min-SE")).orElse(calleeSessionExpires));
                sendTo(target);
            }
            case NEXT_TARGET -> {
                attempts.failed(failureOf(response));
                tryNextTarget();
            }
            case RELAY_TO_CALLER -> relayFinal(failureOf(response), DisconnectCause.REJECTED);
        }
    }

    /** What of a callee's failure goes back to the caller. */
    private static CalleeFailure failureOf(SipServletResponse response) {
        Map<String, List<String>> headers = new java.util.LinkedHashMap<>();
        for (String name : RELAYED_RESPONSE_HEADERS) {
            List<String> values = CarrierLegHeaders.values(response, name);
            if (!values.isEmpty()) {
                headers.put(name, values);
            }
        }
        return new CalleeFailure(response.getStatus(), response.getReasonPhrase(), headers);
    }

    /** Fired by the container: one of this call's {@link CallTimer}s. */
    void onTimer(Object info) {
        if (!(info instanceof CallTimer timer)) {
            return;
        }
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
                    if (state == CallState.ROUTING) {
                        LOG.info(() -> "No answer from " + target.label() + "; trying the next target");
                        attempts.unreachable();
                        tryNextTarget();
                    }
                }
                case REFRESH_CALLER, REFRESH_CALLEE -> {
                    if (state == CallState.ANSWERED) {
                        sendRefresh(legTimers(timer.leg()));
                    }
                }
                case EXPIRE_CALLER, EXPIRE_CALLEE -> {
                    if (state == CallState.ANSWERED) {
                        LOG.info(() -> "Session timer of the " + timer.leg() + " leg of call " + id + " expired: hanging up both legs");
                        sessionExpired();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "Timer " + timer + " of call " + id + " failed", e);
            reject(500, "Server Internal Error");
        }
    }

    private LegTimers legTimers(Leg leg) {
        return leg == Leg.CALLER ? callerLeg : calleeLeg;
    }

    private void answered(SipServletResponse ok) throws IOException {
        byte[] answer = ok.getRawContent();
        String codec = null;
        if (plan.offer() != null && answer != null && answer.length > 0) {
            FilterResult checked;
            try {
                checked = CodecPolicy.checkAnswer(plan.offer(), SessionDescription.parse(answer));
            } catch (MalformedSdpException e) {
                checked = new FilterResult.Rejected(488, 399, "malformed SDP answer from the carrier");
            }
            if (checked instanceof FilterResult.Rejected) {
                hangUpUnwanted(ok); // the carrier picked a codec that was not offered (IC-CODEC)
                reject(488, "Not Acceptable Here");
                return;
            }
            SessionDescription accepted = ((FilterResult.Filtered) checked).sdp();
            answer = accepted.toBytes();
            codec = CodecPolicy.negotiatedCodec(accepted).map(Codec::encodingName).orElse(null);
        }
        if (media != null && answer != null && answer.length > 0) {
            try {
                // the callee's answer, or with a late offer (no SDP in the INVITE) its offer
                answer = plan.offer() != null ? media.answerFrom(Leg.CALLEE, answer) : media.offerFrom(Leg.CALLEE, answer);
            } catch (MediaException e) {
                LOG.info(() -> "Cannot anchor the answer to call " + id + ": " + e.getMessage());
                hangUpUnwanted(ok);
                reject(488, "Not Acceptable Here");
                return;
            }
        }
        moveTo(CallState.ANSWERED);
        ledger.answered(System.currentTimeMillis(), ok.getStatus(), CarrierLegHeaders.values(ok, XTag.HEADER), codec);
        callerInvite.getB2buaHelper().linkSipSessions(callerInvite.getSession(), ok.getSession());
        awaitingAck.put(ok.getSession().getId(), ok);
        SipServletResponse out = callerInvite.createResponse(ok.getStatus(), ok.getReasonPhrase());
        if (answer != null && answer.length > 0) {
            out.setContent(answer, "application/sdp");
        }
        if (plan.callerSessionExpires() != null) {
            out.setHeader("Session-Expires", plan.callerSessionExpires());
            out.setHeader("Require", MethodPolicy.SUPPORTED_EXTENSIONS);
        }
        out.send();
        setupDone();
        calleeSession = ok.getSession();
        calleeLeg.session.agreeTimer(SessionTimerRules.asUac(ok.getHeader("Session-Expires"), calleeSessionExpires));
        calleeLeg.session.received(parsedOrNull(ok.getRawContent()));
        callerLeg.session.sent(answer);
        callerLeg.restart();
        calleeLeg.restart();
        // Issue 25: a call that stays up bounds what it costs, whatever the per-minute guards let through;
        // never an emergency call (IC-EMERGENCY: nothing OpenTrunk limits ends one).
        if (!plan.emergency()) {
            plan.customer().maxCallDuration().ifPresent(limit ->
                    timers.createTimer(callerInvite.getApplicationSession(), limit.toMillis(), false, CallTimer.MAX_DURATION));
        }
    }

    private void relayProvisional(SipServletResponse provisional) throws IOException {
        SipServletResponse out = callerInvite.createResponse(provisional.getStatus(), provisional.getReasonPhrase());
        byte[] body = provisional.getRawContent();
        if (media != null && body != null && body.length > 0) {
            try {
                // early media through the relay too
                out.setContent(plan.offer() != null ? media.answerFrom(Leg.CALLEE, body) : media.offerFrom(Leg.CALLEE, body),
                        "application/sdp");
            } catch (MediaException e) {
                LOG.info(() -> "Early media of call " + id + " not anchored, relayed without SDP: " + e.getMessage());
            }
        } else {
            copyBody(provisional, out);
        }
        for (String name : RELAYED_RESPONSE_HEADERS) {
            provisional.getHeaders(name).forEachRemaining(value -> out.addHeader(name, value));
        }
        out.send();
    }

    private void relayFinal(CalleeFailure failure, DisconnectCause why) throws IOException {
        ledger.finalStatus(failure.status(), why);
        if (!callerInvite.isCommitted()) {
            SipServletResponse out = callerInvite.createResponse(failure.status(), failure.reasonPhrase());
            failure.relayedHeaders().forEach((name, values) -> values.forEach(value -> out.addHeader(name, value)));
            out.send();
        }
        end();
    }

    // ---- in-dialog requests from either party

    /** A re-INVITE from either party goes to the other one; its answer comes back the same way. */
    void onReinvite(SipServletRequest reinvite) throws IOException {
        if (state != CallState.ANSWERED) {
            reinvite.createResponse(491, "Request Pending").send();
            return;
        }
        LegTimers from = reinvite.getSession().getId().equals(callerInvite.getSession().getId()) ? callerLeg : calleeLeg;
        byte[] raw = reinvite.getRawContent();
        SessionDescription received = null;
        if (raw != null && raw.length > 0) {
            try {
                received = SessionDescription.parse(raw); // the one parse of this offer
            } catch (MalformedSdpException e) {
                reinvite.createResponse(400, "Bad Request (malformed SDP)").send();
                return;
            }
        }
        if (from.session.isPureRefresh(received)) {
            answerRefreshLocally(reinvite, from); // IC-TIMER: a pure refresh does not cross to the other leg
            return;
        }
        from.session.received(received);
        SessionDescription applied;
        try {
            applied = ReinviteOffers.apply(received);
        } catch (ReinviteOffers.RefusedOffer refused) {
            SipServletResponse no = reinvite.createResponse(refused.rejection().sipStatus(), refused.rejection().reasonPhrase());
            no.setHeader("Warning", refused.rejection().warningHeaderValue(trunk.identity().domain()));
            no.send();
            return;
        }
        boolean faxOffer = T38Policy.isT38Offer(applied);
        byte[] offer;
        if (media != null) {
            try {
                offer = media.offerFrom(from.leg(), applied);
            } catch (MediaException e) {
                reinvite.createResponse(e.sipStatus(), "Not Acceptable Here (Media Not Anchored)").send();
                return;
            }
        } else {
            offer = applied.toBytes();
        }
        B2buaHelper helper = reinvite.getB2buaHelper();
        SipSession other = helper.getLinkedSession(reinvite.getSession());
        SipServletRequest forward = helper.createRequest(other, reinvite, null);
        stripCopiedHeaders(forward);
        forward.setContent(offer, "application/sdp");
        LegTimers to = from == callerLeg ? calleeLeg : callerLeg;
        ResponseHandler.send(forward, response -> {
            int status = response.getStatus();
            byte[] answer = response.getRawContent();
            if (status >= 200 && status < 300) {
                SessionDescription answered = parsedOrNull(answer); // the one parse of this answer
                if (answer != null && answer.length > 0) {
                    try {
                        answer = media != null ? media.answerFrom(to.leg(), answer)
                                : faxOffer && answered != null ? T38Policy.enforce(answered).toBytes() : answer;
                    } catch (MediaException e) {
                        // accepted on one side, unusable on the other: the offerer keeps its media
                        LOG.info(() -> "Answer to a re-INVITE of call " + id + " not anchored: " + e.getMessage());
                        media.offerRejected(from.leg());
                        response.createAck().send();
                        SipServletRequest original = helper.getLinkedSipServletRequest(response.getRequest());
                        if (original != null && !original.isCommitted()) {
                            original.createResponse(488, "Not Acceptable Here (Media Not Anchored)").send();
                        }
                        return;
                    }
                    if (faxOffer && answered != null && T38Policy.isT38Offer(answered)) {
                        ledger.faxSwitched(); // IC-FAX: the switch went through
                    }
                }
                awaitingAck.put(response.getSession().getId(), response);
                // A media change that went through refreshes both sessions.
                to.session.sent(offer);
                to.session.received(answered);
                from.session.sent(answer);
                callerLeg.restart();
                calleeLeg.restart();
            } else if (status >= 300 && media != null) {
                media.offerRejected(from.leg()); // 488/606 to a T.38 switch: the call stays on G.711 (IC-FAX)
            }
            relay(response, answer);
        });
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

    /** Answers a session refresh (a re-INVITE without media change) on its own leg. */
    private void answerRefreshLocally(SipServletRequest refresh, LegTimers leg) throws IOException {
        SipServletResponse ok = refresh.createResponse(200);
        byte[] sdp = leg.session.lastSdpSent();
        if (sdp != null && sdp.length > 0) {
            ok.setContent(sdp, "application/sdp");
        }
        java.util.Optional<String> sessionExpires = leg.session.sessionExpiresForAnswer();
        if (sessionExpires.isPresent()) {
            ok.setHeader("Session-Expires", sessionExpires.get());
            ok.setHeader("Require", MethodPolicy.SUPPORTED_EXTENSIONS);
        }
        ok.send();
        leg.restart();
    }

    /** OpenTrunk is the refresher on this leg: a re-INVITE with the SDP it last sent there. */
    private void sendRefresh(LegTimers leg) throws IOException {
        SipSession session = leg.sipSession();
        if (session == null || !session.isValid()) {
            return;
        }
        SipServletRequest refresh = session.createRequest("INVITE");
        byte[] sdp = leg.session.lastSdpSent();
        if (sdp != null && sdp.length > 0) {
            refresh.setContent(sdp, "application/sdp");
        }
        refresh.setHeader("Supported", MethodPolicy.SUPPORTED_EXTENSIONS);
        if (leg.session.timer().peerSupportsTimer()) {
            refresh.setHeader("Session-Expires", leg.session.timer().intervalSeconds() + ";refresher=uac");
        }
        ResponseHandler.send(refresh, response -> {
            int status = response.getStatus();
            switch (leg.session.judgeRefreshAnswer(status, SessionTimerRules.interval(response.getHeader("Min-SE")))) {
                case PENDING, CROSSED -> { }
                case REFRESHED -> {
                    response.createAck().send();
                    leg.restart();
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
    private void sessionExpired() throws IOException {
        hangUpBoth(DisconnectCause.SESSION_TIMER, "SIP;cause=408;text=\"Session timer expired\"");
    }

    /**
     * The relay saw no media for OT_MEDIA_TIMEOUT (or no answer for far longer than any INVITE
     * lasts): hung up like a session-timer expiry. The relay has released the ports already.
     */
    private void mediaTimedOut() throws IOException {
        LOG.info(() -> "Media timeout on call " + id + " in state " + state + ": hanging up");
        if (state == CallState.ANSWERED) {
            hangUpBoth(DisconnectCause.MEDIA_TIMEOUT, "SIP;cause=408;text=\"Media timeout\"");
        } else if (state.inSetup()) {
            boolean provisionalSeen = state.targetAnswered();
            moveTo(CallState.CANCELLING);
            if (provisionalSeen) {
                sendPendingCancel();
            }
            reject(408, "Request Timeout (No Media)");
        }
    }

    /** BYE with {@code reason} on both legs, the call ended when both answered. */
    private void hangUpBoth(DisconnectCause why, String reason) throws IOException {
        if (state == CallState.ENDING || state == CallState.ENDED) {
            return;
        }
        moveTo(CallState.ENDING);
        ledger.cause(why);
        callerLeg.cancel();
        calleeLeg.cancel();
        // The CDR now: a party's BYE crossing ours then finds it written and is answered at once,
        // even if both our BYEs are answered (and the call ended) before the journal would have been.
        record();
        int[] pending = {0};
        for (SipSession session : new SipSession[] {callerInvite.getSession(), calleeSession}) {
            if (session != null && session.isValid()) {
                SipServletRequest bye = session.createRequest("BYE");
                bye.setHeader("Reason", reason);
                pending[0]++;
                ResponseHandler.send(bye, response -> {
                    if (response.getStatus() >= 200 && --pending[0] == 0) {
                        end();
                    }
                });
            }
        }
        if (pending[0] == 0) {
            end();
        }
    }

    /** ACK for a 2xx: acknowledge the 2xx the other party sent, with the ACK's SDP if any. */
    void onAck(SipServletRequest ack) throws IOException {
        SipSession other = ack.getB2buaHelper().getLinkedSession(ack.getSession());
        SipServletResponse answer = other == null ? null : awaitingAck.remove(other.getId());
        if (answer == null) {
            return; // ACK of a non-2xx (absorbed by the transaction) or of a call already gone
        }
        SipServletRequest forward = answer.createAck();
        byte[] body = ack.getRawContent();
        if (body != null && body.length > 0) {
            // the answer to a late offer (an INVITE without SDP, offered in the 2xx)
            Leg from = ack.getSession().getId().equals(callerInvite.getSession().getId()) ? Leg.CALLER : Leg.CALLEE;
            try {
                body = media != null ? media.answerFrom(from, body) : body;
                forward.setContent(body, ack.getContentType());
                legTimers(from.other()).session.sent(body);
            } catch (MediaException | IllegalStateException e) {
                LOG.info(() -> "Answer in the ACK of call " + id + " not anchored: " + e.getMessage());
            }
        }
        forward.send();
    }

    /**
     * BYE from either party: record the call, answer the BYE, pass it on, end the call when the
     * other side answers. The CDR is on disk before the 200 leaves (IC-CDR: a party that saw its
     * call completed has a CDR, whatever crashes next), so its end time is the BYE's arrival.
     */
    void onBye(SipServletRequest bye) throws IOException {
        boolean first = !state.isFinishing();
        if (first) {
            moveTo(CallState.ENDING);
            ledger.cause(bye.getSession().getId().equals(callerInvite.getSession().getId())
                    ? DisconnectCause.CALLER_BYE : DisconnectCause.CALLEE_BYE);
        }
        // Also when OpenTrunk's own BYEs are under way (a session timer): this party gets a 200 too.
        java.util.concurrent.CompletableFuture<Boolean> journaled = java.util.concurrent.CompletableFuture.completedFuture(true);
        if (ledger.claimRecord()) {
            journaled = trunk.recordDurably(buildRecord(), BYE_CDR_WAIT);
        }
        SessionResume.when(journaled, callerInvite.getApplicationSession(), timers, "BYE of call " + id, () -> {
            try {
                byeJournaled(bye, first);
            } catch (IOException e) {
                LOG.log(Level.INFO, "BYE of call " + id + " not completed: " + e);
            }
        });
    }

    /** The BYE's CDR is on disk (or its bound passed): answer it, and pass it on to the other party. */
    private void byeJournaled(SipServletRequest bye, boolean first) throws IOException {
        bye.createResponse(200).send();
        if (!first) {
            return; // both parties hung up at once: our BYE to this one is already under way
        }
        SipSession other = bye.getB2buaHelper().getLinkedSession(bye.getSession());
        if (other == null || !other.isValid()) {
            end();
            return;
        }
        ResponseHandler.send(other.createRequest("BYE"), response -> {
            if (response.getStatus() >= 200) {
                end();
            }
        });
    }

    /**
     * CANCEL from the customer. The container has already answered it with 200 and the INVITE
     * with 487; the carrier's INVITE is cancelled (once it has answered provisionally, as RFC 3261
     * section 9.1 requires; after a 100 alone the attempt is made, but Liberty did not send it in a
     * test, and the CANCEL then goes with the next provisional) and the call ends on the carrier's
     * final answer.
     */
    void onCancel() throws IOException {
        if (!state.inSetup()) {
            return;
        }
        boolean provisionalSeen = state.targetAnswered();
        moveTo(CallState.CANCELLING);
        ledger.finalStatus(487, DisconnectCause.CANCELLED);
        if (provisionalSeen) {
            sendPendingCancel();
        }
    }

    private void sendPendingCancel() {
        try {
            calleeInvite.createCancel().send();
        } catch (IllegalStateException | IOException e) {
            // The carrier's final answer crossed the CANCEL; onCalleeInviteResponse ends the call.
        }
    }

    /** A carrier answered a call nobody wants any more: acknowledge, then hang up on it. */
    private void hangUpUnwanted(SipServletResponse answer) throws IOException {
        answer.createAck().send();
        ResponseHandler.send(answer.getSession().createRequest("BYE"), response -> {
            if (response.getStatus() >= 200 && answer.getRequest() == calleeInvite) {
                end();
            }
        });
    }

    /** Answers the customer's INVITE with an error and ends the call. */
    private void reject(int status, String reason) {
        ledger.finalStatus(status, DisconnectCause.FAILED);
        try {
            if (!callerInvite.isCommitted()) {
                callerInvite.createResponse(status, reason).send();
            }
        } catch (IOException | IllegalStateException e) {
            LOG.log(Level.FINE, "Could not answer " + status + " to the customer", e);
        }
        end();
    }

    /** Relays an in-dialog response to the request it answers on the other leg, with {@code body} as its SDP. */
    private static void relay(SipServletResponse response, byte[] body) throws IOException {
        SipServletRequest original =
                response.getRequest().getB2buaHelper().getLinkedSipServletRequest(response.getRequest());
        if (original == null || original.isCommitted()) {
            return;
        }
        SipServletResponse out = original.createResponse(response.getStatus(), response.getReasonPhrase());
        if (body != null && body.length > 0) {
            out.setContent(body, response.getContentType());
        }
        out.send();
    }

    private static void copyBody(SipServletMessage from, SipServletMessage to) throws IOException {
        byte[] body = from.getRawContent();
        if (body != null && body.length > 0) {
            to.setContent(body, from.getContentType());
        }
    }

    /**
     * The headers JSR 289 (4.1.2) makes the container's own in the requests a B2BUA sends:
     * removing one throws IllegalArgumentException, whose stack trace costs more than the rest of
     * the removal. As {@link HeaderNames#key} names them (long form, lower case).
     */
    private static final Set<String> SYSTEM_HEADERS = Set.of("via", "from", "to", "call-id", "cseq", "record-route",
            "route", "contact", "rack", "rseq");

    /**
     * B2buaHelper copies every non-system header of the other leg's request; none of them is meant
     * for this leg (the customer's credentials, what each leg negotiates on its own, vendor
     * headers), so the request is stripped to what OpenTrunk sets itself (CallPlan).
     */
    private static void stripCopiedHeaders(SipServletRequest request) {
        List<String> names = new java.util.ArrayList<>();
        request.getHeaderNames().forEachRemaining(names::add);
        for (String name : names) {
            if (SYSTEM_HEADERS.contains(HeaderNames.key(name))) {
                continue; // the container refuses to remove them, by an exception (4 per call, JFR)
            }
            try {
                request.removeHeader(name);
            } catch (IllegalArgumentException systemHeader) {
                // another container's system header
            }
        }
    }

    private void cancelNoAnswerTimer() {
        cancelTimer(noAnswerTimer);
        noAnswerTimer = null;
    }

    /** The INVITE has its final answer: it no longer counts against the overload guard. */
    private void setupDone() {
        admission.release();
    }

    /** The call is over: release the container's sessions and timers. */
    void end() {
        moveTo(CallState.ENDED);
        setupDone();
        cancelNoAnswerTimer();
        forget();
        record();
        SipApplicationSession session = callerInvite.getApplicationSession(false);
        if (session != null && session.isValid()) {
            session.invalidate();
        }
    }

    /** Leaves the live-call list (also when the container reaps the call's session). */
    void forget() {
        setupDone();
        if (media != null) {
            media.release(); // the relay's ports, whatever way the call ended
        }
        trunk.liveCalls().remove(id);
        if (ledger.claimRelease()) {
            trunk.channels().release(plan.customer().id());
        }
    }

    /** The call's one CDR (IC-CDR), written when it ends however it ends (on a BYE, by {@link #onBye}). */
    void record() {
        if (ledger.claimRecord()) {
            trunk.record(buildRecord());
        }
    }

    /** The call's CDR as of now: it ends now, with the cause and status known so far. */
    private CallRecord buildRecord() {
        SipServletRequest toCallee = calleeInvite;
        CallTarget last = target;
        boolean outbound = plan.direction() == CallDirection.OUTBOUND;
        Carrier carrier = outbound ? (last == null ? null : last.carrier()) : plan.sourceCarrier();
        String calleeCallId = toCallee == null ? null : toCallee.getCallId();
        return ledger.fill(CallRecord.builder(), System.currentTimeMillis())
                .direction(plan.direction())
                .customerCallId(outbound ? callerInvite.getCallId() : calleeCallId)
                .carrierCallId(outbound ? calleeCallId : callerInvite.getCallId())
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

    CallSummary summary() {
        SipServletRequest toCallee = calleeInvite;
        CallTarget current = target;
        boolean outbound = plan.direction() == CallDirection.OUTBOUND;
        String calleeCallId = toCallee == null ? null : toCallee.getCallId();
        Carrier carrier = outbound ? (current == null ? null : current.carrier()) : plan.sourceCarrier();
        CallMedia anchored = media;
        return new CallSummary(plan.direction().text(), outbound ? callerInvite.getCallId() : calleeCallId,
                outbound ? calleeCallId : callerInvite.getCallId(), plan.customer().id(), plan.customer().name(),
                carrier == null ? 0 : carrier.id(), carrier == null ? null : carrier.name(),
                current == null ? null : current.label(), state.name().toLowerCase(Locale.ROOT), ledger.startedAtMs(),
                ledger.answeredAtMs(),
                anchored != null, anchored == null ? 0 : anchored.digitCount());
    }

    CallState state() {
        return state;
    }

    /** The one way the call's state changes; a move its table does not know is logged, not refused. */
    private void moveTo(CallState next) {
        if (next != state && !state.canMoveTo(next)) {
            LOG.warning(() -> "Call " + id + " moves from " + state + " to " + next + ", which it should not");
        }
        state = next;
    }

    /** Cancels a container timer that may have fired or died with the session already. */
    private static void cancelTimer(ServletTimer timer) {
        if (timer != null) {
            try {
                timer.cancel();
            } catch (IllegalStateException gone) {
                // fired, or invalidated with the session
            }
        }
    }
}

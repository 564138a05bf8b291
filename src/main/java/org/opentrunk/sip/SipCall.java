package org.opentrunk.sip;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.servlet.sip.B2buaHelper;
import javax.servlet.sip.ServletParseException;
import javax.servlet.sip.ServletTimer;
import javax.servlet.sip.SipApplicationSession;
import javax.servlet.sip.SipFactory;
import javax.servlet.sip.SipServletMessage;
import javax.servlet.sip.SipServletRequest;
import javax.servlet.sip.SipServletResponse;
import javax.servlet.sip.SipSession;
import javax.servlet.sip.SipURI;
import javax.servlet.sip.TimerService;
import javax.servlet.sip.TooManyHopsException;
import org.opentrunk.call.Call;
import org.opentrunk.call.CallPlan;
import org.opentrunk.call.CallPort;
import org.opentrunk.call.CallState;
import org.opentrunk.call.CallTarget;
import org.opentrunk.call.CallTimer;
import org.opentrunk.core.timer.SteadyClock;
import org.opentrunk.core.timer.TimerDeadlines;
import org.opentrunk.call.CalleeAnswerListener;
import org.opentrunk.call.CalleeDialog;
import org.opentrunk.call.Leg;
import org.opentrunk.call.OutgoingRequest;
import org.opentrunk.call.ReceivedRequest;
import org.opentrunk.call.Reply;
import org.opentrunk.call.ReplyListener;
import org.opentrunk.call.UnusableTarget;
import org.opentrunk.core.cdr.CallRecord;
import org.opentrunk.core.headers.HeaderNames;
import org.opentrunk.core.limits.Admission;
import org.opentrunk.core.limits.ChannelGrant;

/**
 * A {@link Call} on the JSR 289 container: the one place where the call's events are read off the
 * container's messages and timers, and its commands become requests, responses and
 * {@link ServletTimer}s. No call logic here: what to do is the call's, how to say it in SIP is this.
 * The call is kept as an attribute of its {@link SipApplicationSession}, whose messages and timers
 * the container delivers one at a time.
 *
 * <p>Session life cycle: the call ends in {@link #invalidate()}, which invalidates the application
 * session (and with it every SIP session and timer). Responses to the caller are created from the
 * caller's own INVITE, never with {@code createResponseToOriginalRequest}, which leaves server
 * transactions behind. Callee legs are created unlinked and linked to the caller's leg only when
 * one answers, so that the call can move on to the next target.
 */
final class SipCall implements CallPort {

    static final String ATTRIBUTE = "org.opentrunk.call";
    private static final Logger LOG = Logger.getLogger(SipCall.class.getName());
    /** The status of the local answer to a request that could not be sent (as a transaction layer gives it). */
    static final int NOT_SENT_STATUS = 503;

    /**
     * The headers JSR 289 (4.1.2) makes the container's own in the requests a B2BUA sends:
     * removing one throws IllegalArgumentException, whose stack trace costs more than the rest of
     * the removal. As {@link HeaderNames#key} names them (long form, lower case).
     */
    private static final Set<String> SYSTEM_HEADERS = Set.of("via", "from", "to", "call-id", "cseq", "record-route",
            "route", "contact", "rack", "rseq");

    /** A target's 2xx and the dialog it created. */
    private record Answered(SipServletResponse response) implements CalleeDialog {
    }

    private final SipServletRequest callerInvite;
    private final CallPlan plan;
    private final CallServices services;
    private final SipFactory sipFactory;
    private final TimerService timers;
    private final Admission.Admitted admission;
    /** The customer's channel, held until the call ends (maxChannels). */
    private final ChannelGrant channel;
    private final String id;
    private final Call call;
    /** The call's timers, kept here: the container holds one timer per call, at the earliest (issue 23). */
    private final TimerDeadlines<CallTimer> deadlines = new TimerDeadlines<>(CallTimer.class);
    /** The one container timer armed for {@link #deadlines}, or null. */
    private ServletTimer armed;
    /** Due timers are being fired ({@link #onTimer}): arming waits until they all are. */
    private boolean firing;
    /** The last 2xx to an INVITE per leg, until acknowledged. */
    private final EnumMap<Leg, SipServletResponse> unacknowledged = new EnumMap<>(Leg.class);
    /** The last initial INVITE sent to a target: what a CANCEL cancels. */
    private SipServletRequest calleeInvite;
    /** The callee's dialog once connected. */
    private SipSession calleeSession;

    private SipCall(SipServletRequest callerInvite, CallPlan plan, CallServices services, Admission.Admitted admission,
                    ChannelGrant channel) {
        this.callerInvite = callerInvite;
        this.plan = plan;
        this.services = services;
        this.sipFactory = services.sipFactory();
        this.timers = services.timers();
        this.admission = admission;
        this.channel = channel;
        this.id = callerInvite.getApplicationSession().getId();
        this.call = new Call(id, callerInvite.getCallId(), plan, services.settings(), this,
                plan.customer().anchorMedia() ? services.media() : null,
                org.opentrunk.core.timer.SteadyClock.startingNow()); // CDR durations immune to wall-clock steps
    }

    /** The call a message of an existing dialog belongs to, or null if there is none. */
    static SipCall of(SipServletMessage message) {
        SipApplicationSession session = message.getApplicationSession(false);
        return session == null || !session.isValid() ? null : (SipCall) session.getAttribute(ATTRIBUTE);
    }

    /**
     * Starts an admitted call holding {@code channel}: tries the first target. Null when the INVITE
     * was refused for its hop count (the caller gives the channel back then).
     */
    static SipCall start(SipServletRequest invite, CallPlan plan, CallServices services, Admission.Admitted admission,
                         ChannelGrant channel) throws IOException {
        if (invite.getMaxForwards() <= 1) {
            invite.createResponse(483, "Too Many Hops").send();
            return null;
        }
        SipCall sipCall = new SipCall(invite, plan, services, admission, channel);
        invite.getApplicationSession().setAttribute(ATTRIBUTE, sipCall);
        services.ladder().receivedInvite(invite);
        services.liveCalls().add(sipCall.id, sipCall.call);
        sipCall.call.start();
        return sipCall;
    }

    // ---- events: container callbacks into the call

    /** A re-INVITE within the call. */
    void onReinvite(SipServletRequest reinvite) throws IOException {
        Leg from = legOf(reinvite.getSession());
        if (from == null) {
            reinvite.createResponse(481, "Call/Transaction Does Not Exist").send(); // a dialog the call dropped
            return;
        }
        guarded("a re-INVITE", () -> call.onReinvite(from, received(reinvite)));
    }

    /** An ACK for a 2xx within the call. */
    void onAck(SipServletRequest ack) {
        Leg from = legOf(ack.getSession());
        if (from != null) {
            guarded("an ACK", () -> call.onAck(from, bodyOf(ack)));
        }
    }

    /** A BYE within the call. */
    void onBye(SipServletRequest bye) throws IOException {
        Leg from = legOf(bye.getSession());
        if (from == null) {
            bye.createResponse(200).send(); // a dialog the call hung up on already (a late answer)
            return;
        }
        guarded("a BYE", () -> call.onBye(from, received(bye)));
    }

    /** The caller's CANCEL (the container answered it and the INVITE already). */
    void onCancel() {
        guarded("a CANCEL", call::onCancel);
    }

    /**
     * The call's container timer fired: each of the call's timers whose deadline has passed fires,
     * earliest first, then the container timer is armed for the next deadline.
     */
    void onTimer(ServletTimer fired) {
        if (armed == null || !armed.getId().equals(fired.getId())) {
            return; // replaced by an earlier one after the container had queued it
        }
        armed = null;
        long now = SteadyClock.millis();
        firing = true; // timers the handling starts are armed once, after the loop
        try {
            for (CallTimer timer : deadlines.due(now)) {
                if (deadlines.take(timer, now)) { // not cancelled or restarted by the one before
                    guarded("the " + timer + " timer", () -> call.onTimer(timer));
                }
            }
        } finally {
            firing = false;
            arm(); // whatever a handling threw, the call's other timers stay armed
        }
    }

    /**
     * Runs an event's handling; whatever it throws ends the call cleanly ({@link Call#failed})
     * instead of escaping onto the container's thread with a party left waiting.
     */
    private void guarded(String event, Runnable handling) {
        try {
            handling.run();
        } catch (RuntimeException e) {
            call.failed(event, e);
        }
    }

    /** The container destroyed the call's application session. */
    void onReaped() {
        call.onReaped();
    }

    CallState state() {
        return call.state();
    }

    /** Which leg {@code session} is: the caller's, the connected callee's, or (null) a dialog the call does not keep. */
    private Leg legOf(SipSession session) {
        String sessionId = session.getId();
        if (sessionId.equals(callerInvite.getSession().getId())) {
            return Leg.CALLER;
        }
        return calleeSession != null && sessionId.equals(calleeSession.getId()) ? Leg.CALLEE : null;
    }

    private SipSession session(Leg leg) {
        return leg == Leg.CALLER ? callerInvite.getSession() : calleeSession;
    }

    private ReceivedRequest received(SipServletRequest request) {
        return new ReceivedRequest() {
            @Override
            public byte[] body() {
                return bodyOf(request);
            }

            @Override
            public void answer(Reply reply) {
                if (!request.isCommitted()) {
                    send(request.createResponse(reply.status(), reply.reasonPhrase()), reply);
                }
            }
        };
    }

    // ---- commands: the call's wishes in SIP

    @Override
    public void respondToCaller(Reply reply) {
        if (!callerInvite.isCommitted()) {
            send(callerInvite.createResponse(reply.status(), reply.reasonPhrase()), reply);
        }
    }

    @Override
    public boolean callerHasFinalAnswer() {
        return callerInvite.isCommitted();
    }

    @Override
    public void connect(Reply ok, CalleeDialog answered) {
        SipServletResponse answer = ((Answered) answered).response();
        calleeSession = answer.getSession();
        CalleeFlow.settle(answer);
        unacknowledged.put(Leg.CALLEE, answer);
        callerInvite.getB2buaHelper().linkSipSessions(callerInvite.getSession(), calleeSession);
        respondToCaller(ok);
    }

    @Override
    public String inviteCallee(CallTarget target, OutgoingRequest request, CalleeAnswerListener listener)
            throws UnusableTarget {
        B2buaHelper helper = callerInvite.getB2buaHelper();
        SipServletRequest invite;
        try {
            invite = helper.createRequest(callerInvite, false, plan.fromTo());
            stripCopiedHeaders(invite);
            invite.setMaxForwards(callerInvite.getMaxForwards() - 1); // loop protection across the B2BUA
            invite.setRequestURI(sipFactory.createURI(target.requestUri()));
            OutboundRoutes.push(invite, sipFactory, target.path(), target.nextHop());
            if (target.path().isEmpty() && OutboundRoutes.proxy().isEmpty()) {
                CalleeFlow.remember(invite, target.nextHop());
            }
            fill(invite, request);
            ResponseHandler.send(invite, response -> guarded("a response to the INVITE", () -> listener.onReply(
                    replyOf(response), response.getStatus() >= 200 && response.getStatus() < 300 ? new Answered(response) : null)));
            services.ladder().sent(invite);
        } catch (TooManyHopsException | ServletParseException | ClassCastException | IOException | IllegalStateException e) {
            throw new UnusableTarget(target.label() + ": " + e, e);
        }
        calleeInvite = invite;
        return invite.getCallId();
    }

    @Override
    public void cancelCallee() {
        if (calleeInvite == null) {
            return; // no INVITE went out
        }
        try {
            SipServletRequest cancel = calleeInvite.createCancel();
            cancel.send();
            services.ladder().sent(cancel);
        } catch (IllegalStateException | IOException e) {
            // The target's final answer crossed the CANCEL; the call ends on that answer.
        }
    }

    @Override
    public void hangUp(CalleeDialog unwanted, ReplyListener listener) {
        SipServletResponse answer = ((Answered) unwanted).response();
        try {
            CalleeFlow.settle(answer);
            SipServletRequest ack = answer.createAck();
            CalleeFlow.follow(ack, sipFactory);
            ack.send();
            services.ladder().sent(ack);
        } catch (IOException | ServletParseException | IllegalStateException e) {
            LOG.log(Level.FINE, "ACK of an unwanted answer of call " + id + " not sent", e);
        }
        sendWithin(answer.getSession(), "BYE", OutgoingRequest.bye(null), listener);
    }

    @Override
    public boolean dialogAlive(Leg leg) {
        SipSession session = session(leg);
        return session != null && session.isValid();
    }

    @Override
    public void send(Leg leg, OutgoingRequest request, ReplyListener listener) {
        sendWithin(session(leg), leg + " " + request.method(), request, listener);
    }

    private void sendWithin(SipSession session, String what, OutgoingRequest request, ReplyListener listener) {
        if (session == null) {
            LOG.info(() -> what + " of call " + id + " not sent: the leg has no dialog");
            answerLocally(listener, what);
            return;
        }
        try {
            SipServletRequest out = session.createRequest(request.method());
            CalleeFlow.follow(out, sipFactory);
            fill(out, request);
            Leg leg = legOf(session);
            ResponseHandler.send(out, response -> {
                if (leg != null && "INVITE".equals(request.method()) && response.getStatus() >= 200
                        && response.getStatus() < 300) {
                    unacknowledged.put(leg, response);
                }
                guarded("a response to " + what, () -> listener.onReply(replyOf(response)));
            });
            services.ladder().sent(out);
        } catch (IOException | ServletParseException | IllegalStateException e) {
            LOG.log(Level.INFO, "{0} of call {1} not sent: {2}", new Object[] {what, id, e.toString()});
            answerLocally(listener, what);
        }
    }

    /** A request that could not be sent gets its final answer on the call's thread later, never within the command. */
    private void answerLocally(ReplyListener listener, String what) {
        try {
            timers.createTimer(callerInvite.getApplicationSession(), 0, false, new SessionResume.Continuation(
                    () -> guarded("the local answer to " + what, () -> listener.onReply(Reply.of(NOT_SENT_STATUS, "Not Sent"))),
                    what + " of call " + id));
        } catch (IllegalStateException invalidated) {
            // the call is over: nobody waits for the answer
        }
    }

    @Override
    public void ack(Leg leg, byte[] sdp) {
        SipServletResponse answer = unacknowledged.remove(leg);
        if (answer == null) {
            return;
        }
        try {
            SipServletRequest ack = answer.createAck();
            CalleeFlow.follow(ack, sipFactory);
            if (sdp != null && sdp.length > 0) {
                ack.setContent(sdp, OutgoingRequest.SDP);
            }
            ack.send();
            services.ladder().sent(ack);
        } catch (IOException | ServletParseException | IllegalStateException e) {
            LOG.log(Level.INFO, "ACK on the {0} leg of call {1} not sent: {2}", new Object[] {leg, id, e.toString()});
        }
    }

    @Override
    public void startTimer(CallTimer timer, Duration delay) {
        deadlines.start(timer, SteadyClock.millis(), delay.toMillis());
        arm();
    }

    @Override
    public void startRepeatingTimer(CallTimer timer, Duration period) {
        deadlines.startRepeating(timer, SteadyClock.millis(), period.toMillis());
        arm();
    }

    @Override
    public void cancelTimer(CallTimer timer) {
        deadlines.cancel(timer); // the armed container timer may fire for nothing: cheaper than re-arming
    }

    /** Arms the container timer at the earliest deadline when the armed one would fire too late (or none is). */
    private void arm() {
        long at = deadlines.toArm();
        if (firing || at == TimerDeadlines.NONE) {
            return;
        }
        ServletTimer previous = armed;
        try {
            long delay = Math.max(0, at - SteadyClock.millis());
            armed = timers.createTimer(callerInvite.getApplicationSession(), delay, false, CallTimers.DEADLINE);
            deadlines.armed(at);
        } catch (IllegalStateException invalidated) {
            armed = null; // the call's session is gone: nothing left to time
            deadlines.disarmed();
        }
        if (previous != null) {
            try {
                previous.cancel();
            } catch (IllegalStateException gone) {
                // fired, or invalidated with the session
            }
        }
    }

    @Override
    public void continueWhen(CompletionStage<?> work, Runnable step) {
        SessionResume.when(work, callerInvite.getApplicationSession(), timers, "call " + id, step);
    }

    @Override
    public void record(CallRecord record) {
        services.cdrs().record(record);
    }

    @Override
    public CompletionStage<Boolean> recordDurably(CallRecord record, Duration bound) {
        return services.cdrs().recordDurably(record, bound);
    }

    @Override
    public void setupOver() {
        admission.release();
    }

    @Override
    public void release() {
        services.liveCalls().remove(id);
        channel.release();
    }

    @Override
    public void invalidate() {
        deadlines.clear(); // the container timer goes with the session
        armed = null;
        SipApplicationSession session = callerInvite.getApplicationSession(false);
        if (session != null && session.isValid()) {
            session.invalidate();
        }
    }

    // ---- translation

    /** A party's response as the call reads it: status, phrase, the headers it reads, the body. */
    private static Reply replyOf(SipServletResponse response) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Call.RESPONSE_HEADERS_READ) {
            List<String> values = CarrierLegHeaders.values(response, name);
            if (!values.isEmpty()) {
                headers.put(name, values);
            }
        }
        return new Reply(response.getStatus(), response.getReasonPhrase(), headers, bodyOf(response),
                response.getContentType());
    }

    /** A message's body, or null for none or one the stack cannot give (then it is treated as absent). */
    private static byte[] bodyOf(SipServletMessage message) {
        try {
            byte[] body = message.getRawContent();
            return body == null || body.length == 0 ? null : body;
        } catch (IOException unreadable) {
            return null;
        }
    }

    private static void fill(SipServletRequest out, OutgoingRequest request) throws IOException {
        request.headers().forEach((name, values) -> {
            for (int i = 0; i < values.size(); i++) {
                if (i == 0) {
                    out.setHeader(name, values.get(i)); // replaces what the stack may have put there
                } else {
                    out.addHeader(name, values.get(i));
                }
            }
        });
        if (request.sdp() != null) {
            out.setContent(request.sdp(), OutgoingRequest.SDP);
        }
    }

    /** Sends {@code response} with {@code reply}'s headers and body; a transaction already over drops it. */
    private void send(SipServletResponse response, Reply reply) {
        try {
            reply.headers().forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
            if (reply.hasBody()) {
                response.setContent(reply.body(), reply.contentType() == null ? OutgoingRequest.SDP : reply.contentType());
            }
            response.send();
            services.ladder().sent(response);
        } catch (IOException | IllegalStateException e) {
            LOG.log(Level.FINE, "Response " + reply + " of call " + id + " not sent", e);
        }
    }

    /**
     * B2buaHelper copies every non-system header of the other leg's request; none of them is meant
     * for this leg (the customer's credentials, what each leg negotiates on its own, vendor
     * headers), so the request is stripped to what OpenTrunk sets itself (CallPlan).
     */
    private static void stripCopiedHeaders(SipServletRequest request) {
        List<String> names = new ArrayList<>();
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
}

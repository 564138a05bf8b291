package org.opentrunk.sip;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.servlet.sip.B2buaHelper;
import javax.servlet.sip.SipApplicationSession;
import javax.servlet.sip.SipServletMessage;
import javax.servlet.sip.SipServletRequest;
import javax.servlet.sip.SipServletResponse;
import javax.servlet.sip.SipSession;
import javax.servlet.sip.SipURI;
import javax.servlet.sip.TooManyHopsException;
import org.opentrunk.core.config.Carrier;
import org.opentrunk.core.config.Customer;

/**
 * One call through the B2BUA: the customer's leg (A, the INVITE OpenTrunk received) and the
 * carrier's leg (B, the INVITE OpenTrunk sent), linked by the container's {@link B2buaHelper}.
 * Every step of the call is a method here; it is kept as an attribute of the call's
 * {@link SipApplicationSession}, whose messages the container delivers one at a time, so the
 * state below needs no locking.
 *
 * <p>Session life cycle: a call ends in {@link #end()}, which invalidates the application
 * session (and with it both SIP sessions) once nothing more is expected: after the final
 * response of a failed INVITE has been relayed, or after the BYE sent to the second party has
 * been answered. Responses to the customer are always created from the customer's own INVITE
 * ({@link B2buaHelper#getLinkedSipServletRequest}), never with
 * {@code createResponseToOriginalRequest}, which leaves server transactions behind.
 */
final class Call {

    static final String ATTRIBUTE = "org.opentrunk.call";
    private static final Logger LOG = Logger.getLogger(Call.class.getName());

    enum State {
        /** INVITE sent to the carrier, no answer beyond 100 yet. */
        ROUTING,
        /** A provisional response (180/183) relayed to the customer. */
        EARLY,
        /** 2xx relayed: the call is up. */
        ANSWERED,
        /** BYE or CANCEL under way towards one party. */
        ENDING,
        /** Sessions invalidated. */
        ENDED
    }

    private final SipServletRequest customerInvite;
    private final Customer customer;
    private final Carrier carrier;
    private final LiveCalls liveCalls;
    private final String id;
    private final long startedAtMs = System.currentTimeMillis();
    private volatile long answeredAtMs;
    private volatile SipServletRequest carrierInvite;
    // volatile: read by the API's thread for the live-call list; written by the call's own thread
    private volatile State state = State.ROUTING;
    /** A 2xx to an INVITE waiting for its ACK, by the SipSession id of the leg it came from. */
    private final Map<String, SipServletResponse> awaitingAck = new HashMap<>(2);

    private Call(SipServletRequest customerInvite, Customer customer, Carrier carrier, LiveCalls liveCalls) {
        this.customerInvite = customerInvite;
        this.customer = customer;
        this.carrier = carrier;
        this.liveCalls = liveCalls;
        this.id = customerInvite.getApplicationSession().getId();
    }

    /** The call a message of an existing dialog belongs to, or null if there is none. */
    static Call of(SipServletMessage message) {
        SipApplicationSession session = message.getApplicationSession(false);
        return session == null || !session.isValid() ? null : (Call) session.getAttribute(ATTRIBUTE);
    }

    /** Creates the carrier leg for an authorised customer INVITE and sends it. */
    static Call start(SipServletRequest invite, Customer customer, Carrier carrier, SipURI target,
                      LiveCalls liveCalls) throws IOException {
        Call call = new Call(invite, customer, carrier, liveCalls);
        invite.getApplicationSession().setAttribute(ATTRIBUTE, call);
        liveCalls.add(call.id, call);
        call.sendToCarrier(target);
        return call;
    }

    private void sendToCarrier(SipURI target) throws IOException {
        B2buaHelper helper = customerInvite.getB2buaHelper();
        try {
            carrierInvite = helper.createRequest(customerInvite, true, null);
        } catch (TooManyHopsException e) {
            reject(483, "Too Many Hops");
            return;
        }
        carrierInvite.setRequestURI(target);
        try {
            ResponseHandler.send(carrierInvite, this::onCarrierInviteResponse);
        } catch (IOException | IllegalStateException e) {
            LOG.log(Level.INFO, "INVITE to carrier {0} failed: {1}", new Object[] {carrier.name(), e});
            reject(503, "Service Unavailable");
        }
    }

    /** Every response of the carrier to the initial INVITE. */
    private void onCarrierInviteResponse(SipServletResponse response) throws IOException {
        int status = response.getStatus();
        if (status == 100) {
            return; // hop by hop: the container already sent the customer its own 100
        }
        if (customerInvite.isCommitted()) {
            // The customer cancelled (the container answered 487) or the call is over.
            if (status >= 200 && status < 300) {
                hangUpAnsweredAfterCancel(response);
            } else if (status >= 300) {
                end();
            }
            return;
        }
        if (status < 200) {
            state = State.EARLY;
        } else if (status < 300) {
            state = State.ANSWERED;
            answeredAtMs = System.currentTimeMillis();
            awaitingAck.put(response.getSession().getId(), response);
        }
        relay(response);
        if (status >= 300) {
            end();
        }
    }

    /** A re-INVITE from either party goes to the other one; its answer comes back the same way. */
    void onReinvite(SipServletRequest reinvite) throws IOException {
        if (state != State.ANSWERED) {
            reinvite.createResponse(491, "Request Pending").send();
            return;
        }
        B2buaHelper helper = reinvite.getB2buaHelper();
        SipSession other = helper.getLinkedSession(reinvite.getSession());
        SipServletRequest forward = helper.createRequest(other, reinvite, null);
        ResponseHandler.send(forward, response -> {
            if (response.getStatus() >= 200 && response.getStatus() < 300) {
                awaitingAck.put(response.getSession().getId(), response);
            }
            relay(response);
        });
    }

    /** ACK for a 2xx: acknowledge the 2xx the other party sent, with the ACK's SDP if any. */
    void onAck(SipServletRequest ack) throws IOException {
        SipSession other = ack.getB2buaHelper().getLinkedSession(ack.getSession());
        SipServletResponse answer = other == null ? null : awaitingAck.remove(other.getId());
        if (answer == null) {
            return; // ACK of a non-2xx (absorbed by the transaction) or of a call already gone
        }
        SipServletRequest forward = answer.createAck();
        copyBody(ack, forward);
        forward.send();
    }

    /** BYE from either party: answer it, pass it on, end the call when the other side answers. */
    void onBye(SipServletRequest bye) throws IOException {
        bye.createResponse(200).send();
        if (state == State.ENDING || state == State.ENDED) {
            return; // both parties hung up at once: our BYE to this one is already under way
        }
        state = State.ENDING;
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
     * with 487; the carrier's INVITE is cancelled and the call ends on the carrier's final answer.
     */
    void onCancel() throws IOException {
        if (state != State.ROUTING && state != State.EARLY) {
            return;
        }
        state = State.ENDING;
        try {
            carrierInvite.createCancel().send();
        } catch (IllegalStateException e) {
            // The carrier's final answer crossed the CANCEL; onCarrierInviteResponse ends the call.
        }
    }

    /** The carrier answered after the customer had cancelled: acknowledge, then hang up on it. */
    private void hangUpAnsweredAfterCancel(SipServletResponse answer) throws IOException {
        answer.createAck().send();
        ResponseHandler.send(answer.getSession().createRequest("BYE"), response -> {
            if (response.getStatus() >= 200) {
                end();
            }
        });
    }

    /** Answers the customer's INVITE with an error and ends the call. */
    private void reject(int status, String reason) throws IOException {
        if (!customerInvite.isCommitted()) {
            customerInvite.createResponse(status, reason).send();
        }
        end();
    }

    /** Relays a response to the request it answers on the other leg. */
    private static void relay(SipServletResponse response) throws IOException {
        SipServletRequest original =
                response.getRequest().getB2buaHelper().getLinkedSipServletRequest(response.getRequest());
        if (original == null || original.isCommitted()) {
            return;
        }
        SipServletResponse out = original.createResponse(response.getStatus(), response.getReasonPhrase());
        copyBody(response, out);
        out.send();
    }

    private static void copyBody(SipServletMessage from, SipServletMessage to) throws IOException {
        byte[] body = from.getRawContent();
        if (body != null && body.length > 0) {
            to.setContent(body, from.getContentType());
        }
    }

    /** The call is over: release the container's sessions and timers. */
    void end() {
        state = State.ENDED;
        forget();
        SipApplicationSession session = customerInvite.getApplicationSession(false);
        if (session != null && session.isValid()) {
            session.invalidate();
        }
    }

    /** Leaves the live-call list (also when the container reaps the call's session). */
    void forget() {
        liveCalls.remove(id);
    }

    CallSummary summary() {
        SipServletRequest toCarrier = carrierInvite;
        return new CallSummary("outbound", customerInvite.getCallId(), toCarrier == null ? null : toCarrier.getCallId(),
                customer.id(), customer.name(), carrier.id(), carrier.name(), state.name().toLowerCase(java.util.Locale.ROOT),
                startedAtMs, answeredAtMs);
    }

    State state() {
        return state;
    }

    Customer customer() {
        return customer;
    }
}

package org.opentrunk.sip;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.servlet.sip.SipServletMessage;
import javax.servlet.sip.SipServletRequest;
import javax.servlet.sip.SipServletResponse;
import javax.servlet.sip.URI;
import org.opentrunk.ladder.CallLadders;
import org.opentrunk.ladder.LadderMessage;
import org.opentrunk.ladder.SecretMask;

/**
 * Hands the SIP messages of calls to the ladder ring ({@link CallLadders}, issue 26): each one
 * OpenTrunk receives ({@link TrunkServlet}) or sends (one line at each send of {@link SipCall}
 * and at the refusals). Only call methods: probes, registrations and the like are not a call's.
 * The message's text is taken once, after it was sent (so the container's Via is in it), and
 * masked ({@link SecretMask}). Nothing here may fail a call: a message that cannot be read is skipped.
 */
final class LadderTap {

    private static final Logger LOG = Logger.getLogger(LadderTap.class.getName());
    /** The methods of a call's messages (a response is a call's when its CSeq method is). */
    private static final Set<String> CALL_METHODS = Set.of("INVITE", "ACK", "BYE", "CANCEL", "PRACK", "UPDATE", "INFO");

    /** The request attribute with an initial INVITE's arrival time (epoch ms). */
    private static final String ARRIVAL = "org.opentrunk.ladder.arrival";

    private final CallLadders ring;

    LadderTap(CallLadders ring) {
        this.ring = ring;
    }

    /** Notes when an initial INVITE arrived: it is kept only once it is a call's ({@link #receivedInvite}). */
    static void arrived(SipServletRequest invite) {
        invite.setAttribute(ARRIVAL, System.currentTimeMillis());
    }

    /** A message OpenTrunk received. */
    void received(SipServletMessage message) {
        capture(message, false, System.currentTimeMillis());
    }

    /**
     * An initial INVITE that became a call or a refused attempt with a CDR, at the time it arrived.
     * Initial INVITEs are not kept on arrival: a flood of unauthenticated ones would push real
     * calls out of the ring.
     */
    void receivedInvite(SipServletRequest invite) {
        Object arrival = invite.getAttribute(ARRIVAL);
        capture(invite, false, arrival instanceof Long ms ? ms : System.currentTimeMillis());
    }

    /** A refused attempt that leaves a CDR: its INVITE, and the refusal just sent. */
    void refused(SipServletRequest invite, SipServletResponse refusal) {
        receivedInvite(invite);
        sent(refusal);
    }

    /** A message OpenTrunk sent (call after {@code send()}). */
    void sent(SipServletMessage message) {
        capture(message, true, System.currentTimeMillis());
    }

    private void capture(SipServletMessage message, boolean outgoing, long timeMs) {
        if (!ring.limits().enabled() || message == null || !CALL_METHODS.contains(message.getMethod())) {
            return;
        }
        try {
            ring.add(message.getCallId(), new LadderMessage(ring.nextSequence(), timeMs, outgoing, peer(message, outgoing),
                    SecretMask.mask(message.toString(), name -> headerValues(message, name))));
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "A message was not kept for the ladder", e);
        }
    }

    /** A header's values, for the credential headers the container's toString() hides. */
    private static List<String> headerValues(SipServletMessage message, String name) {
        List<String> values = new ArrayList<>();
        message.getHeaders(name).forEachRemaining(values::add);
        return values;
    }

    /**
     * The other side: where a received message came from, where a response goes, or a sent
     * request's next hop. Behind a front, a request's sender is the real one (X-OT-Source).
     */
    private static String peer(SipServletMessage message, boolean outgoing) {
        if (!outgoing) {
            return message instanceof SipServletRequest request ? source(request)
                    : address(message.getRemoteAddr(), message.getRemotePort());
        }
        if (message instanceof SipServletResponse response) {
            SipServletRequest request = response.getRequest();
            return request == null ? null : source(request);
        }
        String remote = address(message.getRemoteAddr(), message.getRemotePort());
        if (remote != null) {
            return remote;
        }
        SipServletRequest request = (SipServletRequest) message;
        String route = request.getHeader("Route");
        if (route != null) {
            return route;
        }
        URI uri = request.getRequestURI();
        return uri == null ? null : uri.toString();
    }

    private static String source(SipServletRequest request) {
        org.opentrunk.core.front.RequestSource source = RequestSources.of(request);
        return source.address().isEmpty() ? null : address(source.address(), source.port());
    }

    private static String address(String host, int port) {
        if (host == null) {
            return null;
        }
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + (port > 0 ? ":" + port : "");
    }
}

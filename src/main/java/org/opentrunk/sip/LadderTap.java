package org.opentrunk.sip;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.servlet.sip.SipServletMessage;
import javax.servlet.sip.SipServletRequest;
import javax.servlet.sip.SipServletResponse;
import javax.servlet.sip.URI;
import org.opentrunk.hep.HepExport;
import org.opentrunk.hep.HepMessage;
import org.opentrunk.ladder.CallLadders;
import org.opentrunk.ladder.LadderMessage;
import org.opentrunk.ladder.SecretMask;

/**
 * Hands the SIP messages of calls to the ladder ring ({@link CallLadders}, issue 26): each one
 * OpenTrunk receives ({@link TrunkServlet}) or sends (one line at each send of {@link SipCall}
 * and at the refusals). Only call methods: probes, registrations and the like are not a call's.
 * The message's text is taken once, after it was sent (so the container's Via is in it), and
 * masked ({@link SecretMask}). Nothing here may fail a call: a message that cannot be read is skipped.
 * The same messages go to the HEP collector when one is set ({@link HepExport}, {@code OT_HEP_ADDRESS}),
 * queued without waiting.
 */
final class LadderTap {

    private static final Logger LOG = Logger.getLogger(LadderTap.class.getName());
    /** The methods of a call's messages (a response is a call's when its CSeq method is). */
    private static final Set<String> CALL_METHODS = Set.of("INVITE", "ACK", "BYE", "CANCEL", "PRACK", "UPDATE", "INFO");

    private static final java.util.regex.Pattern IPV4_LITERAL = java.util.regex.Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final java.util.regex.Pattern IPV6_LITERAL = java.util.regex.Pattern.compile("[0-9A-Fa-f:.]+");

    /** The request attribute with an initial INVITE's arrival time (epoch ms). */
    private static final String ARRIVAL = "org.opentrunk.ladder.arrival";

    private final CallLadders ring;
    private final HepExport hep;

    LadderTap(CallLadders ring, HepExport hep) {
        this.ring = ring;
        this.hep = hep;
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
        boolean keep = ring.limits().enabled();
        boolean export = hep.enabled();
        if (!(keep || export) || message == null || !CALL_METHODS.contains(message.getMethod())) {
            return;
        }
        try {
            String text = SecretMask.mask(message.toString(), name -> headerValues(message, name));
            String peer = peer(message, outgoing);
            if (keep) {
                ring.add(message.getCallId(), new LadderMessage(ring.nextSequence(), timeMs, outgoing, peer, text));
            }
            if (export) {
                exportHep(message, outgoing, timeMs, peer, text);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "A message was not kept for the ladder", e);
        }
    }

    private void exportHep(SipServletMessage message, boolean outgoing, long timeMs, String peer, String text) {
        try {
            hep.offer(hepMessage(message, outgoing, timeMs, peer, text));
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "A message was not exported over HEP", e);
        }
    }

    /**
     * The message's addresses for HEP: a received one came from its remote address to its local
     * one; a sent one goes the other way (a response to where its request came from). A sent
     * request's next hop is taken from its peer text only when that is an IP literal: no name is
     * resolved on a SIP thread. Unknown addresses are sent as 0.0.0.0:0.
     */
    private static HepMessage hepMessage(SipServletMessage message, boolean outgoing, long timeMs, String peer, String text) {
        SipServletMessage addressed = message;
        if (outgoing && message instanceof SipServletResponse response && response.getRequest() != null) {
            addressed = response.getRequest(); // its remote side is where the response goes, its local side ours
        }
        InetAddress local = literal(addressed.getLocalAddr());
        int localPort = Math.max(addressed.getLocalPort(), 0);
        InetAddress remote = literal(addressed.getRemoteAddr());
        int remotePort = Math.max(addressed.getRemotePort(), 0);
        if (remote == null && outgoing && peer != null) {
            HostPort next = HostPort.of(peer);
            if (next != null) {
                remote = literal(next.host());
                remotePort = next.port();
            }
        }
        if (local == null && outgoing && message instanceof SipServletRequest) {
            // a request we send has no local address yet; the container's Via, added at send, names it
            HostPort via = viaSentBy(message.getHeader("Via"));
            if (via != null) {
                local = literal(via.host());
                localPort = via.port();
            }
        }
        String transport = addressed.getTransport();
        boolean tcp = transport != null && !"UDP".equalsIgnoreCase(transport);
        long micros = timeMs * 1_000L;
        return outgoing
                ? new HepMessage(local, localPort, remote, remotePort, tcp, micros, message.getCallId(), text)
                : new HepMessage(remote, remotePort, local, localPort, tcp, micros, message.getCallId(), text);
    }

    /** The address of an IP literal; null for null or a name (never looked up). */
    static InetAddress literal(String host) {
        if (host == null || host.isEmpty()) {
            return null;
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!IPV4_LITERAL.matcher(bare).matches() && !(bare.indexOf(':') >= 0 && IPV6_LITERAL.matcher(bare).matches())) {
            return null;
        }
        try {
            return InetAddress.getByName(bare); // a literal: parsed, not resolved
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** The sent-by of a Via value ({@code SIP/2.0/UDP host:port;branch=...}), or null. */
    static HostPort viaSentBy(String via) {
        if (via == null) {
            return null;
        }
        String value = via.trim();
        int space = value.indexOf(' ');
        if (space < 0) {
            return null;
        }
        int comma = value.indexOf(',');
        String sentBy = (comma > space ? value.substring(space + 1, comma) : value.substring(space + 1)).trim();
        return HostPort.of(sentBy);
    }

    /** Host and port of a sent request's peer text: a URI ({@code sip:host:port;params}), a Route, or host:port. */
    record HostPort(String host, int port) {
        static HostPort of(String peer) {
            String s = peer.trim();
            int lt = s.indexOf('<');
            if (lt >= 0) {
                int gt = s.indexOf('>', lt);
                s = gt > lt ? s.substring(lt + 1, gt) : s.substring(lt + 1);
            }
            if (s.regionMatches(true, 0, "sips:", 0, 5)) {
                s = s.substring(5);
            } else if (s.regionMatches(true, 0, "sip:", 0, 4)) {
                s = s.substring(4);
            }
            int at = s.indexOf('@');
            if (at >= 0) {
                s = s.substring(at + 1);
            }
            int end = 0;
            while (end < s.length() && ";?>".indexOf(s.charAt(end)) < 0) {
                end++;
            }
            s = s.substring(0, end);
            String host = s;
            int port = 0;
            if (s.startsWith("[")) {
                int close = s.indexOf(']');
                if (close < 0) {
                    return null;
                }
                host = s.substring(0, close + 1);
                if (s.length() > close + 2 && s.charAt(close + 1) == ':') {
                    port = parsePort(s.substring(close + 2));
                }
            } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
                host = s.substring(0, s.indexOf(':'));
                port = parsePort(s.substring(s.indexOf(':') + 1));
            }
            return host.isEmpty() ? null : new HostPort(host, port == 0 ? 5060 : port);
        }

        private static int parsePort(String text) {
            try {
                int port = Integer.parseInt(text);
                return port > 0 && port <= 65_535 ? port : 0;
            } catch (NumberFormatException e) {
                return 0;
            }
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

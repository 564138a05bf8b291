package org.opentrunk.call;

import java.util.List;
import java.util.Objects;
import org.opentrunk.core.config.Carrier;

/**
 * One place a call can be sent: a carrier (outbound) or one resolved route of a number (inbound,
 * IC-ROUTE). Targets are tried in order until one answers ({@link Attempts}).
 *
 * @param label      what the CDR and the live-call list say the call took: a carrier's name and
 *                   address, or a route's description
 * @param carrier    the carrier on outbound calls; null on inbound ones
 * @param requestUri the Request-URI of the INVITE, a full SIP URI
 * @param nextHop    a loose-route URI ({@code sip:addr:port;lr}) to send the INVITE to instead of
 *                   the Request-URI's host, e.g. the address a registered PBX behind NAT sent its
 *                   REGISTER from; null to send to the Request-URI
 * @param path       the Route set the INVITE is sent with, first entry first: the Path (RFC 3327)
 *                   a registered contact came through (the cluster's front), name-addr values;
 *                   empty for none. When present it replaces {@code nextHop} and the outbound proxy.
 */
public record CallTarget(String label, Carrier carrier, String requestUri, String nextHop, List<String> path) {

    public CallTarget {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(requestUri, "requestUri");
        path = path == null ? List.of() : List.copyOf(path);
    }

    /** A target without Path. */
    public CallTarget(String label, Carrier carrier, String requestUri, String nextHop) {
        this(label, carrier, requestUri, nextHop, List.of());
    }
}

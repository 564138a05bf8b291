package org.opentrunk.sip;

import java.util.List;
import java.util.Optional;
import javax.servlet.sip.ServletParseException;
import javax.servlet.sip.SipFactory;
import javax.servlet.sip.SipServletRequest;
import javax.servlet.sip.SipURI;
import org.opentrunk.core.front.OutboundProxy;

/**
 * The Route set of every initial request this node originates (issue 20): a Path it must follow
 * (RFC 3327, a contact registered through the front), else the target's own next hop under the
 * outbound proxy ({@code OT_OUTBOUND_PROXY}, the front) when one is set. JSR 289
 * {@code pushRoute} puts each route on top, so they are pushed last first.
 *
 * <p>The proxy is set once, when the SIP servlet starts ({@link #use}), before any request is
 * sent; a static because calls, probes and keepalives all need it and none should carry it.
 */
final class OutboundRoutes {

    private static volatile Optional<OutboundProxy> proxy = Optional.empty();

    private OutboundRoutes() {
    }

    static void use(Optional<OutboundProxy> outboundProxy) {
        proxy = outboundProxy;
    }

    static Optional<OutboundProxy> proxy() {
        return proxy;
    }

    /**
     * Pushes the routes of an initial request to a target: {@code path} (name-addr values, first
     * first) when not empty; otherwise {@code nextHop} (a loose-route URI, or null) under the
     * outbound proxy.
     */
    static void push(SipServletRequest request, SipFactory sipFactory, List<String> path, String nextHop)
            throws ServletParseException {
        if (!path.isEmpty()) {
            for (int i = path.size() - 1; i >= 0; i--) {
                request.pushRoute(sipFactory.createAddress(path.get(i)));
            }
            return;
        }
        if (nextHop != null) {
            request.pushRoute((SipURI) sipFactory.createURI(nextHop));
        }
        if (proxy.isPresent()) {
            request.pushRoute((SipURI) sipFactory.createURI(proxy.get().uri()));
        }
    }
}

package org.opentrunk.sip;

import javax.servlet.sip.SipServletRequest;
import org.opentrunk.core.config.Transport;
import org.opentrunk.core.front.RequestSource;
import org.opentrunk.core.front.SourceHeader;
import org.opentrunk.core.front.TrustedFronts;

/**
 * The real source of each received request ({@link RequestSource}): the trusted front's
 * X-OT-Source, or the container's remote address. Decided when the request arrives ({@link #note},
 * by {@link TrunkServlet#doRequest}) and read wherever the code decides on the sender ({@link #of}).
 * Nothing that decides on a sender reads {@code getRemoteAddr()} itself.
 *
 * <p>The trusted fronts are set once, when the SIP servlet starts ({@link #trust}); a static
 * because every request path needs them and none should carry them.
 */
final class RequestSources {

    private static final String ATTRIBUTE = "org.opentrunk.source";
    private static volatile TrustedFronts fronts = TrustedFronts.NONE;

    private RequestSources() {
    }

    /** The fronts whose X-OT-Source is believed (OT_TRUSTED_FRONTS). */
    static void trust(TrustedFronts trusted) {
        fronts = trusted;
    }

    /**
     * Decides the request's source and keeps it on the request. A request the container has
     * committed already (a CANCEL, answered by the container) cannot take attributes: its source
     * is decided again when asked.
     */
    static RequestSource note(SipServletRequest request) {
        RequestSource source = decide(request);
        if (!request.isCommitted()) {
            request.setAttribute(ATTRIBUTE, source);
        }
        return source;
    }

    /** The request's source: as {@link #note} decided it, or decided now. */
    static RequestSource of(SipServletRequest request) {
        if (request.getAttribute(ATTRIBUTE) instanceof RequestSource source) {
            return source;
        }
        return decide(request);
    }

    private static RequestSource decide(SipServletRequest request) {
        TrustedFronts trusted = fronts;
        return trusted.sourceOf(request.getRemoteAddr(), request.getRemotePort(), transportOf(request),
                trusted.isFront(request.getRemoteAddr()) ? request.getHeader(SourceHeader.NAME) : null);
    }

    private static Transport transportOf(SipServletRequest request) {
        return Transport.ofReceived(request.getTransport()); // UDP, TCP or TLS (IC-TLS)
    }
}

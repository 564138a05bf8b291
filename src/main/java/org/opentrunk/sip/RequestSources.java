package org.opentrunk.sip;

import javax.servlet.sip.SipServletRequest;
import org.opentrunk.core.config.Transport;
import org.opentrunk.core.front.RequestSource;
import org.opentrunk.core.front.SourceHeader;
import org.opentrunk.core.front.TrustedFronts;

/**
 * The real source of each received request ({@link RequestSource}), decided once when it arrives
 * ({@link #note}, by {@link TrunkServlet#doRequest}) and read wherever the code decides on the
 * sender ({@link #of}): the trusted front's X-OT-Source, or the container's remote address.
 * Nothing that decides on a sender reads {@code getRemoteAddr()} itself.
 */
final class RequestSources {

    private static final String ATTRIBUTE = "org.opentrunk.source";

    private RequestSources() {
    }

    /** Decides the request's source with {@code fronts} and keeps it on the request. */
    static RequestSource note(SipServletRequest request, TrustedFronts fronts) {
        RequestSource source = fronts.sourceOf(request.getRemoteAddr(), request.getRemotePort(),
                transportOf(request), fronts.isEmpty() ? null : request.getHeader(SourceHeader.NAME));
        request.setAttribute(ATTRIBUTE, source);
        return source;
    }

    /** The source {@link #note} decided; the container's view for a request never noted. */
    static RequestSource of(SipServletRequest request) {
        if (request.getAttribute(ATTRIBUTE) instanceof RequestSource source) {
            return source;
        }
        return TrustedFronts.NONE.sourceOf(request.getRemoteAddr(), request.getRemotePort(), transportOf(request), null);
    }

    private static Transport transportOf(SipServletRequest request) {
        return "TCP".equalsIgnoreCase(request.getTransport()) ? Transport.TCP : Transport.UDP;
    }
}

package org.opentrunk.sip;

import java.util.Map;
import javax.servlet.sip.SipServletRequest;
import org.opentrunk.core.sdp.CodecPolicy;
import org.opentrunk.core.sdp.FilterResult;
import org.opentrunk.core.sdp.MalformedSdpException;
import org.opentrunk.core.sdp.SessionDescription;

/**
 * The SDP offer of an initial INVITE, either direction, after codec policy: allowed codecs only
 * (IC-CODEC), media addresses untouched (IC-DIRECT). Parsed once, here.
 */
sealed interface ReceivedOffer {

    /** @param sdp the filtered offer, or null when the INVITE had none (a late offer) */
    record Accepted(SessionDescription sdp) implements ReceivedOffer {
    }

    /** Why the INVITE is refused: malformed SDP (400) or no allowed voice codec (488 with Warning). */
    record Refused(int status, String reason, Map<String, String> headers) implements ReceivedOffer {
    }

    static ReceivedOffer of(SipServletRequest invite, String trunkDomain) throws java.io.IOException {
        byte[] body = invite.getRawContent();
        if (body == null || body.length == 0) {
            return new Accepted(null);
        }
        FilterResult filtered;
        try {
            filtered = CodecPolicy.filterOffer(SessionDescription.parse(body));
        } catch (MalformedSdpException e) {
            return new Refused(400, "Bad Request (malformed SDP)", Map.of());
        }
        if (filtered instanceof FilterResult.Rejected no) {
            return new Refused(no.sipStatus(), no.reasonPhrase(), Map.of("Warning", no.warningHeaderValue(trunkDomain)));
        }
        return new Accepted(((FilterResult.Filtered) filtered).sdp());
    }
}

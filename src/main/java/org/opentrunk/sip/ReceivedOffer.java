package org.opentrunk.sip;

import java.util.Map;
import javax.servlet.sip.SipServletRequest;
import org.opentrunk.core.sdp.CodecPolicy;
import org.opentrunk.core.sdp.FilterResult;
import org.opentrunk.core.sdp.MalformedSdpException;
import org.opentrunk.core.sdp.SessionDescription;
import org.opentrunk.core.sdp.SrtpOffer;

/**
 * The SDP offer of an initial INVITE, either direction, after codec policy: allowed codecs only
 * (IC-CODEC), media addresses untouched (IC-DIRECT), SRTP crypto lines untouched (IC-SRTP).
 * Parsed once, here.
 */
sealed interface ReceivedOffer {

    /** @param sdp the filtered offer, or null when the INVITE had none (a late offer) */
    record Accepted(SessionDescription sdp) implements ReceivedOffer {
    }

    /** Why the INVITE is refused: malformed SDP (400) or no allowed voice codec (488 with Warning). */
    record Refused(int status, String reason, Map<String, String> headers) implements ReceivedOffer {
    }

    /**
     * @param requireSrtp the calling customer's {@code requireSrtp} (IC-SRTP): an offer that is not
     *                    SRTP with SDES keys, or no offer at all, is refused with 488
     */
    static ReceivedOffer of(SipServletRequest invite, String trunkDomain, boolean requireSrtp) throws java.io.IOException {
        byte[] body = invite.getRawContent();
        if (body == null || body.length == 0) {
            return requireSrtp ? refused(SrtpOffer.required(), trunkDomain) : new Accepted(null);
        }
        FilterResult filtered;
        try {
            SessionDescription offer = SessionDescription.parse(body);
            if (requireSrtp && !SrtpOffer.isSdes(offer)) {
                return refused(SrtpOffer.required(), trunkDomain);
            }
            if (SrtpOffer.carriesKeys(offer)) {
                SdesInClear.check(invite);
            }
            filtered = CodecPolicy.filterOffer(offer);
        } catch (MalformedSdpException e) {
            return new Refused(400, "Bad Request (malformed SDP)", Map.of());
        }
        if (filtered instanceof FilterResult.Rejected no) {
            return refused(no, trunkDomain);
        }
        return new Accepted(((FilterResult.Filtered) filtered).sdp());
    }

    private static Refused refused(FilterResult.Rejected no, String trunkDomain) {
        return new Refused(no.sipStatus(), no.reasonPhrase(), Map.of("Warning", no.warningHeaderValue(trunkDomain)));
    }
}

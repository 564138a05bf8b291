package org.opentrunk.call;

import org.opentrunk.core.sdp.CodecPolicy;
import org.opentrunk.core.sdp.FilterResult;
import org.opentrunk.core.sdp.SessionDescription;
import org.opentrunk.core.sdp.T38Policy;

/**
 * The SDP policy for offers in re-INVITEs from either party: a switch to fax (m=image udptl t38)
 * gets the T.38 parameters enforced (IC-FAX: 9600 bit/s, redundancy); any other offer is filtered
 * like an initial one (IC-CODEC). A refused offer is answered to its sender, the call stays up.
 */
public final class ReinviteOffers {

    /** The offer cannot go on; the rejection says what to answer. */
    public static final class RefusedOffer extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient FilterResult.Rejected rejection;

        RefusedOffer(FilterResult.Rejected rejection) {
            super(rejection.warnText());
            this.rejection = rejection;
        }

        public FilterResult.Rejected rejection() {
            return rejection;
        }
    }

    private ReinviteOffers() {
    }

    /** The offer as it goes on: the T.38 limits enforced, or filtered by the codec policy. */
    public static SessionDescription apply(SessionDescription offer) throws RefusedOffer {
        if (T38Policy.isT38Offer(offer)) {
            return T38Policy.enforce(offer);
        }
        FilterResult result = CodecPolicy.filterOffer(offer);
        if (result instanceof FilterResult.Rejected rejected) {
            throw new RefusedOffer(rejected);
        }
        return ((FilterResult.Filtered) result).sdp();
    }
}

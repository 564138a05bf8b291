package org.opentrunk.sip;

import java.util.List;
import javax.servlet.sip.SipServletRequest;
import org.opentrunk.core.cdr.CallDirection;
import org.opentrunk.core.cdr.CallRecord;
import org.opentrunk.core.cdr.DisconnectCause;
import org.opentrunk.core.headers.XTag;

/** The CDR of an attempt OpenTrunk turned down itself: every attempt leaves one (IC-CDR). */
final class RefusedAttempt {

    private RefusedAttempt() {
    }

    /**
     * @param invite     the INVITE received: the customer's outbound, the carrier's inbound
     * @param customerId the customer, when known
     * @param carrierId  the carrier an inbound call came from; null outbound
     * @param emergency  an emergency call (IC-EMERGENCY)
     */
    static CallRecord record(SipServletRequest invite, CallDirection direction, Long customerId, Long carrierId,
                             String callee, long startMs, int status, boolean emergency) {
        return builder(invite, direction, customerId, carrierId, callee, startMs, status, emergency).build();
    }

    /** {@link #record}'s builder, for a refusal that knows more (an inbound call's STIR/SHAKEN verification). */
    static CallRecord.Builder builder(SipServletRequest invite, CallDirection direction, Long customerId, Long carrierId,
                                      String callee, long startMs, int status, boolean emergency) {
        boolean outbound = direction == CallDirection.OUTBOUND;
        return CallRecord.builder()
                .direction(direction)
                .customerCallId(outbound ? invite.getCallId() : null)
                .carrierCallId(outbound ? null : invite.getCallId())
                .customerId(customerId)
                .carrierId(carrierId)
                .callee(callee)
                .startMs(startMs)
                .endMs(System.currentTimeMillis())
                .sipStatus(status)
                .disconnectCause(DisconnectCause.REFUSED)
                .emergency(emergency)
                .xTag(XTag.choose(CarrierLegHeaders.values(invite, XTag.HEADER), List.of()).map(XTag::value).orElse(null));
    }
}

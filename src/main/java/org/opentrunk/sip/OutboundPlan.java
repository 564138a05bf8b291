package org.opentrunk.sip;

import java.util.List;
import java.util.Map;
import org.opentrunk.core.config.Carrier;
import org.opentrunk.core.config.Customer;
import org.opentrunk.core.sdp.SessionDescription;
import org.opentrunk.core.timer.SessionTimerRules;

/**
 * Everything the call path decided about an authorised outbound INVITE before the first carrier
 * is tried: who calls whom, what the carrier leg carries, and where to try it.
 *
 * @param callee         the called number, {@code +} E.164 (IC-E164)
 * @param caller         the caller's number, {@code +} E.164, or null when unknown/anonymous
 * @param fromTo         From and To of the carrier leg (B2buaHelper takes them at creation)
 * @param carrierHeaders further headers of the carrier leg, by name (IC-CLI-OUT, IC-CHARGE, IC-DIVERSION ...)
 * @param offer          the SDP offer after codec policy (IC-CODEC), parsed once, or null for a late offer
 * @param carriers       in the order to try them (priority, weight, health)
 * @param inviteXTags    X-Tag values of the customer's INVITE, as received (IC-TAG)
 * @param customerTimer  the customer leg's session timer (IC-TIMER), agreed as UAS
 * @param customerSessionExpires Session-Expires for the 2xx to the customer, or null when it has no timer support
 */
record OutboundPlan(Customer customer, String callee, String caller, Map<String, List<String>> fromTo,
                    Map<String, List<String>> carrierHeaders, SessionDescription offer, List<Carrier> carriers,
                    List<String> inviteXTags, SessionTimerRules.LegTimer customerTimer,
                    String customerSessionExpires) {
}

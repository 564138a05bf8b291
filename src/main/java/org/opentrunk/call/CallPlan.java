package org.opentrunk.call;

import java.util.List;
import java.util.Map;
import org.opentrunk.core.cdr.CallDirection;
import org.opentrunk.core.config.Carrier;
import org.opentrunk.core.config.Customer;
import org.opentrunk.core.sdp.SessionDescription;
import org.opentrunk.core.timer.SessionTimerRules;

/**
 * Everything the call path decided about an admitted INVITE before the first target is tried:
 * who calls whom, what the outgoing (callee) leg carries, and where to try it. The caller's leg is
 * the INVITE OpenTrunk received: the customer's on outbound calls, the carrier's on inbound ones.
 *
 * @param direction      outbound (customer to carrier) or inbound (carrier to the customer's number)
 * @param customer       the customer: the caller on outbound calls, the number's owner on inbound ones
 * @param sourceCarrier  the carrier that sent an inbound call; null on outbound calls
 * @param callee         the called number, {@code +} E.164 (IC-E164), or an emergency short code
 * @param caller         the caller's number, {@code +} E.164, or null when unknown/anonymous
 * @param fromTo         From and To of the callee leg (B2buaHelper takes them at creation)
 * @param calleeHeaders  further headers of the callee leg, by name (identity, Diversion, P-Charge-Info ...)
 * @param offer          the SDP offer after codec policy (IC-CODEC), parsed once, or null for a late offer
 * @param targets        in the order to try them (carriers by priority, weight and health; routes by priority)
 * @param inviteXTags    X-Tag values of the received INVITE (IC-TAG)
 * @param callerTimer    the caller leg's session timer (IC-TIMER), agreed as UAS
 * @param callerSessionExpires Session-Expires for the 2xx to the caller, or null when it has no timer support
 * @param emergency      an emergency call (IC-EMERGENCY): {@code callee} is the short code, the CDR is marked
 * @param stir           STIR/SHAKEN (IC-STIR): the Identity for signing carriers, and the CDR's
 *                       attestation, verstat and origid
 */
public record CallPlan(CallDirection direction, Customer customer, Carrier sourceCarrier, String callee, String caller,
                Map<String, List<String>> fromTo, Map<String, List<String>> calleeHeaders, SessionDescription offer,
                List<CallTarget> targets, List<String> inviteXTags, SessionTimerRules.LegTimer callerTimer,
                String callerSessionExpires, boolean emergency, StirPlan stir) {
}

package org.opentrunk.sip;

import org.opentrunk.call.CallTarget;
import java.util.ArrayList;
import org.opentrunk.core.config.Carrier;
import org.opentrunk.core.config.Transport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.servlet.sip.SipServletRequest;
import org.opentrunk.core.callerid.CallerIdentity;
import org.opentrunk.core.callerid.CallerOwnership;
import org.opentrunk.core.config.Customer;
import org.opentrunk.core.callerid.IdentifiedCaller;
import org.opentrunk.core.callerid.IdentityHeaders;
import org.opentrunk.core.callerid.OutgoingIdentity;
import org.opentrunk.core.config.ConfigSnapshot;
import org.opentrunk.core.headers.HeaderPassThrough;
import org.opentrunk.core.headers.PassDirection;
import org.opentrunk.core.headers.RewrittenHeader;

/**
 * Builds what the carrier leg of an outbound call carries besides the request line and SDP: the
 * caller's identity (IC-CLI-OUT) with the stored CNAM name (IC-CNAM-OUT) and privacy, and the
 * headers that cross the B2BUA (IC-DIVERSION, IC-CHARGE; OLI/JIP ride on the identity, IC-OLI).
 * Adapts the container's request to the core's plain values.
 */
final class CarrierLegHeaders {

    /** From, To (given to B2buaHelper at creation) and the headers added afterwards. */
    record Built(Map<String, List<String>> fromTo, Map<String, List<String>> headers, String callerNumber) {
    }

    private CarrierLegHeaders() {
    }

    /**
     * The caller of a customer's INVITE (IC-CLI-OUT): PAI, else RPID, else From; numbers in the
     * national format of the customer's country read as E.164 (IC-COUNTRY).
     */
    static IdentifiedCaller caller(SipServletRequest invite, Customer customer) {
        return CallerIdentity.identify(new IdentityHeaders(values(invite, "P-Asserted-Identity"),
                values(invite, "Remote-Party-ID"), Optional.ofNullable(invite.getHeader("From")), values(invite, "Privacy")),
                customer.country());
    }

    /**
     * @param calledNumber the {@code +} E.164 number, or an emergency short code ({@code 911}),
     *                     which goes in the carrier's own format, without {@code user=phone}
     */
    static Built build(SipServletRequest invite, IdentifiedCaller caller, Customer customer, String calledNumber,
                       boolean emergency, ConfigSnapshot config, String trunkDomain) {
        // IC-CALLER-OWNER: a stored name goes out only with one of the calling customer's own numbers.
        Optional<String> storedName = CallerOwnership.storedName(customer, caller.number(), config);
        OutgoingIdentity identity = caller.toCarrier(trunkDomain, storedName);

        Map<String, List<String>> fromTo = Map.of(
                "From", List.of(identity.from()),
                "To", List.of("<sip:" + calledNumber + "@" + trunkDomain + (emergency ? "" : ";user=phone") + ">"));
        Map<String, List<String>> headers = new LinkedHashMap<>();
        identity.pAssertedIdentity().ifPresent(pai -> headers.put("P-Asserted-Identity", List.of(pai)));
        identity.privacy().ifPresent(privacy -> headers.put("Privacy", List.of(privacy)));
        for (String name : HeaderPassThrough.PASSED.get(PassDirection.CUSTOMER_TO_CARRIER)) {
            List<String> received = values(invite, name);
            if (!received.isEmpty()) {
                RewrittenHeader rewritten = HeaderPassThrough.rewrite(name, received, PassDirection.CUSTOMER_TO_CARRIER, trunkDomain);
                if (!rewritten.values().isEmpty()) {
                    headers.put(rewritten.name(), rewritten.values());
                }
            }
        }
        return new Built(fromTo, headers, caller.number().map(n -> n.value()).orElse(null));
    }

    /** A carrier as a target of an outbound call: the called number at the carrier's address. */
    static CallTarget target(Carrier carrier, String calledNumber) {
        String transport = carrier.transport().uriSuffix();
        String hostPort = carrier.host() + ":" + carrier.port();
        return new CallTarget(carrier.name() + " (" + hostPort + transport + ")", carrier,
                "sip:" + calledNumber + "@" + hostPort + transport, null);
    }

    static List<String> values(javax.servlet.sip.SipServletMessage request, String name) {
        List<String> values = new ArrayList<>();
        request.getHeaders(name).forEachRemaining(values::add);
        return values;
    }
}

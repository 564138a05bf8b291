package org.opentrunk.core.headers;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.opentrunk.core.address.AddressParseResult;
import org.opentrunk.core.address.AddressParser;
import org.opentrunk.core.address.SipAddress;
import org.opentrunk.core.address.SipUri;
import org.opentrunk.core.numbering.E164Number;

/**
 * {@code P-Charge-Info} (RFC 8496, IC-CHARGE): the number a customer's outbound call is billed to
 * when it differs from the caller ID shown, typically because the caller ID is a toll-free number.
 * It crosses only from customer to carrier; a carrier's billing number on an inbound call is
 * none of the customer's business (see {@link HeaderPassThrough}).
 *
 * <p>The first address with a valid E.164 number is sent as {@code <sip:+E164@trunk-domain;user=phone>}
 * and nothing else: {@code npi} and {@code noa} describe the numbering plan and nature of address
 * of the number as the customer wrote it, which after normalisation to E.164 they no longer
 * describe (a {@code noa=3}, national, next to a {@code +1...} number would contradict it). A value
 * without a valid number is dropped and noted, never forwarded (IC-E164); the call goes on and is
 * billed by its caller ID.
 */
public final class PChargeInfo {

    public static final String HEADER = "P-Charge-Info";

    private PChargeInfo() {
    }

    /**
     * The P-Charge-Info value to send, if any.
     *
     * @param values      the received header values
     * @param trunkDomain the trunk's SIP domain
     * @throws IllegalArgumentException when {@code trunkDomain} is not a host name or address
     */
    public static RewrittenHeader rewrite(List<String> values, String trunkDomain) {
        List<String> notes = new ArrayList<>();
        Optional<E164Number> chosen = Optional.empty();
        for (String value : values) {
            AddressParseResult parsed = AddressParser.parse(value);
            if (parsed instanceof AddressParseResult.Malformed malformed) {
                notes.add(HEADER + " dropped: " + malformed.detail());
                continue;
            }
            for (SipAddress address : parsed.addresses()) {
                if (chosen.isPresent()) {
                    notes.add(HEADER + " " + address.uri().render() + " dropped: only one billing number is sent");
                    continue;
                }
                chosen = NumberAddresses.numberOf(address, HEADER, notes);
            }
        }
        List<String> out = chosen.map(n -> List.of(SipAddress.of(SipUri.telephoneNumber(n, trunkDomain)).render()))
                .orElse(List.of());
        return new RewrittenHeader(HEADER, out, notes);
    }
}

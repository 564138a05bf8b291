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
 * {@code Diversion} (RFC 5806, IC-DIVERSION): the numbers a call was diverted from, newest first,
 * with the reasons. It passes in both directions; carriers use it to bill and to attest forwarded
 * calls, voicemail systems to pick the mailbox.
 *
 * <p>Each entry is rewritten to {@code <sip:+E164@trunk-domain;user=phone>} followed by its header
 * parameters exactly as received ({@code reason}, {@code counter}, {@code limit}, {@code privacy},
 * {@code screen} and any extension), one header line per entry, in the received order. The host
 * becomes the trunk's domain for the reason given in {@code IdentifiedCaller}: the sender's host
 * means nothing on the other leg and would reveal its network. Display names are dropped: they
 * are unchecked text from the other side, and no party routes or bills by them. An entry without a
 * valid E.164 number (an extension, a name) is dropped and noted, never forwarded (IC-E164); so
 * are entries beyond {@value #MAX_ENTRIES}.
 */
public final class Diversion {

    public static final String HEADER = "Diversion";

    /**
     * Most entries passed on. Each diversion adds one, so a longer chain means a forwarding loop or
     * a padded header; RFC 5806's own {@code limit} default is far lower in practice.
     */
    public static final int MAX_ENTRIES = 8;

    private Diversion() {
    }

    /**
     * The Diversion values to send.
     *
     * @param values      the received header values, one per header line, each possibly comma-separated
     * @param trunkDomain the trunk's SIP domain
     * @throws IllegalArgumentException when {@code trunkDomain} is not a host name or address
     */
    public static RewrittenHeader rewrite(List<String> values, String trunkDomain) {
        List<String> out = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (String value : values) {
            AddressParseResult parsed = AddressParser.parse(value);
            if (parsed instanceof AddressParseResult.Malformed malformed) {
                notes.add(HEADER + " dropped: " + malformed.detail());
                continue;
            }
            for (SipAddress entry : parsed.addresses()) {
                Optional<E164Number> number = NumberAddresses.numberOf(entry, HEADER, notes);
                if (number.isEmpty()) {
                    continue;
                }
                if (out.size() == MAX_ENTRIES) {
                    notes.add(HEADER + " entry for " + number.get() + " dropped: more than " + MAX_ENTRIES + " entries");
                    continue;
                }
                out.add(new SipAddress(Optional.empty(), SipUri.telephoneNumber(number.get(), trunkDomain),
                        entry.headerParameters()).render());
            }
        }
        return new RewrittenHeader(HEADER, out, notes);
    }
}

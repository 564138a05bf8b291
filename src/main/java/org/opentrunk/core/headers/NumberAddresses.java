package org.opentrunk.core.headers;

import java.util.List;
import java.util.Optional;
import org.opentrunk.core.address.LogText;
import org.opentrunk.core.address.SipAddress;
import org.opentrunk.core.numbering.E164Number;
import org.opentrunk.core.numbering.NumberParser;
import org.opentrunk.core.numbering.ParseResult;

/** The E.164 number an address names, for the headers that carry numbers besides the caller's. */
final class NumberAddresses {

    private NumberAddresses() {
    }

    /** The number in the user part of a sip/sips URI or of a tel URI; notes why when there is none. */
    static Optional<E164Number> numberOf(SipAddress address, String headerName, List<String> notes) {
        Optional<String> text = address.uri().userWithoutParameters();
        if (text.isEmpty()) {
            notes.add(headerName + " " + LogText.quote(address.render()) + " dropped: the URI has no user part");
            return Optional.empty();
        }
        ParseResult result = NumberParser.parse(text.get());
        if (result instanceof ParseResult.Rejected rejected) {
            notes.add(headerName + " " + LogText.quote(address.render()) + " dropped: " + rejected.detail());
        }
        return result.number();
    }
}

package org.opentrunk.core.registrar;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.opentrunk.core.address.AddressParseResult;
import org.opentrunk.core.address.AddressParser;
import org.opentrunk.core.address.SipAddress;
import org.opentrunk.core.address.SipUri;
import org.opentrunk.core.text.UntrustedText;

/**
 * Reads a REGISTER's Contact header values: {@code *}, {@code "Desk" <sip:100@192.0.2.5>;expires=60;q=0.5},
 * bare {@code sip:100@192.0.2.5;expires=60} (whose parameters belong to the header, RFC 3261
 * section 20), and several of them in one value, separated by commas outside quotes and angle
 * brackets. Each entry is read by {@link AddressParser}; this class adds {@code *} and the
 * registrar's parameters.
 */
final class ContactHeaderParser {

    /** Longest quote of peer input in a log detail. */
    static final int MAX_QUOTED = 120;

    private ContactHeaderParser() {
    }

    /** The entries of all values, in order; an empty list when there are none. */
    static List<ContactEntry> parse(List<String> values) throws RegisterRefusal {
        List<ContactEntry> entries = new ArrayList<>();
        for (String value : values) {
            for (String element : split(value)) {
                if (element.isBlank()) {
                    continue; // "a, , b" and a trailing comma: harmless, as AddressParser reads them
                }
                if (entries.size() == RegisterRequest.MAX_CONTACTS) {
                    throw new RegisterRefusal(RegisterProblem.TOO_MANY_CONTACTS,
                            "more than " + RegisterRequest.MAX_CONTACTS + " contacts");
                }
                entries.add(entry(element.strip()));
            }
        }
        return entries;
    }

    private static ContactEntry entry(String element) throws RegisterRefusal {
        if (element.equals("*")) {
            return new ContactEntry.Wildcard();
        }
        AddressParseResult parsed = AddressParser.parse(element);
        if (parsed instanceof AddressParseResult.Malformed malformed) {
            throw new RegisterRefusal(RegisterProblem.MALFORMED_CONTACT, "Contact " + malformed.detail());
        }
        SipAddress address = parsed.addresses().get(0);
        SipUri uri = address.uri();
        if (!ContactUris.isBindable(uri)) {
            throw new RegisterRefusal(RegisterProblem.UNSUPPORTED_CONTACT_SCHEME,
                    "Contact " + quote(element) + " is a " + uri.scheme() + ": URI");
        }
        if (uri.render().length() > Binding.MAX_CONTACT_URI_LENGTH) {
            throw new RegisterRefusal(RegisterProblem.MALFORMED_CONTACT,
                    "Contact URI longer than " + Binding.MAX_CONTACT_URI_LENGTH + " characters: " + quote(element));
        }
        Optional<QValue> q = Optional.empty();
        if (address.headerParameters().has("q")) {
            q = address.headerParameters().value("q").flatMap(QValue::parse);
            if (q.isEmpty()) {
                throw new RegisterRefusal(RegisterProblem.MALFORMED_CONTACT, "Contact " + quote(element)
                        + " has a q that is not 0 to 1 with at most three decimals");
            }
        }
        OptionalLong expires = address.headerParameters().value("expires")
                .map(DeltaSeconds::parse).orElse(OptionalLong.empty());
        return new RequestedContact(uri, expires, q);
    }

    /** Splits at commas outside quoted strings and angle brackets. */
    private static List<String> split(String value) throws RegisterRefusal {
        List<String> elements = new ArrayList<>();
        boolean inQuotes = false;
        boolean inAngle = false;
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (inQuotes) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inQuotes = false;
                }
            } else if (inAngle) {
                inAngle = c != '>';
            } else if (c == '"') {
                inQuotes = true;
            } else if (c == '<') {
                inAngle = true;
            } else if (c == ',') {
                elements.add(value.substring(start, i));
                start = i + 1;
            }
        }
        if (inQuotes || inAngle) {
            throw new RegisterRefusal(RegisterProblem.MALFORMED_CONTACT,
                    "Contact " + quote(value) + " has an unclosed " + (inQuotes ? "quote" : "'<'"));
        }
        elements.add(value.substring(start));
        return elements;
    }

    static String quote(String peerText) {
        return UntrustedText.quote(peerText, MAX_QUOTED);
    }
}

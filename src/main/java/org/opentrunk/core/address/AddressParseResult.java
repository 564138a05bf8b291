package org.opentrunk.core.address;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link AddressParser#parse} made of a header value: the {@link Parsed addresses} or why it
 * is {@link Malformed}. A result, not an exception, because garbage from a peer is ordinary input
 * on the SIP path (see {@code ParseResult} in the numbering package for the same reasoning).
 */
public sealed interface AddressParseResult permits AddressParseResult.Parsed, AddressParseResult.Malformed {

    /** The addresses, or an empty list when malformed. */
    default List<SipAddress> addresses() {
        return this instanceof Parsed parsed ? parsed.values() : List.of();
    }

    /** The first address, if the value parsed. */
    default Optional<SipAddress> first() {
        return addresses().stream().findFirst();
    }

    /** One or more addresses, in the order of the header value. */
    record Parsed(List<SipAddress> values) implements AddressParseResult {
        public Parsed {
            values = List.copyOf(values);
            if (values.isEmpty()) {
                throw new IllegalArgumentException("a parsed header value has at least one address");
            }
        }
    }

    /**
     * A refused header value.
     *
     * @param problem what is wrong
     * @param detail  a sentence for the log; the input is quoted with anything unprintable escaped
     */
    record Malformed(AddressProblem problem, String detail) implements AddressParseResult {
        public Malformed {
            Objects.requireNonNull(problem, "problem");
            Objects.requireNonNull(detail, "detail");
        }
    }
}

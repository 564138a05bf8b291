package org.opentrunk.core.headers;

import java.util.List;
import java.util.Objects;

/**
 * What OpenTrunk sends for one header on the other leg: zero or more values, one header line each,
 * and notes on what it dropped, for the log.
 *
 * @param name   the header name, long form
 * @param values the values to send; empty means send no such header
 * @param notes  what was dropped and why; never on the wire
 */
public record RewrittenHeader(String name, List<String> values, List<String> notes) {

    public RewrittenHeader {
        Objects.requireNonNull(name, "name");
        values = List.copyOf(values);
        notes = List.copyOf(notes);
    }
}

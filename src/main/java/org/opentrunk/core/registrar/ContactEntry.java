package org.opentrunk.core.registrar;

/** One entry of a REGISTER's Contact header: a contact to bind, or {@code *} (all of them). */
public sealed interface ContactEntry permits ContactEntry.Wildcard, RequestedContact {

    /** {@code Contact: *}, which with {@code Expires: 0} removes every binding (RFC 3261 section 10.2.2). */
    record Wildcard() implements ContactEntry {
    }
}

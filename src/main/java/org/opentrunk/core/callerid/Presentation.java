package org.opentrunk.core.callerid;

/** Whether the caller's number may be shown to the called party. */
public enum Presentation {
    /** A valid number, shown. */
    ALLOWED,
    /**
     * The caller asked for privacy (RFC 3323 {@code Privacy: id/header/user}, RPI
     * {@code privacy=full/uri}, an anonymous From). The number, if known, still goes to the
     * carrier in P-Asserted-Identity with {@code Privacy: id} (RFC 3325): the carrier needs it for
     * emergency calls, fraud tracing and STIR/SHAKEN, and withholds it from the called party.
     */
    RESTRICTED,
    /** No header carried a valid E.164 number, and no privacy was asked for. */
    UNAVAILABLE
}

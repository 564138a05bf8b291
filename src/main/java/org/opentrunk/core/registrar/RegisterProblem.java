package org.opentrunk.core.registrar;

/**
 * Why a REGISTER is refused, with the status and reason phrase it is answered with. All but the
 * last two are the registering UA's fault and get 400; the phrase names the fault so that whoever
 * reads the PBX's log can fix it without OpenTrunk's.
 */
public enum RegisterProblem {
    /** A Contact value that is not a list of name-addr / addr-spec entries, or one too long to keep. */
    MALFORMED_CONTACT(400, "Bad Request (Malformed Contact)"),
    /** More than {@link RegisterRequest#MAX_CONTACTS} contacts in one REGISTER. */
    TOO_MANY_CONTACTS(400, "Bad Request (Too Many Contacts)"),
    /** A {@code sips:} or {@code tel:} contact: OpenTrunk delivers calls over UDP and TCP to SIP URIs only. */
    UNSUPPORTED_CONTACT_SCHEME(400, "Bad Request (Contact Must Be A sip: URI)"),
    /** A Call-ID that is missing, too long, or has spaces or control characters. */
    MALFORMED_CALL_ID(400, "Bad Request (Malformed Call-ID)"),
    /** A CSeq that is missing, out of range, or for another method. */
    MALFORMED_CSEQ(400, "Bad Request (Malformed CSeq)"),
    /** A source that is not an IPv4 address and port (IC-IPV4). */
    UNSUPPORTED_SOURCE(400, "Bad Request (IPv4 Only)"),
    /** A Path (RFC 3327) of more entries, or longer ones, than a binding keeps ({@link Binding#isPath}). */
    MALFORMED_PATH(400, "Bad Request (Unsupported Path)"),
    /** RFC 3261 section 10.3 step 6: {@code *} must be the only contact. */
    WILDCARD_WITH_OTHER_CONTACTS(400, "Bad Request (Wildcard Contact Must Be Alone)"),
    /** RFC 3261 section 10.3 step 6: {@code *} needs {@code Expires: 0}. */
    WILDCARD_WITHOUT_EXPIRES_ZERO(400, "Bad Request (Wildcard Contact Needs Expires: 0)"),
    /**
     * RFC 3261 section 10.3 step 7: a binding was last updated by this Call-ID with the same or a
     * higher CSeq, so this request is older than what is stored (reordered or replayed); nothing
     * of it is applied.
     */
    CSEQ_OUT_OF_ORDER(400, "Bad Request (CSeq Out Of Order)"),
    /**
     * The customer would have more than its maximum number of bindings. 403, not 503: it is the
     * account's limit, retrying cannot help, and a 503 would send a UA to its next registrar or
     * into a retry loop instead of showing the operator the cause.
     */
    TOO_MANY_BINDINGS(403, "Forbidden (Too Many Registered Contacts)"),
    /**
     * The registrar as a whole holds its maximum number of bindings. An overload of OpenTrunk, not
     * the customer's fault: 503, which a UA retries later (the SIP code may add Retry-After).
     */
    REGISTRATIONS_FULL(503, "Service Unavailable (Registrations Full)");

    private final int status;
    private final String reason;

    RegisterProblem(int status, String reason) {
        this.status = status;
        this.reason = reason;
    }

    /** The SIP status code of the answer. */
    public int status() {
        return status;
    }

    /** The reason phrase of the answer; fixed text, never peer input. */
    public String reason() {
        return reason;
    }
}

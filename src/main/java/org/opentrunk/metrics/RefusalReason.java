package org.opentrunk.metrics;

import java.util.Locale;

/**
 * Why OpenTrunk turned an INVITE down itself, as the {@code reason} label of the refusal counters.
 * The label values are stable: dashboards and alert rules name them.
 */
public enum RefusalReason {
    /** The customer's maxChannels, either direction. */
    CHANNEL_LIMIT,
    /** The customer's maxCps. */
    CALL_RATE_LIMIT,
    /** OT_MAX_INVITES_IN_PROGRESS or OT_MAX_INVITES_PER_SOURCE (503 before anyone is known). */
    OVERLOAD,
    /** The automatic per-country guard suspended the destination for the customer. */
    FRAUD_GUARD,
    /** The destination is on the block list. */
    BLOCKED_DESTINATION,
    /** The source address is blocked after repeated failed authentications. */
    BLOCKED_ADDRESS,
    /** A wrong digest password or a wrong or missing tech prefix. */
    AUTH,
    /** A caller ID the customer may not present (IC-CALLER-OWNER). */
    CALLER_ID,
    /** The customer's allowedPrefixes do not cover the destination. */
    DESTINATION_NOT_ALLOWED,
    /** An inbound INVITE from a carrier to a number not on this trunk (404). */
    UNKNOWN_NUMBER,
    /** An inbound INVITE over UDP from a carrier that sends over TCP or TLS only (issue 25). */
    CARRIER_TRANSPORT,
    /** An inbound INVITE over the carrier's maxInboundCps (issue 25). */
    CARRIER_RATE;

    /** The label value: the constant's name in lower case. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

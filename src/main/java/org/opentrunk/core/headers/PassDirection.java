package org.opentrunk.core.headers;

/** Which way a request crosses OpenTrunk. */
public enum PassDirection {
    /** An outbound call: from a customer's PBX to a carrier. */
    CUSTOMER_TO_CARRIER,
    /** An inbound (DID) call: from a carrier to a customer's PBX. */
    CARRIER_TO_CUSTOMER
}

package org.opentrunk.call;

import java.util.List;
import java.util.Map;

/**
 * A request the call sends on a leg: its method, the headers the call sets (the adapter adds what
 * the SIP stack owns: Via, From, To, Call-ID, CSeq, Contact, Route), and an SDP body or none.
 *
 * @param method  INVITE (the first one to a target, a refresh, a relayed re-INVITE) or BYE
 * @param headers header values by name
 * @param sdp     the SDP body, or null
 */
public record OutgoingRequest(String method, Map<String, List<String>> headers, byte[] sdp) {

    /** The content type of every body the call sends. */
    public static final String SDP = "application/sdp";

    public OutgoingRequest {
        headers = Map.copyOf(headers);
        if (sdp != null && sdp.length == 0) {
            sdp = null;
        }
    }

    /** A BYE with a Reason header (RFC 3326), or without when {@code reason} is null. */
    public static OutgoingRequest bye(String reason) {
        return new OutgoingRequest("BYE", reason == null ? Map.of() : Map.of("Reason", List.of(reason)), null);
    }

    @Override
    public String toString() {
        return method + " " + headers.keySet() + (sdp == null ? "" : " + SDP");
    }
}

package org.opentrunk.core.registrar;

import java.util.List;
import java.util.Objects;
import org.opentrunk.core.config.Transport;

/**
 * A REGISTER as the SIP servlet hands it over after authenticating it: header values as text,
 * exactly as the container reports them, and where it came from. Nothing is validated here;
 * {@link RegisterRequest#parse} reads it.
 *
 * @param customerId    the customer whose digest credentials the request carried
 * @param contactValues every Contact header value (a value may hold several contacts); empty for none
 * @param expires       the Expires header value, or null
 * @param callId        the Call-ID header value
 * @param cseq          the CSeq header value ({@code 12 REGISTER}) or just its number
 * @param sourceAddress the address the request came from (IPv4, or IPv4-mapped IPv6)
 * @param sourcePort    the port it came from
 * @param transport     the transport it came over
 * @param userAgent     the User-Agent header value, or null
 * @param nowMs         the time of the request (epoch milliseconds)
 * @param path          every Path header value (RFC 3327), in order; empty for none
 */
public record RegisterHeaders(long customerId, List<String> contactValues, String expires, String callId, String cseq,
                              String sourceAddress, int sourcePort, Transport transport, String userAgent, long nowMs,
                              List<String> path) {

    public RegisterHeaders {
        contactValues = contactValues == null ? List.of()
                : contactValues.stream().filter(Objects::nonNull).toList();
        Objects.requireNonNull(transport, "transport");
        path = path == null ? List.of() : path.stream().filter(Objects::nonNull).toList();
    }

    /** A REGISTER without Path. */
    public RegisterHeaders(long customerId, List<String> contactValues, String expires, String callId, String cseq,
                           String sourceAddress, int sourcePort, Transport transport, String userAgent, long nowMs) {
        this(customerId, contactValues, expires, callId, cseq, sourceAddress, sourcePort, transport, userAgent, nowMs, List.of());
    }
}

package org.opentrunk.core.routing.dns;

import java.util.Objects;
import org.opentrunk.core.config.Transport;

/**
 * One place found in DNS to send a call of an {@code srv} or {@code naptr} route to (IC-ROUTE):
 * an IPv4 address, port and transport, plus where in DNS it came from, for logs and the CDR.
 *
 * @param address   IPv4 address in dotted-quad text (IC-IPV4: never IPv6)
 * @param port      1 to 65535
 * @param transport UDP or TCP, as the SRV (or NAPTR) record said
 * @param origin    how the address was found, e.g.
 *                  {@code srv _sip._udp.example.test -> pbx1.example.test:5070}; cut to
 *                  {@link #MAX_ORIGIN_LENGTH} characters
 */
public record ResolvedTarget(String address, int port, Transport transport, String origin) {

    /**
     * Longest {@link #origin} kept: it goes into a CDR column. DNS names are up to 253
     * characters, and an origin names two or three of them.
     */
    public static final int MAX_ORIGIN_LENGTH = 512;

    public ResolvedTarget {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(origin, "origin");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1 to 65535, not " + port);
        }
        if (origin.length() > MAX_ORIGIN_LENGTH) {
            origin = origin.substring(0, MAX_ORIGIN_LENGTH);
        }
    }
}

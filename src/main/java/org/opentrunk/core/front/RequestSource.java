package org.opentrunk.core.front;

import java.util.Objects;
import org.opentrunk.core.config.Transport;

/**
 * Where a request really came from: the address, port and transport of the carrier or PBX that
 * sent it, whether it reached this node directly or through a trusted front. Everything that
 * decides on the sender (carrier/customer classification, IP authentication, admission per
 * source, brute-force blocks, a registration's NAT address, the security log) uses this.
 *
 * @param address   IPv4 address, dotted quad (IC-IPV4), or what the container reported
 * @param port      1..65535, or 0 when the container did not say
 * @param transport UDP or TCP
 * @param viaFront  true when a trusted front named it (X-OT-Source), false when it is the
 *                  container's own view of the connection
 */
public record RequestSource(String address, int port, Transport transport, boolean viaFront) {

    public RequestSource {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(transport, "transport");
        if (port < 0 || port > SourceHeader.MAX_PORT) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** {@code address:port}, as logs and the ladder show a peer. */
    public String hostPort() {
        return port > 0 ? address + ":" + port : address;
    }
}

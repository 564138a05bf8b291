package org.opentrunk.core.config;

import java.util.Objects;

/**
 * An upstream PSTN gateway: where outbound calls go, and (by its host) how inbound DID calls
 * from it are recognised.
 *
 * @param priority lower is tried first
 * @param weight   share of calls among carriers of equal priority
 */
public record Carrier(long id, String name, String host, int port, Transport transport,
                      int priority, int weight, boolean enabled) {

    public static final int DEFAULT_SIP_PORT = 5060;

    public Carrier {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(transport, "transport");
    }
}

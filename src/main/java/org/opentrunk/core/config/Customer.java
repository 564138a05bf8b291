package org.opentrunk.core.config;

import java.util.Objects;
import java.util.Set;

/**
 * A customer that buys trunking: a PBX (or several) identified by its static IPv4 addresses.
 * The provisioning issue adds the tech prefix, digest credentials and limits.
 */
public record Customer(long id, String name, Set<String> ips) {

    public Customer {
        Objects.requireNonNull(name, "name");
        ips = Set.copyOf(ips);
    }
}

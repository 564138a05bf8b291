package org.opentrunk.core.config;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Which Request-URI hosts are OpenTrunk itself: the trunk's domain ({@code OT_SIP_DOMAIN}),
 * the host it listens on and this machine's own addresses. A request for any other host is a
 * relaying attempt and is refused rather than forwarded.
 */
public final class LocalIdentity {

    private final String domain;
    private final Set<String> addresses;

    /**
     * @param domain    the trunk's SIP domain
     * @param addresses the listening host and the machine's interface addresses (IPv4 literals)
     */
    public LocalIdentity(String domain, Set<String> addresses) {
        this.domain = Objects.requireNonNull(domain, "domain").toLowerCase(Locale.ROOT);
        this.addresses = Set.copyOf(addresses);
    }

    public String domain() {
        return domain;
    }

    public boolean isOurs(String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1); // a fully qualified name's trailing dot
        }
        return h.equals(domain) || h.equals("localhost") || addresses.contains(h);
    }
}

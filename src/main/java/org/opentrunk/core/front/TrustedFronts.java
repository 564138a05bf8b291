package org.opentrunk.core.front;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.opentrunk.core.config.Transport;

/**
 * The SIP fronts whose word on a request's source this node takes ({@code OT_TRUSTED_FRONTS}):
 * a request from one of these addresses is judged on the source its {@link SourceHeader} names;
 * from any other address the header is ignored and the request is judged on the address it came
 * from, so nobody but the operator's own front can claim an address. None by default: a single
 * node reached directly believes no header.
 */
public final class TrustedFronts {

    /** Room for a front per data centre and then some; a longer list is a mistake. */
    public static final int MAX_FRONTS = 64;
    public static final TrustedFronts NONE = new TrustedFronts(Set.of());

    private final Set<String> addresses;

    private TrustedFronts(Set<String> addresses) {
        this.addresses = Set.copyOf(addresses);
    }

    /**
     * Parses a comma-separated list of IPv4 addresses (blanks around commas allowed; empty = none).
     *
     * @throws IllegalArgumentException naming the first entry that is no IPv4 address
     */
    public static TrustedFronts parse(String list) {
        if (list == null || list.isBlank()) {
            return NONE;
        }
        Set<String> addresses = new LinkedHashSet<>();
        for (String entry : list.split(",", -1)) {
            String address = entry.trim();
            if (SourceHeader.parse(address + ":1").isEmpty()) {
                throw new IllegalArgumentException("\"" + address + "\" is no IPv4 address");
            }
            addresses.add(address);
        }
        if (addresses.size() > MAX_FRONTS) {
            throw new IllegalArgumentException("more than " + MAX_FRONTS + " addresses");
        }
        return new TrustedFronts(addresses);
    }

    public boolean isEmpty() {
        return addresses.isEmpty();
    }

    public boolean isFront(String remoteAddress) {
        return remoteAddress != null && addresses.contains(remoteAddress);
    }

    public Set<String> addresses() {
        return addresses;
    }

    /**
     * The real source of a request the container received from {@code remoteAddress}:
     * {@code remotePort} over {@code transport} with {@code sourceHeader} (null when absent): the
     * header's source when the request came from a trusted front and the header is well formed,
     * otherwise the container's view. A front's own request (its OPTIONS probe) has no header and
     * is the front's.
     */
    public RequestSource sourceOf(String remoteAddress, int remotePort, Transport transport, String sourceHeader) {
        if (isFront(remoteAddress)) {
            Optional<RequestSource> named = SourceHeader.parse(sourceHeader);
            if (named.isPresent()) {
                return named.get();
            }
        }
        return new RequestSource(remoteAddress == null ? "" : remoteAddress, Math.max(0, remotePort), transport, false);
    }

    @Override
    public String toString() {
        return addresses.isEmpty() ? "none" : String.join(",", addresses);
    }
}

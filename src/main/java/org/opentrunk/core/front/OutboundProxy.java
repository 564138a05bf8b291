package org.opentrunk.core.front;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The route every request this node originates takes ({@code OT_OUTBOUND_PROXY}): the front's
 * SIP URI, pushed as the top Route (RFC 3261 §8.1.2, loose routing) on carrier legs, DID route
 * legs, calls to registered contacts, keepalives and carrier probes, so carriers and PBXs only
 * ever see the front's address. None by default: a single node sends directly.
 *
 * @param uri the URI as pushed, always with {@code ;lr}
 */
public record OutboundProxy(String uri) {

    /** {@code sip:host[:port][;params]}, host an IPv4 address or a DNS name, no user part. */
    private static final Pattern SIP_URI = Pattern.compile(
            "sip:[A-Za-z0-9.-]+(:\\d{1,5})?(;[A-Za-z0-9_.!~*'()%+-]+(=[A-Za-z0-9_.!~*'()%+-]+)?)*");
    /** Room for a host name and parameters; a longer one is a mistake. */
    static final int MAX_LENGTH = 256;

    /**
     * Parses the setting: empty for none; a {@code sip:} URI without user part, {@code ;lr} added
     * when missing (the front is a loose router).
     *
     * @throws IllegalArgumentException when it is no such URI
     */
    public static Optional<OutboundProxy> parse(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String uri = value.trim();
        if (uri.length() > MAX_LENGTH || !SIP_URI.matcher(uri).matches()) {
            throw new IllegalArgumentException("not a sip: URI such as sip:10.0.0.10:5060;lr");
        }
        boolean loose = Pattern.compile(";lr(=[^;]*)?(;|$)").matcher(uri.toLowerCase(Locale.ROOT)).find();
        return Optional.of(new OutboundProxy(loose ? uri : uri + ";lr"));
    }
}

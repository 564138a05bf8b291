package org.opentrunk.core.config;

import java.util.Locale;

/** SIP transports OpenTrunk speaks: UDP and TCP over IPv4 (IC-IPV4), and TLS over TCP (IC-TLS). */
public enum Transport {
    UDP, TCP, TLS;

    /** Parses {@code udp}/{@code tcp}/{@code tls} in any case; anything else is refused. */
    public static Transport parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("transport must be udp, tcp or tls, not " + text, e);
        }
    }

    /**
     * The transport of a received message as the container names it ({@code UDP}, {@code TCP},
     * {@code TLS}); UDP for anything else (SIP's default).
     */
    public static Transport ofReceived(String containerName) {
        if (containerName == null) {
            return UDP;
        }
        return switch (containerName.trim().toUpperCase(Locale.ROOT)) {
            case "TCP" -> TCP;
            case "TLS" -> TLS;
            default -> UDP;
        };
    }

    /** The value of a SIP URI's {@code transport} parameter. */
    public String uriParameter() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * What a SIP URI for this transport ends with: nothing for UDP (the default), else
     * {@code ;transport=tcp} or {@code ;transport=tls}.
     */
    public String uriSuffix() {
        return this == UDP ? "" : ";transport=" + uriParameter();
    }

    /** Whether the signalling is encrypted on the wire (SDES keys may travel only then, RFC 4568 section 8.3). */
    public boolean encrypted() {
        return this == TLS;
    }
}

package org.opentrunk.core.config;

import java.util.Locale;

/** SIP transports OpenTrunk speaks (IC-IPV4: UDP and TCP over IPv4). */
public enum Transport {
    UDP, TCP;

    /** Parses {@code udp}/{@code tcp} in any case; anything else is refused. */
    public static Transport parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("transport must be udp or tcp, not " + text, e);
        }
    }

    /** The value of a SIP URI's {@code transport} parameter. */
    public String uriParameter() {
        return name().toLowerCase(Locale.ROOT);
    }
}

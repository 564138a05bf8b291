package org.opentrunk.core.config;

import java.util.Locale;

/** How a number's route names its target (IC-ROUTE). */
public enum RouteType {
    /** {@code host[:port][;transport=tcp]} */
    HOST,
    /** a full SIP URI */
    URI,
    /** the contacts the number's customer registered */
    REGISTRATION,
    /** a domain resolved with {@code _sip._udp}/{@code _sip._tcp} SRV records */
    SRV,
    /** a domain resolved per RFC 3263: NAPTR, then SRV, then A */
    NAPTR;

    /** The API's spelling: lower case. */
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RouteType parse(String text) {
        for (RouteType type : values()) {
            if (type.apiName().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return type;
            }
        }
        throw new IllegalArgumentException("route type must be one of host, uri, registration, srv, naptr");
    }
}

package org.opentrunk.core.routing.dns;

import java.util.Objects;
import org.opentrunk.core.config.Transport;

/**
 * An SRV name to look up and the transport its targets speak, e.g. {@code _sip._udp.example.test}
 * over UDP; chosen from NAPTR records or built from a domain.
 *
 * @param name   the SRV owner name, without the trailing dot
 * @param origin how the name was chosen, for {@link ResolvedTarget#origin()}: empty when it was
 *               built from the domain, else e.g. {@code naptr example.test SIP+D2U}
 */
public record SrvQuery(String name, Transport transport, String origin) {

    public SrvQuery {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(origin, "origin");
    }

    /**
     * {@code _sip._udp.<domain>} or {@code _sip._tcp.<domain>}: the names RFC 3263 section 4.1
     * queries when a domain has no NAPTR records.
     */
    public static SrvQuery forDomain(String domain, Transport transport) {
        return new SrvQuery("_sip._" + transport.uriParameter() + "." + domain, transport, "");
    }
}

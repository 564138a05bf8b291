package org.opentrunk.core.config;

import java.util.Objects;
import java.util.Optional;
import org.opentrunk.core.numbering.Country;

/**
 * An upstream PSTN gateway: where outbound calls go, and (by its host) how inbound DID calls
 * from it are recognised.
 *
 * @param priority  lower is tried first
 * @param weight    share of calls among carriers of equal priority
 * @param country   where it is: numbers it sends in national format are read so (IC-COUNTRY)
 * @param emergency it takes emergency calls, short code in the Request-URI (IC-EMERGENCY)
 * @param signing   outbound calls to it carry a signed STIR/SHAKEN Identity header (IC-STIR)
 * @param inbound   what is accepted of INVITEs from its address (transport, rate, CDRs of unknown numbers)
 */
public record Carrier(long id, String name, String host, int port, Transport transport,
                      int priority, int weight, boolean enabled, Optional<Country> country, boolean emergency,
                      boolean signing, CarrierInboundPolicy inbound) {

    public static final int DEFAULT_SIP_PORT = 5060;

    public Carrier {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(country, "country");
        Objects.requireNonNull(inbound, "inbound");
    }

    /** A carrier whose INVITEs are taken as before the inbound policy existed ({@link CarrierInboundPolicy#OPEN}). */
    public Carrier(long id, String name, String host, int port, Transport transport, int priority, int weight,
                   boolean enabled, Optional<Country> country, boolean emergency, boolean signing) {
        this(id, name, host, port, transport, priority, weight, enabled, country, emergency, signing, CarrierInboundPolicy.OPEN);
    }

    /** A carrier that does not ask for signed calls. */
    public Carrier(long id, String name, String host, int port, Transport transport, int priority, int weight,
                   boolean enabled, Optional<Country> country, boolean emergency) {
        this(id, name, host, port, transport, priority, weight, enabled, country, emergency, false);
    }

    /** A carrier without a country that takes no emergency calls (the defaults). */
    public Carrier(long id, String name, String host, int port, Transport transport, int priority, int weight,
                   boolean enabled) {
        this(id, name, host, port, transport, priority, weight, enabled, Optional.empty(), false, false);
    }
}

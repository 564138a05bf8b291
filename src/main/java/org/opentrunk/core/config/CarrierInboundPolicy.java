package org.opentrunk.core.config;

import java.util.Locale;
import java.util.Objects;

/**
 * What OpenTrunk accepts of INVITEs that come from a carrier's address (issue 25, spoofed carrier
 * INVITEs). A carrier is recognised by its source address alone, and over UDP anyone can write
 * that address: a spoofer's INVITEs to random numbers or to ringing DIDs would otherwise cost
 * set-up places, customers' channels and a CDR each. Over TCP or TLS the handshake proves the
 * address, so {@link InboundTransports#TCP_TLS} takes spoofing off the table for carriers that
 * can send so; a rate bounds what a spoofer (or a misbehaving carrier) can make the trunk do; and
 * INVITEs to numbers that are not on this trunk can be counted instead of each leaving a CDR.
 *
 * @param transports            over which transports its INVITEs are taken
 * @param maxInvitesPerSecond   new INVITEs per second taken from it (a token bucket of that many,
 *                              refilled at that rate); 0 = no limit
 * @param summariseUnknownNumbers INVITEs to numbers not on this trunk are counted (a log line a
 *                              minute, a metric) instead of one CDR each (an exception to IC-CDR
 *                              the operator chooses per carrier)
 */
public record CarrierInboundPolicy(InboundTransports transports, int maxInvitesPerSecond, boolean summariseUnknownNumbers) {

    /** The largest per-carrier rate that can be set: far above any trunk's capacity. */
    public static final int MAX_INVITES_PER_SECOND = 100_000;

    /** Everything as before the policy existed: any transport, no rate, a CDR for every attempt. */
    public static final CarrierInboundPolicy OPEN = new CarrierInboundPolicy(InboundTransports.ANY, 0, false);

    public CarrierInboundPolicy {
        Objects.requireNonNull(transports, "transports");
        if (maxInvitesPerSecond < 0 || maxInvitesPerSecond > MAX_INVITES_PER_SECOND) {
            throw new IllegalArgumentException("maxInvitesPerSecond must be 0 (no limit) to " + MAX_INVITES_PER_SECOND
                    + ", got " + maxInvitesPerSecond);
        }
    }

    /** Whether an INVITE that arrived over {@code transport} (the container's name: UDP, TCP, TLS) is taken. */
    public boolean accepts(String transport) {
        return transports == InboundTransports.ANY
                || "TCP".equalsIgnoreCase(transport) || "TLS".equalsIgnoreCase(transport);
    }

    /** Over which transports a carrier's INVITEs are taken; {@link #value()} is the API's and the database's form. */
    public enum InboundTransports {
        /** UDP, TCP and TLS. */
        ANY("any"),
        /** TCP and TLS only: an INVITE over UDP is refused with 403 before anything else is done. */
        TCP_TLS("tcp-tls");

        private final String value;

        InboundTransports(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }

        /** @throws IllegalArgumentException for anything but "any" and "tcp-tls" (any case) */
        public static InboundTransports parse(String text) {
            String wanted = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
            for (InboundTransports t : values()) {
                if (t.value.equals(wanted)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("must be \"any\" or \"tcp-tls\", got \"" + text + "\"");
        }
    }
}

package org.opentrunk.core.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.opentrunk.core.numbering.Country;

/**
 * A customer that buys trunking, as the call path sees it.
 *
 * @param ips             static IPv4 addresses its PBXs send from (IC-IPAUTH); other customers
 *                        may send from the same ones (IC-SHARED-IP)
 * @param techPrefix      the 8-digit prefix its IP-authenticated calls carry (IC-IPAUTH)
 * @param digest          SIP digest credentials, when it authenticates by password (IC-DIGEST)
 * @param maxChannels     concurrent calls allowed, both directions (0 = no calls)
 * @param maxCps          new calls per second allowed
 * @param anchorMedia     relay its media through OpenTrunk (IC-DIRECT)
 * @param allowedPrefixes E.164 prefixes it may call; empty = all
 * @param country         where it is: its caller IDs in national format are read so (IC-COUNTRY),
 *                        and its emergency short codes are that country's (IC-EMERGENCY)
 * @param callerIdPolicy  which caller numbers it may present (IC-CALLER-OWNER)
 * @param verifiedNumbers {@code +} E.164 numbers it may present besides its own numbers
 * @param maxCallSeconds  longest answered call, either direction, before OpenTrunk hangs it up;
 *                        {@link ProvisioningDefaults#NO_CALL_LIMIT} = none
 * @param origid          the origination identifier of its signed calls, a UUID stable per
 *                        customer (IC-STIR, ATIS-1000074 section 5.2.4)
 * @param requireSrtp     its offers must be SRTP (RTP/SAVP with a=crypto), others get 488 (IC-SRTP)
 */
public record Customer(long id, String name, Set<String> ips, String techPrefix,
                       Optional<DigestCredential> digest, int maxChannels, int maxCps,
                       boolean anchorMedia, List<String> allowedPrefixes, Optional<Country> country,
                       CallerIdPolicy callerIdPolicy, Set<String> verifiedNumbers, int maxCallSeconds,
                       String origid, boolean requireSrtp) {

    public Customer {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(techPrefix, "techPrefix");
        ips = Set.copyOf(ips);
        allowedPrefixes = List.copyOf(allowedPrefixes);
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(country, "country");
        Objects.requireNonNull(callerIdPolicy, "callerIdPolicy");
        verifiedNumbers = Set.copyOf(verifiedNumbers);
        Objects.requireNonNull(origid, "origid");
        if (maxCallSeconds < 0) {
            throw new IllegalArgumentException("maxCallSeconds must not be negative, got " + maxCallSeconds);
        }
    }

    /** A customer that does not require SRTP. */
    public Customer(long id, String name, Set<String> ips, String techPrefix,
                    Optional<DigestCredential> digest, int maxChannels, int maxCps,
                    boolean anchorMedia, List<String> allowedPrefixes, Optional<Country> country,
                    CallerIdPolicy callerIdPolicy, Set<String> verifiedNumbers, int maxCallSeconds,
                    String origid) {
        this(id, name, ips, techPrefix, digest, maxChannels, maxCps, anchorMedia, allowedPrefixes, country, callerIdPolicy,
                verifiedNumbers, maxCallSeconds, origid, false);
    }

    /**
     * A customer whose origid is derived from its id (tests, and rows the start-up has not given
     * one yet): stable, but only as unique as the ids.
     */
    public Customer(long id, String name, Set<String> ips, String techPrefix, Optional<DigestCredential> digest,
                    int maxChannels, int maxCps, boolean anchorMedia, List<String> allowedPrefixes, Optional<Country> country,
                    CallerIdPolicy callerIdPolicy, Set<String> verifiedNumbers, int maxCallSeconds) {
        this(id, name, ips, techPrefix, digest, maxChannels, maxCps, anchorMedia, allowedPrefixes, country, callerIdPolicy,
                verifiedNumbers, maxCallSeconds, derivedOrigid(id));
    }

    /** A name-based UUID (RFC 4122 version 3) of the customer id. */
    public static String derivedOrigid(long id) {
        return java.util.UUID.nameUUIDFromBytes(("opentrunk customer " + id).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString();
    }

    /** The call-duration limit in force, empty when there is none. */
    public Optional<java.time.Duration> maxCallDuration() {
        return maxCallSeconds == ProvisioningDefaults.NO_CALL_LIMIT ? Optional.empty()
                : Optional.of(java.time.Duration.ofSeconds(maxCallSeconds));
    }

    /** A customer without a country, presenting any caller ID, with the default call-duration limit. */
    public Customer(long id, String name, Set<String> ips, String techPrefix, Optional<DigestCredential> digest,
                    int maxChannels, int maxCps, boolean anchorMedia, List<String> allowedPrefixes) {
        this(id, name, ips, techPrefix, digest, maxChannels, maxCps, anchorMedia, allowedPrefixes, Optional.empty(),
                CallerIdPolicy.ANY, Set.of(), ProvisioningDefaults.MAX_CALL_SECONDS);
    }

    /** A customer identified by its addresses only, with default limits (tests, defaults). */
    public static Customer byIp(long id, String name, String techPrefix, Set<String> ips) {
        return new Customer(id, name, ips, techPrefix, Optional.empty(), ProvisioningDefaults.MAX_CHANNELS,
                ProvisioningDefaults.MAX_CPS, false, List.of());
    }
}

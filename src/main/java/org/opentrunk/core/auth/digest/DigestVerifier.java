package org.opentrunk.core.auth.digest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks digest credentials against a customer's stored HA1 (IC-DIGEST), with qop=auth per
 * RFC 2617 section 3.2.2.1 and RFC 7616 section 3.4.1:
 * <pre>
 *   HA2      = H(method ":" digest-uri)
 *   response = H(HA1 ":" nonce ":" nc ":" cnonce ":" qop ":" HA2)
 * </pre>
 *
 * <p>Every call does the same work up to the decision, whether the user exists or not: it
 * checks the nonce's MAC and computes the response, with a random stand-in HA1 when there is no
 * usable stored one, so that the time taken does not tell a peer which usernames exist. The
 * response is compared in constant time. Only a correct response to a valid nonce reaches the
 * replay memory, so garbage cannot fill it.
 *
 * <p>The digest-uri is not compared with the Request-URI here: SIP URI equivalence is the SIP
 * layer's business, and it may compare {@link DigestCredentials#uri()} itself.
 */
public final class DigestVerifier {

    /** The only quality of protection OpenTrunk offers. */
    public static final String QOP_AUTH = "auth";

    private static final HexFormat HEX = HexFormat.of();

    private final Nonces nonces;
    /** Stand-ins for a missing HA1, random so that no password can ever match them. */
    private final Map<DigestAlgorithm, Ha1> standIns = new EnumMap<>(DigestAlgorithm.class);

    public DigestVerifier(Nonces nonces) {
        this.nonces = Objects.requireNonNull(nonces, "nonces");
        SecureRandom random = new SecureRandom();
        for (DigestAlgorithm algorithm : DigestAlgorithm.values()) {
            byte[] bytes = new byte[algorithm.hexLength() / 2];
            random.nextBytes(bytes);
            standIns.put(algorithm, new Ha1(algorithm, HEX.formatHex(bytes)));
        }
    }

    /**
     * Verifies one request's credentials, without a share of the replay memory per sender (tests,
     * and callers that do not know the source; the SIP layer uses the other form).
     *
     * @param credentials   as parsed from the request
     * @param method        the request's method, e.g. {@code INVITE} (for ACK and CANCEL, RFC 3261
     *                      section 22.1 says which credentials apply; the caller passes the
     *                      method the client hashed)
     * @param storedHa1     the customer's HA1 for {@code credentials.username()} and
     *                      {@code credentials.algorithm()}; empty when there is no such user, or
     *                      no HA1 for that algorithm
     * @param expectedRealm this trunk's realm, the one its challenges carry
     */
    public DigestOutcome verify(DigestCredentials credentials, String method, Optional<Ha1> storedHa1,
                                String expectedRealm) {
        return verify(credentials, method, storedHa1, expectedRealm, null, false);
    }

    /**
     * {@link #verify(DigestCredentials, String, Optional, String)} for a request from
     * {@code sourceAddress}: the replay memory holds at most a share per customer and per address
     * ({@link DigestOutcome#REPLAY_SHARE_FULL}), so one sender cannot fill it for everyone.
     *
     * @param sourceAddress where the request came from
     */
    public DigestOutcome verify(DigestCredentials credentials, String method, Optional<Ha1> storedHa1,
                                String expectedRealm, String sourceAddress) {
        return verify(credentials, method, storedHa1, expectedRealm, Objects.requireNonNull(sourceAddress, "sourceAddress"),
                true);
    }

    private DigestOutcome verify(DigestCredentials credentials, String method, Optional<Ha1> storedHa1,
                                 String expectedRealm, String sourceAddress, boolean perSender) {
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(storedHa1, "storedHa1");
        Objects.requireNonNull(expectedRealm, "expectedRealm");

        // The same work whatever follows: nonce MAC, then response with the stored or a stand-in HA1.
        NonceValidity nonce = nonces.check(credentials.nonce(), expectedRealm);
        Optional<DigestAlgorithm> algorithm = credentials.algorithm();
        DigestAlgorithm hashWith = algorithm.orElse(DigestAlgorithm.SHA_256);
        Optional<Ha1> usable = storedHa1.filter(ha1 -> ha1.algorithm() == hashWith);
        String expected = expectedResponse(credentials, method, usable.orElse(standIns.get(hashWith)));
        boolean responseMatches = MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8),
                credentials.response().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));

        if (algorithm.isEmpty()) {
            return DigestOutcome.UNSUPPORTED_ALGORITHM;
        }
        if (credentials.qop().isEmpty()) {
            return DigestOutcome.NO_QOP;
        }
        if (!QOP_AUTH.equalsIgnoreCase(credentials.qop().get())) {
            return DigestOutcome.UNSUPPORTED_QOP;
        }
        if (!credentials.realm().equals(expectedRealm)) {
            return DigestOutcome.REALM_MISMATCH;
        }
        if (nonce == NonceValidity.INVALID) {
            return DigestOutcome.FORGED_NONCE;
        }
        if (storedHa1.isEmpty()) {
            return DigestOutcome.NO_SUCH_USER;
        }
        if (usable.isEmpty()) {
            return DigestOutcome.ALGORITHM_MISMATCH;
        }
        if (!responseMatches) {
            return DigestOutcome.WRONG_RESPONSE;
        }
        // stale=true promises the client its password was right, so only now.
        if (nonce == NonceValidity.STALE) {
            return DigestOutcome.STALE_NONCE;
        }
        return switch (nonces.recordUse(credentials.nonce(), credentials.nonceCount().getAsLong(),
                perSender ? credentials.username() : null, sourceAddress)) {
            case NEW_COUNT -> DigestOutcome.ACCEPTED;
            case REPLAYED -> DigestOutcome.REPLAYED_NONCE_COUNT;
            case EXPIRED -> DigestOutcome.STALE_NONCE;
            case MEMORY_FULL -> DigestOutcome.REPLAY_MEMORY_FULL;
            case SENDER_SHARE_FULL -> DigestOutcome.REPLAY_SHARE_FULL;
        };
    }

    /**
     * The response a client knowing {@code ha1} computes for these credentials, hashed with
     * {@code ha1}'s algorithm: the qop form when the credentials carry qop, otherwise the RFC 2069
     * form {@code H(HA1 ":" nonce ":" HA2)} (computed, never accepted). Also what a client needs.
     */
    public static String expectedResponse(DigestCredentials credentials, String method, Ha1 ha1) {
        DigestAlgorithm h = ha1.algorithm();
        String ha2 = h.hash(method + ":" + credentials.uri());
        if (credentials.qop().isEmpty()) {
            return h.hash(ha1.hex() + ":" + credentials.nonce() + ":" + ha2);
        }
        return h.hash(ha1.hex() + ":" + credentials.nonce() + ":" + credentials.nc().orElseThrow()
                + ":" + credentials.cnonce().orElseThrow() + ":" + credentials.qop().get() + ":" + ha2);
    }
}

package org.opentrunk.core.auth.digest;

import org.opentrunk.core.text.QuotedString;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * One digest challenge (IC-DIGEST), rendered as the value of a {@code Proxy-Authenticate} header
 * (407, for INVITE and other requests routed through the trunk) or a {@code WWW-Authenticate}
 * header (401, for REGISTER), RFC 3261 sections 22.2 and 22.3. It always asks for qop=auth: only
 * with it does the client send a cnonce and a nonce count, which the replay protection needs.
 *
 * @param realm  the protection realm, normally the trunk's SIP domain
 * @param nonce  from {@link Nonces#issue}
 * @param opaque a value the client echoes; OpenTrunk keeps all its state in the nonce and does not
 *               check it, but RFC 3261 section 22.4's examples carry one and some clients expect it
 * @param stale  true to tell the client its credentials were right but the nonce had expired, so
 *               it may retry with the new nonce without asking its user for the password again
 */
public record DigestChallenge(String realm, String nonce, String opaque, boolean stale) {

    private static final int OPAQUE_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    public DigestChallenge {
        requireHeaderSafe(realm, "realm");
        requireHeaderSafe(nonce, "nonce");
        requireHeaderSafe(opaque, "opaque");
    }

    /** A challenge with a fresh nonce for {@code realm}. */
    public static DigestChallenge issue(Nonces nonces, String realm, boolean stale) {
        byte[] opaque = new byte[OPAQUE_BYTES];
        RANDOM.nextBytes(opaque);
        return new DigestChallenge(realm, nonces.issue(realm),
                Base64.getUrlEncoder().withoutPadding().encodeToString(opaque), stale);
    }

    /**
     * The header values to send, one header per algorithm offered, in that order: the order of
     * preference (RFC 8760 section 2.4). All carry the same nonce.
     */
    public List<String> headerValues(List<DigestAlgorithm> algorithms) {
        return algorithms.stream().map(this::headerValue).toList();
    }

    /** The header value offering {@code algorithm}. */
    public String headerValue(DigestAlgorithm algorithm) {
        StringBuilder value = new StringBuilder(160)
                .append("Digest realm=").append(quoted(realm))
                .append(", nonce=").append(quoted(nonce))
                .append(", opaque=").append(quoted(opaque))
                .append(", algorithm=").append(algorithm.token())
                .append(", qop=\"auth\"");
        if (stale) {
            value.append(", stale=true");
        }
        return value.toString();
    }

    /** A quoted-string (RFC 3261 section 25.1): backslash before {@code "} and {@code \}. */
    static String quoted(String text) {
        return QuotedString.of(text);
    }

    /** No control characters: a CR or LF in a header value would let it inject headers. */
    private static void requireHeaderSafe(String text, String name) {
        Objects.requireNonNull(text, name);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                throw new IllegalArgumentException(name + " contains a control character at position " + i);
            }
        }
    }
}

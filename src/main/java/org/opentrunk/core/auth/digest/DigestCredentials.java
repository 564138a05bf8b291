package org.opentrunk.core.auth.digest;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The digest credentials a PBX sends in {@code Proxy-Authorization} or {@code Authorization}
 * (RFC 3261 section 22, RFC 2617 section 3.2.2), as written. Values are kept exactly as sent
 * because the response hash covers them byte for byte; interpretation is left to
 * {@link DigestVerifier}.
 *
 * @param username  the user, as the customer's digest username is stored
 * @param realm     the realm the client answered for
 * @param nonce     the nonce the client answered
 * @param uri       the digest-uri the client hashed (normally the Request-URI)
 * @param response  the request-digest, hex
 * @param algorithmToken the {@code algorithm} parameter, {@code MD5} when absent (RFC 2617's default)
 * @param qop       the quality of protection the client chose; absent in the RFC 2069 form
 * @param cnonce    the client nonce; present whenever qop is
 * @param nc        the nonce count, 8 hex digits, at least 1; present whenever qop is
 * @param opaque    echoed from the challenge, if the client did
 */
public record DigestCredentials(String username, String realm, String nonce, String uri, String response,
                                String algorithmToken, Optional<String> qop, Optional<String> cnonce,
                                Optional<String> nc, Optional<String> opaque) {

    /**
     * Longest header value parsed, in characters. Real credentials take 300 to 600; the limit
     * stops a peer from making every request parse kilobytes.
     */
    public static final int MAX_HEADER_LENGTH = 4096;
    /** RFC 2617: nc-value = 8LHEX. */
    public static final int NC_DIGITS = 8;

    public DigestCredentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(algorithmToken, "algorithmToken");
        Objects.requireNonNull(qop, "qop");
        Objects.requireNonNull(cnonce, "cnonce");
        Objects.requireNonNull(nc, "nc");
        Objects.requireNonNull(opaque, "opaque");
        if (qop.isPresent() && (cnonce.isEmpty() || nc.isEmpty())) {
            throw new IllegalArgumentException("qop requires cnonce and nc (RFC 2617 section 3.2.2)");
        }
        if (nc.isPresent()) {
            String count = nc.get();
            if (!Ha1.isHex(count, NC_DIGITS)) {
                throw new IllegalArgumentException("nc must be " + NC_DIGITS + " hex digits");
            }
            if (Long.parseLong(count, 16) == 0) {
                throw new IllegalArgumentException("nc starts at 00000001");
            }
        }
    }

    /**
     * Parses a header value. Whatever the input, this either returns credentials or throws
     * {@link MalformedCredentialsException}; no other exception escapes.
     *
     * @throws MalformedCredentialsException when the value is not digest credentials: null, too
     *         long, not the Digest scheme, bad syntax, a required parameter missing, a bad nc
     */
    public static DigestCredentials parse(String headerValue) throws MalformedCredentialsException {
        if (headerValue == null) {
            throw new MalformedCredentialsException("no credentials");
        }
        if (headerValue.length() > MAX_HEADER_LENGTH) {
            throw new MalformedCredentialsException("credentials of " + headerValue.length()
                    + " characters, more than the " + MAX_HEADER_LENGTH + " allowed");
        }
        Map<String, String> p = DigestParameters.parse(headerValue);
        try {
            return new DigestCredentials(required(p, "username"), required(p, "realm"),
                    required(p, "nonce"), required(p, "uri"), required(p, "response"),
                    p.getOrDefault("algorithm", DigestAlgorithm.MD5.token()),
                    Optional.ofNullable(p.get("qop")), Optional.ofNullable(p.get("cnonce")),
                    Optional.ofNullable(p.get("nc")), Optional.ofNullable(p.get("opaque")));
        } catch (IllegalArgumentException e) {
            throw new MalformedCredentialsException(e.getMessage());
        }
    }

    /** The algorithm to look the stored HA1 up for; empty when the client named one OpenTrunk does not offer. */
    public Optional<DigestAlgorithm> algorithm() {
        return DigestAlgorithm.fromToken(algorithmToken);
    }

    /** The nonce count as a number, when present. */
    public OptionalLong nonceCount() {
        return nc.map(count -> OptionalLong.of(Long.parseLong(count, 16))).orElseGet(OptionalLong::empty);
    }

    /**
     * These credentials as a header value that {@link #parse} reads back to an equal record: what
     * a client sends (test clients use it).
     */
    public String toHeaderValue() {
        StringBuilder value = new StringBuilder(300)
                .append("Digest username=").append(DigestChallenge.quoted(username))
                .append(", realm=").append(DigestChallenge.quoted(realm))
                .append(", nonce=").append(DigestChallenge.quoted(nonce))
                .append(", uri=").append(DigestChallenge.quoted(uri))
                .append(", response=").append(DigestChallenge.quoted(response))
                .append(", algorithm=").append(tokenOrQuoted(algorithmToken));
        cnonce.ifPresent(c -> value.append(", cnonce=").append(DigestChallenge.quoted(c)));
        opaque.ifPresent(o -> value.append(", opaque=").append(DigestChallenge.quoted(o)));
        qop.ifPresent(q -> value.append(", qop=").append(tokenOrQuoted(q)));
        nc.ifPresent(n -> value.append(", nc=").append(n));
        return value.toString();
    }

    private static String required(Map<String, String> parameters, String name) throws MalformedCredentialsException {
        String value = parameters.get(name);
        if (value == null) {
            throw new MalformedCredentialsException("the " + name + " parameter is missing");
        }
        return value;
    }

    /** algorithm and qop are tokens on the wire; a value that is not one can only be quoted. */
    private static String tokenOrQuoted(String value) {
        return DigestParameters.isToken(value) ? value : DigestChallenge.quoted(value);
    }
}

package org.opentrunk.core.auth.digest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The digest hash functions OpenTrunk accepts (IC-DIGEST). The {@code -sess} variants are not
 * offered: they exist so that a third party can compute HA1 per session, which SIP trunking does
 * not need, so a client naming one is treated like any unknown algorithm.
 */
public enum DigestAlgorithm {
    /** RFC 2617's default; still the only one many deployed PBXs answer. */
    MD5("MD5", "MD5", 32),
    /** RFC 7616 / RFC 8760; offered when the operator lists it ({@code OT_DIGEST_ALGORITHMS}). */
    SHA_256("SHA-256", "SHA-256", 64);

    /**
     * What challenges offer unless the operator chooses otherwise: MD5 alone. RFC 8760 section 2.4
     * has a client use the topmost challenge it supports and skip the others, but baresip 1.0
     * (Debian 12, libre 1.x) gives up on a SHA-256 challenge wherever it stands, first or second
     * ("Function not implemented", tested), so any SHA-256 header locks it out. Every client
     * answers MD5; operators whose PBXs all follow RFC 8760 can add SHA-256 (IC-DIGEST).
     */
    public static final List<DigestAlgorithm> DEFAULT_OFFER = List.of(MD5);

    private static final HexFormat HEX = HexFormat.of();

    private final String token;
    private final String jcaName;
    private final int hexLength;

    DigestAlgorithm(String token, String jcaName, int hexLength) {
        this.token = token;
        this.jcaName = jcaName;
        this.hexLength = hexLength;
    }

    /** The name as written in the {@code algorithm} parameter. */
    public String token() {
        return token;
    }

    /** Length of a digest of this algorithm in hex digits (HA1, HA2, response). */
    public int hexLength() {
        return hexLength;
    }

    /**
     * The algorithm a client named, case-insensitively (the RFCs make the token
     * case-insensitive and PBXs spell it both ways); empty for anything else, {@code null} included.
     */
    public static Optional<DigestAlgorithm> fromToken(String token) {
        if (token == null) {
            return Optional.empty();
        }
        String upper = token.toUpperCase(Locale.ROOT);
        for (DigestAlgorithm algorithm : values()) {
            if (algorithm.token.equals(upper)) {
                return Optional.of(algorithm);
            }
        }
        return Optional.empty();
    }

    /** H(text): the digest of the UTF-8 bytes of {@code text}, lowercase hex as the RFCs write it. */
    public String hash(String text) {
        return HEX.formatHex(newDigest().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(jcaName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(jcaName + " is part of every Java 17 runtime", e);
        }
    }
}

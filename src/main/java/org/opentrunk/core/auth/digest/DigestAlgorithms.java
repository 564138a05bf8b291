package org.opentrunk.core.auth.digest;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A list of digest algorithms in order of preference, as stored per customer and written in the
 * API: tokens separated by commas, e.g. {@code SHA-256,MD5} (IC-DIGEST, RFC 8760). Duplicates
 * are dropped; an empty list means "the trunk's default".
 */
public final class DigestAlgorithms {

    private DigestAlgorithms() {
    }

    /**
     * @param tokens comma-separated tokens, any case; null or blank reads as the empty list
     * @throws IllegalArgumentException naming the token that is no known algorithm
     */
    public static List<DigestAlgorithm> parse(String tokens) {
        if (tokens == null || tokens.isBlank()) {
            return List.of();
        }
        return parse(List.of(tokens.split(",")));
    }

    /** @throws IllegalArgumentException naming the token that is no known algorithm */
    public static List<DigestAlgorithm> parse(List<String> tokens) {
        List<DigestAlgorithm> algorithms = new ArrayList<>();
        for (String token : tokens) {
            DigestAlgorithm algorithm = DigestAlgorithm.fromToken(token == null ? null : token.strip())
                    .orElseThrow(() -> new IllegalArgumentException("'" + token + "' is not a digest algorithm: SHA-256 or MD5"));
            if (!algorithms.contains(algorithm)) {
                algorithms.add(algorithm);
            }
        }
        return List.copyOf(algorithms);
    }

    /** The stored form: tokens joined by commas; null for the empty list. */
    public static String format(List<DigestAlgorithm> algorithms) {
        return algorithms.isEmpty() ? null
                : algorithms.stream().map(DigestAlgorithm::token).collect(Collectors.joining(","));
    }
}

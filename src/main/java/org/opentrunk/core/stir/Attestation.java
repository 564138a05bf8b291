package org.opentrunk.core.stir;

import java.util.Optional;

/**
 * The attestation level of a SHAKEN PASSporT ({@code attest} claim, RFC 8588 section 4).
 */
public enum Attestation {
    /** Full: the customer is authenticated and the caller number is one it holds. */
    A,
    /** Partial: the customer is authenticated, but the number is not known to be its own. */
    B,
    /** Gateway: OpenTrunk only passes the call on and cannot say who originated it. */
    C;

    /** The level named by an {@code attest} claim, empty for anything else (RFC 8588 allows only A, B, C). */
    public static Optional<Attestation> parse(Object claim) {
        if (claim instanceof String text && text.length() == 1) {
            for (Attestation a : values()) {
                if (a.name().equals(text)) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }
}

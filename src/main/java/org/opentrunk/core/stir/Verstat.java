package org.opentrunk.core.stir;

import java.util.Optional;

/**
 * The verification result a terminating network gives the called party as the {@code verstat}
 * parameter of the From and P-Asserted-Identity URIs (3GPP TS 24.229 section 7.2A.20, ATIS-1000074
 * section 5.3.1).
 */
public enum Verstat {
    /** The Identity verified: signature, certificate chain, freshness and numbers. */
    PASSED("TN-Validation-Passed"),
    /** An Identity was there and did not verify. */
    FAILED("TN-Validation-Failed"),
    /** No Identity, or its verification could not be completed (certificate not fetched in time). */
    NO_VALIDATION("No-TN-Validation");

    private final String parameter;

    Verstat(String parameter) {
        this.parameter = parameter;
    }

    /** The value of the {@code verstat} URI parameter. */
    public String parameter() {
        return parameter;
    }

    /** The result named by a {@code verstat} value (CDR rows, journal lines); empty for anything else. */
    public static Optional<Verstat> parse(String text) {
        for (Verstat v : values()) {
            if (v.parameter.equals(text)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}

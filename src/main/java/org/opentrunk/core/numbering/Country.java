package org.opentrunk.core.numbering;

import java.util.Locale;
import java.util.Objects;

/**
 * The country a carrier or a customer is in (IC-COUNTRY), as an ISO 3166-1 alpha-2 code that
 * libphonenumber has a numbering plan for ({@code US}, {@code GB}, {@code DE} ...). It says how
 * that peer writes numbers in national format and which emergency short codes its users dial
 * (IC-EMERGENCY).
 *
 * @param code the upper-case ISO 3166-1 alpha-2 code
 */
public record Country(String code) {

    public Country {
        Objects.requireNonNull(code, "code");
        if (!LibPhoneNumber.UTIL.getSupportedRegions().contains(code)) {
            throw new IllegalArgumentException("'" + code + "' is not an ISO 3166-1 alpha-2 country code with a"
                    + " numbering plan (e.g. US, GB, DE)");
        }
    }

    /**
     * A country from user input, case-insensitive and trimmed.
     *
     * @throws IllegalArgumentException naming the value when it is not a known country code
     */
    public static Country of(String code) {
        return new Country(Objects.requireNonNull(code, "code").strip().toUpperCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return code;
    }
}

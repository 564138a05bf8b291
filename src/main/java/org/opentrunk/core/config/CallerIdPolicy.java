package org.opentrunk.core.config;

import java.util.Locale;

/**
 * Which caller numbers a customer may present on its outbound calls (IC-CALLER-OWNER).
 */
public enum CallerIdPolicy {
    /** Any valid number (the default: a PBX forwarding calls presents its callers' numbers). */
    ANY,
    /**
     * Only the customer's own numbers and its verified numbers; a call with any other caller
     * number, or with none, is refused 403.
     */
    OWN;

    /** The name used in the API and the database: {@code any}, {@code own}. */
    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static CallerIdPolicy parse(String token) {
        for (CallerIdPolicy policy : values()) {
            if (policy.token().equalsIgnoreCase(token == null ? "" : token.strip())) {
                return policy;
            }
        }
        throw new IllegalArgumentException("'" + token + "' is not a caller-ID policy: any or own");
    }
}

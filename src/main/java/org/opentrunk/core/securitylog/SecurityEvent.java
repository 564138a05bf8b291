package org.opentrunk.core.securitylog;

/**
 * The kinds of line in the security log ({@link SecurityLog}); {@link #token()} is what the line
 * carries after {@code event=}, part of the documented format (docs/security.md): never rename one.
 */
public enum SecurityEvent {
    /** A digest authentication that failed (wrong password, unknown user, forged or replayed nonce ...). */
    AUTH_FAILURE("auth_failure"),
    /** An address blocked by the brute-force guard (digest failures and tech-prefix misses). */
    BLOCK("block"),
    /** A wrong or missing tech prefix from a customer's address. */
    PREFIX_MISS("prefix_miss"),
    /** INVITEs refused by the admission guard (per-source rate, or too many in setup). */
    FLOOD_REFUSED("flood_refused"),
    /** A customer's calls to a country suspended by the fraud guard. */
    FRAUD_GUARD("fraud_guard"),
    /** Right credentials refused because the sender's share of the replay memory is full (503). */
    AUTH_OVERLOAD("auth_overload"),
    /** A wrong admin password (web login or HTTP basic). */
    ADMIN_AUTH_FAILURE("admin_auth_failure"),
    /** An address blocked from admin logins after too many wrong passwords. */
    ADMIN_BLOCK("admin_block");

    private final String token;

    SecurityEvent(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }
}

package org.opentrunk.core.auth.digest;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A customer's stored digest secret, HA1 = H(username ":" realm ":" password), per algorithm.
 * Storing HA1 rather than the password means a leaked table does not reveal the password (which
 * the customer may use elsewhere), but HA1 still <em>is</em> the credential for this realm: it is
 * all a client needs to answer challenges. Hence {@link #toString()} does not print it. Changing
 * the realm or the username invalidates it.
 *
 * @param algorithm the hash function the value was computed with
 * @param hex       the digest, lowercase hex
 */
public record Ha1(DigestAlgorithm algorithm, String hex) {

    public Ha1 {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(hex, "hex");
        hex = hex.toLowerCase(Locale.ROOT);
        if (!isHex(hex, algorithm.hexLength())) {
            // The value is a secret: say what is wrong with it, not what it is.
            throw new IllegalArgumentException("not a " + algorithm.token() + " HA1: expected "
                    + algorithm.hexLength() + " hex digits, got " + hex.length() + " characters");
        }
    }

    /** Computes HA1 from the plain password, e.g. when a customer's password is set. */
    public static Ha1 of(DigestAlgorithm algorithm, String username, String realm, String password) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(password, "password");
        return new Ha1(algorithm, algorithm.hash(username + ":" + realm + ":" + password));
    }

    /** HA1 for every supported algorithm, so a customer can answer whichever one the PBX picks. */
    public static Map<DigestAlgorithm, Ha1> forEveryAlgorithm(String username, String realm, String password) {
        Map<DigestAlgorithm, Ha1> all = new EnumMap<>(DigestAlgorithm.class);
        for (DigestAlgorithm algorithm : DigestAlgorithm.values()) {
            all.put(algorithm, of(algorithm, username, realm, password));
        }
        return all;
    }

    @Override
    public String toString() {
        return "Ha1[" + algorithm.token() + ", redacted]";
    }

    static boolean isHex(String text, int length) {
        if (text.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }
}

package org.opentrunk.core.config;

import java.util.Objects;

/**
 * A customer's SIP digest credential as stored: HA1 = H(username:realm:password) for MD5 and
 * SHA-256 (IC-DIGEST), so a database dump does not reveal the password.
 */
public record DigestCredential(String username, String realm, String ha1Md5, String ha1Sha256) {

    public DigestCredential {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(ha1Md5, "ha1Md5");
        Objects.requireNonNull(ha1Sha256, "ha1Sha256");
    }
}

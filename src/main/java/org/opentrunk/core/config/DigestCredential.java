package org.opentrunk.core.config;

import java.util.List;
import java.util.Objects;
import org.opentrunk.core.auth.digest.DigestAlgorithm;

/**
 * A customer's SIP digest credential as stored: HA1 = H(username:realm:password) for MD5 and
 * SHA-256 (IC-DIGEST), so a database dump does not reveal the password.
 *
 * @param algorithms the algorithms this customer is challenged with and may answer, in order of
 *                   preference; empty = the trunk's {@code OT_DIGEST_ALGORITHMS}
 */
public record DigestCredential(String username, String realm, String ha1Md5, String ha1Sha256,
                               List<DigestAlgorithm> algorithms) {

    public DigestCredential {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(ha1Md5, "ha1Md5");
        Objects.requireNonNull(ha1Sha256, "ha1Sha256");
        algorithms = List.copyOf(algorithms);
    }

    /** A credential using the trunk's default algorithms. */
    public DigestCredential(String username, String realm, String ha1Md5, String ha1Sha256) {
        this(username, realm, ha1Md5, ha1Sha256, List.of());
    }
}

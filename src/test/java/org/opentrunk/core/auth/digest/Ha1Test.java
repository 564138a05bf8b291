package org.opentrunk.core.auth.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** IC-DIGEST: the stored per-customer secret. */
@Tag("IC-DIGEST")
class Ha1Test {

    @Test
    void rfc2617Section3_5() {
        Ha1 ha1 = Ha1.of(DigestAlgorithm.MD5, "Mufasa", "testrealm@host.com", "Circle Of Life");
        assertEquals("939e7578ed9e3c518a452acee763bce9", ha1.hex());
        assertEquals(DigestAlgorithm.MD5, ha1.algorithm());
    }

    @Test
    void sha256IsHashOfUserRealmPassword() {
        Ha1 ha1 = Ha1.of(DigestAlgorithm.SHA_256, "alice", "trunk.example.net", "s3cret");
        assertEquals(TestDigestClient.hex("SHA-256", "alice:trunk.example.net:s3cret"), ha1.hex());
    }

    @Test
    void everyAlgorithmAtOnce() {
        Map<DigestAlgorithm, Ha1> all = Ha1.forEveryAlgorithm("alice", "r", "p");
        assertEquals(2, all.size());
        assertEquals(Ha1.of(DigestAlgorithm.MD5, "alice", "r", "p"), all.get(DigestAlgorithm.MD5));
        assertEquals(Ha1.of(DigestAlgorithm.SHA_256, "alice", "r", "p"), all.get(DigestAlgorithm.SHA_256));
    }

    @Test
    void storedValuesAreCheckedAndNormalised() {
        String upper = "939E7578ED9E3C518A452ACEE763BCE9";
        assertEquals(upper.toLowerCase(), new Ha1(DigestAlgorithm.MD5, upper).hex());
        assertThrows(IllegalArgumentException.class, () -> new Ha1(DigestAlgorithm.SHA_256, upper));
        assertThrows(IllegalArgumentException.class, () -> new Ha1(DigestAlgorithm.MD5, "939e7578ed9e3c518a452acee763bcez"));
        assertThrows(IllegalArgumentException.class, () -> new Ha1(DigestAlgorithm.MD5, ""));
        assertThrows(NullPointerException.class, () -> new Ha1(null, upper));
    }

    @Test
    void neitherToStringNorErrorsRevealTheSecret() {
        Ha1 ha1 = Ha1.of(DigestAlgorithm.MD5, "Mufasa", "testrealm@host.com", "Circle Of Life");
        assertFalse(ha1.toString().contains(ha1.hex()), ha1.toString());
        String message = assertThrows(IllegalArgumentException.class,
                () -> new Ha1(DigestAlgorithm.SHA_256, ha1.hex())).getMessage();
        assertFalse(message.contains(ha1.hex()), message);
    }
}

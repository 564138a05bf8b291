package org.opentrunk.core.auth.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** IC-DIGEST: 401/407 challenge values, one per algorithm offered, in order (RFC 8760). */
@Tag("IC-DIGEST")
class DigestChallengeTest {

    private static final List<DigestAlgorithm> SHA_256_FIRST = List.of(DigestAlgorithm.SHA_256, DigestAlgorithm.MD5);

    private final Nonces nonces = Nonces.withRandomSecret(new MutableClock(Instant.parse("2025-01-01T00:00:00Z")));

    @Test
    void exactFormat() {
        DigestChallenge challenge = new DigestChallenge("trunk.example.net", "abc", "xyz", false);
        assertEquals("Digest realm=\"trunk.example.net\", nonce=\"abc\", opaque=\"xyz\", algorithm=SHA-256, qop=\"auth\"",
                challenge.headerValue(DigestAlgorithm.SHA_256));
        assertEquals("Digest realm=\"trunk.example.net\", nonce=\"abc\", opaque=\"xyz\", algorithm=MD5, qop=\"auth\", stale=true",
                new DigestChallenge("trunk.example.net", "abc", "xyz", true).headerValue(DigestAlgorithm.MD5));
    }

    @Test
    void theOperatorMayOfferMd5Alone() {
        List<String> values = DigestChallenge.issue(nonces, "trunk.example.net", false)
                .headerValues(List.of(DigestAlgorithm.MD5));
        assertEquals(1, values.size());
        assertEquals("MD5", TestDigestClient.challengeParameters(values.get(0)).get("algorithm"));
    }

    @Test
    void twoHeadersSha256FirstWithTheSameNonce() {
        DigestChallenge challenge = DigestChallenge.issue(nonces, "trunk.example.net", false);
        List<String> values = challenge.headerValues(SHA_256_FIRST);
        assertEquals(2, values.size());
        Map<String, String> first = TestDigestClient.challengeParameters(values.get(0));
        Map<String, String> second = TestDigestClient.challengeParameters(values.get(1));
        assertEquals("SHA-256", first.get("algorithm"));
        assertEquals("MD5", second.get("algorithm"));
        assertEquals(first.get("nonce"), second.get("nonce"));
        assertEquals(first.get("opaque"), second.get("opaque"));
        assertEquals("auth", first.get("qop"));
        assertEquals("trunk.example.net", first.get("realm"));
        assertFalse(values.get(0).contains("stale"), values.get(0));
        assertEquals(NonceValidity.VALID, nonces.check(first.get("nonce"), "trunk.example.net"));
    }

    @Test
    void staleIsSignalledOnlyWhenAsked() {
        for (String value : DigestChallenge.issue(nonces, "r", true).headerValues(SHA_256_FIRST)) {
            assertTrue(value.endsWith(", stale=true"), value);
        }
    }

    @Test
    void everyChallengeHasItsOwnNonceAndOpaque() {
        DigestChallenge a = DigestChallenge.issue(nonces, "r", false);
        DigestChallenge b = DigestChallenge.issue(nonces, "r", false);
        assertNotEquals(a.nonce(), b.nonce());
        assertNotEquals(a.opaque(), b.opaque());
    }

    @Test
    void realmIsEscapedAndCannotInjectHeaders() {
        String value = new DigestChallenge("a \"quoted\" \\ realm", "n", "o", false).headerValue(DigestAlgorithm.MD5);
        assertTrue(value.startsWith("Digest realm=\"a \\\"quoted\\\" \\\\ realm\", "), value);
        assertEquals("a \"quoted\" \\ realm", TestDigestClient.challengeParameters(value).get("realm"));
        assertThrows(IllegalArgumentException.class, () -> new DigestChallenge("r\r\nVia: evil", "n", "o", false));
        assertThrows(NullPointerException.class, () -> new DigestChallenge(null, "n", "o", false));
    }
}

package org.opentrunk.core.auth.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** IC-DIGEST: MD5 and SHA-256 (RFC 8760), nothing else. */
@Tag("IC-DIGEST")
class DigestAlgorithmTest {

    @Test
    void tokensAreReadCaseInsensitively() {
        assertEquals(Optional.of(DigestAlgorithm.MD5), DigestAlgorithm.fromToken("MD5"));
        assertEquals(Optional.of(DigestAlgorithm.MD5), DigestAlgorithm.fromToken("md5"));
        assertEquals(Optional.of(DigestAlgorithm.SHA_256), DigestAlgorithm.fromToken("SHA-256"));
        assertEquals(Optional.of(DigestAlgorithm.SHA_256), DigestAlgorithm.fromToken("sha-256"));
        assertEquals("SHA-256", DigestAlgorithm.SHA_256.token());
        assertEquals("MD5", DigestAlgorithm.MD5.token());
    }

    @Test
    void sessVariantsAndEverythingElseAreUnknown() {
        for (String token : new String[] {"MD5-sess", "SHA-256-sess", "SHA-512-256", "SHA256", "SHA-1", "", " MD5", null}) {
            assertEquals(Optional.empty(), DigestAlgorithm.fromToken(token), String.valueOf(token));
        }
    }

    @Test
    void md5AloneIsOfferedByDefaultForClientsThatGiveUpOnSha256() {
        assertEquals(List.of(DigestAlgorithm.MD5), DigestAlgorithm.DEFAULT_OFFER);
    }

    @Test
    void hashesAreLowercaseHexOfTheUtf8Bytes() {
        // RFC 1321 and FIPS 180-2 test vectors.
        assertEquals("d41d8cd98f00b204e9800998ecf8427e", DigestAlgorithm.MD5.hash(""));
        assertEquals("900150983cd24fb0d6963f7d28e17f72", DigestAlgorithm.MD5.hash("abc"));
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                DigestAlgorithm.SHA_256.hash("abc"));
        assertEquals(DigestAlgorithm.MD5.hexLength(), DigestAlgorithm.MD5.hash("x").length());
        assertEquals(DigestAlgorithm.SHA_256.hexLength(), DigestAlgorithm.SHA_256.hash("x").length());
        assertEquals(TestDigestClient.hex("MD5", "Jürgen"), DigestAlgorithm.MD5.hash("Jürgen"));
    }
}

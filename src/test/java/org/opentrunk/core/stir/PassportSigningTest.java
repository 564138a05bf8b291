package org.opentrunk.core.stir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opentrunk.testing.StirPki;

/** IC-STIR: the PASSporT and Identity header OpenTrunk signs outbound calls with (RFC 8224, 8225, 8588). */
@Tag("IC-STIR")
class PassportSigningTest {

    static final String ORIGID = "123e4567-e89b-12d3-a456-426614174000";
    static final URI X5U = URI.create("https://cert.example.net/sti/cert.pem");
    final KeyPair keys = StirPki.p256();

    PassportSigner signer() throws Exception {
        return new PassportSigner(SigningKey.parse(StirPki.pem(keys.getPrivate())), X5U);
    }

    @Test
    void claimsAreCanonicalJsonWithLexicographicKeysAndANumericIat() {
        PassportClaims claims = new PassportClaims(Attestation.A, List.of("12025550100"), "12065550123", ORIGID, 1_700_000_000L);
        assertEquals("{\"attest\":\"A\",\"dest\":{\"tn\":[\"12025550100\"]},\"iat\":1700000000,"
                + "\"orig\":{\"tn\":\"12065550123\"},\"origid\":\"" + ORIGID + "\"}", claims.toJson());
    }

    @Test
    void claimsRefuseNonCanonicalNumbersAndANonUuidOrigid() {
        assertThrows(IllegalArgumentException.class,
                () -> new PassportClaims(Attestation.A, List.of("+12025550100"), "12065550123", ORIGID, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new PassportClaims(Attestation.A, List.of("12025550100"), "1206-555", ORIGID, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new PassportClaims(Attestation.A, List.of(), "12065550123", ORIGID, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new PassportClaims(Attestation.B, List.of("12025550100"), "12065550123", "customer-7", 1));
        assertEquals("12065550123", PassportClaims.canonical("+12065550123"));
    }

    @Test
    void signedPassportHasTheShakenHeaderAndVerifiesWithThePublicKey() throws Exception {
        PassportClaims claims = new PassportClaims(Attestation.B, List.of("12025550100"), "12065550123", ORIGID, 1_700_000_000L);
        String jws = signer().sign(claims);
        String[] parts = jws.split("\\.");
        assertEquals(3, parts.length);
        assertEquals("{\"alg\":\"ES256\",\"ppt\":\"shaken\",\"typ\":\"passport\",\"x5u\":\"" + X5U + "\"}",
                new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
        assertEquals(claims.toJson(), new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        JWSObject parsed = JWSObject.parse(jws);
        assertTrue(parsed.verify(new ECDSAVerifier((ECPublicKey) keys.getPublic())));
        // ES256 signatures are the 64-byte R||S form of RFC 7518 section 3.4, not DER
        assertEquals(64, Base64.getUrlDecoder().decode(parts[2]).length);
        Map<String, Object> payload = parsed.getPayload().toJSONObject();
        assertEquals(1_700_000_000L, ((Number) payload.get("iat")).longValue());
    }

    @Test
    void identityHeaderCarriesInfoAlgAndPpt() throws Exception {
        PassportClaims claims = new PassportClaims(Attestation.A, List.of("12025550100"), "12065550123", ORIGID, 1_700_000_000L);
        String header = signer().identityHeader(claims);
        assertTrue(header.endsWith(";info=<" + X5U + ">;alg=ES256;ppt=shaken"), header);
        IdentityHeader parsed = IdentityHeader.parse(header).orElseThrow();
        assertEquals(X5U.toString(), parsed.info());
        assertEquals("shaken", parsed.ppt().orElseThrow());
        assertEquals(3, parsed.jws().split("\\.").length);
    }

    @Test
    void keysAreReadAsPkcs8AndAsSec1AndOnlyOnP256() throws Exception {
        PassportClaims claims = new PassportClaims(Attestation.A, List.of("12025550100"), "12065550123", ORIGID, 1);
        String fromSec1 = new PassportSigner(SigningKey.parse(StirPki.sec1Pem(keys)), X5U).sign(claims);
        assertTrue(JWSObject.parse(fromSec1).verify(new ECDSAVerifier((ECPublicKey) keys.getPublic())));
        KeyPair p384 = StirPki.ecKey("secp384r1");
        assertThrows(InvalidStirKeyException.class, () -> SigningKey.parse(StirPki.pem(p384.getPrivate())));
        assertThrows(InvalidStirKeyException.class, () -> SigningKey.parse("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"));
    }

    @Test
    void theCertificateUrlMustBeHttps() {
        assertThrows(InvalidStirKeyException.class,
                () -> new PassportSigner(SigningKey.parse(StirPki.pem(keys.getPrivate())), URI.create("http://cert.example.net/c.pem")));
    }

    @Test
    void identityHeaderParametersInAnyOrderAndInfoWithSemicolons() {
        IdentityHeader h = IdentityHeader.parse("a.b.c ; ppt=\"shaken\";alg=ES256; info=<https://x.example/c;v=1>").orElseThrow();
        assertEquals("https://x.example/c;v=1", h.info());
        assertEquals("shaken", h.ppt().orElseThrow());
        assertTrue(IdentityHeader.parse("a.b.c;alg=ES256").isEmpty(), "no info: nothing to fetch");
        assertTrue(IdentityHeader.parse("notajws;info=<https://x.example/c>").isEmpty());
    }
}

package org.opentrunk.core.stir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opentrunk.testing.StirPki;

/**
 * IC-STIR: an inbound Identity verifies only with a chain to a trust anchor, a good signature, an
 * iat within 60 s and the call's own numbers (RFC 8224 section 6.2, ATIS-1000074 5.3).
 */
@Tag("IC-STIR")
class PassportVerifierTest {

    static final String ORIGID = "123e4567-e89b-12d3-a456-426614174000";
    static final URI X5U = URI.create("https://cert.example.net/sti/cert.pem");
    static final String CALLER = "+12065550123";
    static final String CALLEE = "+12025550100";
    static final StirPki.Issued CA = StirPki.root("Test STI-CA");
    static final StirPki.Issued SIGNER = StirPki.signer(CA, "Test SP");
    static final PassportVerifier VERIFIER = new PassportVerifier(Set.of(new TrustAnchor(CA.certificate(), null)));

    static String identity(StirPki.Issued by, Attestation attest, String caller, String callee, long iatSeconds) throws Exception {
        PassportSigner signer = new PassportSigner(SigningKey.parse(by.privateKeyPem()), X5U);
        return signer.identityHeader(new PassportClaims(attest, List.of(PassportClaims.canonical(callee)),
                PassportClaims.canonical(caller), ORIGID, iatSeconds));
    }

    static Verification verify(String identity, List<X509Certificate> chain, long nowMs) {
        PassportVerifier.Reading reading = PassportVerifier.read(List.of(identity));
        PassportVerifier.Read read = assertInstanceOf(PassportVerifier.Read.class, reading);
        return VERIFIER.verify(read, chain, Optional.of(CALLER), CALLEE, nowMs);
    }

    static long now() {
        return System.currentTimeMillis();
    }

    @Test
    void aFreshPassportForThisCallFromACertifiedSignerPasses() throws Exception {
        Verification v = verify(identity(SIGNER, Attestation.A, CALLER, CALLEE, now() / 1000),
                List.of(SIGNER.certificate(), CA.certificate()), now());
        assertEquals(Verstat.PASSED, v.verstat(), v.reason());
        assertEquals(Optional.of(Attestation.A), v.attestation());
        assertEquals(Optional.of(ORIGID), v.origid());
    }

    @Test
    void theChainMayOmitTheRoot() throws Exception {
        Verification v = verify(identity(SIGNER, Attestation.B, CALLER, CALLEE, now() / 1000), List.of(SIGNER.certificate()), now());
        assertEquals(Verstat.PASSED, v.verstat(), v.reason());
        assertEquals(Optional.of(Attestation.B), v.attestation());
    }

    @Test
    void iatMoreThanSixtySecondsEitherWayFails() throws Exception {
        long nowMs = now();
        assertEquals(Verstat.PASSED, verify(identity(SIGNER, Attestation.A, CALLER, CALLEE, nowMs / 1000 - 59),
                List.of(SIGNER.certificate()), nowMs).verstat());
        Verification stale = verify(identity(SIGNER, Attestation.A, CALLER, CALLEE, nowMs / 1000 - 61),
                List.of(SIGNER.certificate()), nowMs);
        assertEquals(Verstat.FAILED, stale.verstat());
        assertTrue(stale.reason().contains("iat"), stale.reason());
        assertEquals(Optional.of(Attestation.A), stale.attestation(), "what was claimed still goes on the CDR");
        assertEquals(Verstat.FAILED, verify(identity(SIGNER, Attestation.A, CALLER, CALLEE, nowMs / 1000 + 61),
                List.of(SIGNER.certificate()), nowMs).verstat());
    }

    @Test
    void anotherCalledOrCallingNumberFails() throws Exception {
        Verification dest = verify(identity(SIGNER, Attestation.A, CALLER, "+12025550199", now() / 1000),
                List.of(SIGNER.certificate()), now());
        assertEquals(Verstat.FAILED, dest.verstat());
        assertTrue(dest.reason().contains("dest.tn"), dest.reason());
        Verification orig = verify(identity(SIGNER, Attestation.A, "+12065550999", CALLEE, now() / 1000),
                List.of(SIGNER.certificate()), now());
        assertEquals(Verstat.FAILED, orig.verstat());
        assertTrue(orig.reason().contains("orig.tn"), orig.reason());
        PassportVerifier.Read read = (PassportVerifier.Read) PassportVerifier.read(
                List.of(identity(SIGNER, Attestation.A, CALLER, CALLEE, now() / 1000)));
        assertEquals(Verstat.FAILED, VERIFIER.verify(read, List.of(SIGNER.certificate()), Optional.empty(), CALLEE, now()).verstat(),
                "an anonymous caller matches no orig.tn");
    }

    @Test
    void aCertificateOutsideTheTrustAnchorsFails() throws Exception {
        StirPki.Issued otherCa = StirPki.root("Unknown CA");
        StirPki.Issued outsider = StirPki.signer(otherCa, "Outsider");
        Verification v = verify(identity(outsider, Attestation.A, CALLER, CALLEE, now() / 1000),
                List.of(outsider.certificate(), otherCa.certificate()), now());
        assertEquals(Verstat.FAILED, v.verstat());
        assertTrue(v.reason().contains("trust anchor"), v.reason());
    }

    @Test
    void anExpiredCertificateFails() throws Exception {
        StirPki.Issued expired = StirPki.signer(CA, "Expired SP", Instant.now().minus(Duration.ofDays(3)),
                Instant.now().minus(Duration.ofDays(1)));
        assertEquals(Verstat.FAILED, verify(identity(expired, Attestation.A, CALLER, CALLEE, now() / 1000),
                List.of(expired.certificate()), now()).verstat());
    }

    @Test
    void aSignatureByAnotherKeyThanTheCertificatesFails() throws Exception {
        StirPki.Issued other = StirPki.signer(CA, "Other SP");
        Verification v = verify(identity(other, Attestation.A, CALLER, CALLEE, now() / 1000), List.of(SIGNER.certificate()), now());
        assertEquals(Verstat.FAILED, v.verstat());
        assertTrue(v.reason().contains("signature"), v.reason());
    }

    @Test
    void alteredClaimsFail() throws Exception {
        String good = identity(SIGNER, Attestation.B, CALLER, CALLEE, now() / 1000);
        String[] parts = good.split("\\.", 3);
        String claimsB = new String(java.util.Base64.getUrlDecoder().decode(parts[1]));
        String claimsA = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claimsB.replace("\"attest\":\"B\"", "\"attest\":\"A\"").getBytes());
        Verification v = verify(parts[0] + "." + claimsA + "." + parts[2], List.of(SIGNER.certificate()), now());
        assertEquals(Verstat.FAILED, v.verstat(), "an upgraded attestation must not verify");
    }

    @Test
    void noIdentityIsNoValidationAndGarbageIsAFailure() {
        PassportVerifier.Unreadable none = assertInstanceOf(PassportVerifier.Unreadable.class, PassportVerifier.read(List.of()));
        assertEquals(Verstat.NO_VALIDATION, none.result().verstat());
        PassportVerifier.Unreadable garbage = assertInstanceOf(PassportVerifier.Unreadable.class,
                PassportVerifier.read(List.of("x.y.z;info=<https://a.example/c>")));
        assertEquals(Verstat.FAILED, garbage.result().verstat());
    }

    @Test
    void infoMustNameTheX5u() throws Exception {
        String good = identity(SIGNER, Attestation.A, CALLER, CALLEE, now() / 1000);
        String moved = good.replace("info=<" + X5U + ">", "info=<https://elsewhere.example/c.pem>");
        PassportVerifier.Unreadable u = assertInstanceOf(PassportVerifier.Unreadable.class, PassportVerifier.read(List.of(moved)));
        assertEquals(Verstat.FAILED, u.result().verstat());
    }

    @Test
    void cacheLifetimeFollowsMaxAgeWithinBounds() {
        assertEquals(CertificateRepository.DEFAULT_TTL, CertificateRepository.ttl(Optional.empty()));
        assertEquals(Duration.ofSeconds(600), CertificateRepository.ttl(Optional.of("public, max-age=600")));
        assertEquals(CertificateRepository.MIN_TTL, CertificateRepository.ttl(Optional.of("max-age=5")));
        assertEquals(CertificateRepository.MAX_TTL, CertificateRepository.ttl(Optional.of("max-age=9999999")));
        assertEquals(CertificateRepository.MIN_TTL, CertificateRepository.ttl(Optional.of("no-store")));
    }
}

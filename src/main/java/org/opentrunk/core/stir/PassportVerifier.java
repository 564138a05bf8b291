package org.opentrunk.core.stir;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;

/**
 * Verifies a SHAKEN PASSporT against the call it came with (RFC 8224 section 6.2, RFC 8588,
 * ATIS-1000074 section 5.3): the header, the claims, the certificate chain up to one of the trust
 * anchors, the signature, the freshness of {@code iat} and the numbers. Two steps, so that the
 * certificate fetch in between runs elsewhere: {@link #read} before it, {@link #verify} after.
 */
public final class PassportVerifier {

    /** ATIS-1000074 5.3.1 / RFC 8224 section 6.2.4: iat more than this away from now fails. */
    public static final Duration MAX_IAT_SKEW = Duration.ofSeconds(60);

    /** What {@link #read} found. */
    public sealed interface Reading permits Read, Unreadable {
    }

    /** A PASSporT read from an Identity header, not yet verified. */
    public record Read(IdentityHeader header, JWSObject jws, URI x5u, Map<String, Object> claims,
                       Optional<Attestation> attestation, Optional<String> origid) implements Reading {
    }

    /** Reading the header failed: the verification fails without a fetch. */
    public record Unreadable(Verification result) implements Reading {
    }

    private final Set<TrustAnchor> anchors;

    public PassportVerifier(Set<TrustAnchor> anchors) {
        this.anchors = Set.copyOf(anchors);
    }

    /**
     * Parses the first SHAKEN Identity of {@code headers} and checks what needs no certificate.
     *
     * @return a {@link Read}, or an {@link Unreadable} with the failed (or, for a non-SHAKEN
     *         Identity, not validated) result
     */
    public static Reading read(List<String> headers) {
        if (headers.isEmpty()) {
            return new Unreadable(Verification.notValidated("no Identity header"));
        }
        IdentityHeader header = null;
        for (String value : headers) {
            Optional<IdentityHeader> parsed = IdentityHeader.parse(value);
            // RFC 8588: ppt=shaken; other PASSporT types (div, rcd) are not ours to verify here
            if (parsed.isPresent() && parsed.get().ppt().map(PassportSigner.PPT::equals).orElse(true)) {
                header = parsed.get();
                break;
            }
        }
        if (header == null) {
            return new Unreadable(Verification.failed("no readable SHAKEN Identity header"));
        }
        JWSObject jws;
        Map<String, Object> claims;
        try {
            jws = JWSObject.parse(header.jws());
            claims = jws.getPayload().toJSONObject();
        } catch (java.text.ParseException e) {
            return new Unreadable(Verification.failed("the Identity is not a JWS: " + e.getMessage()));
        }
        if (claims == null) {
            return new Unreadable(Verification.failed("the PASSporT claims are not a JSON object"));
        }
        Optional<Attestation> attest = Attestation.parse(claims.get("attest"));
        Optional<String> origid = claims.get("origid") instanceof String s ? Optional.of(s) : Optional.empty();
        var h = jws.getHeader();
        // RFC 8588 section 3 and RFC 8225 section 4: ES256, typ passport, ppt shaken, x5u
        if (!JWSAlgorithm.ES256.equals(h.getAlgorithm())) {
            return new Unreadable(result(Verstat.FAILED, attest, origid, "alg " + h.getAlgorithm() + ", not ES256"));
        }
        if (h.getType() == null || !PassportSigner.TYP.equals(h.getType().getType())) {
            return new Unreadable(result(Verstat.FAILED, attest, origid, "typ is not passport"));
        }
        if (!PassportSigner.PPT.equals(h.getCustomParam("ppt"))) {
            return new Unreadable(result(Verstat.FAILED, attest, origid, "ppt is not shaken"));
        }
        if (h.getX509CertURL() == null) {
            return new Unreadable(result(Verstat.FAILED, attest, origid, "no x5u"));
        }
        URI x5u = h.getX509CertURL();
        try {
            // ATIS-1000074 5.3.1: the info parameter and x5u name the same certificate
            if (!new URI(header.info()).equals(x5u)) {
                return new Unreadable(result(Verstat.FAILED, attest, origid, "info " + header.info() + " is not x5u " + x5u));
            }
        } catch (URISyntaxException e) {
            return new Unreadable(result(Verstat.FAILED, attest, origid, "info is not a URI"));
        }
        if (attest.isEmpty()) {
            return new Unreadable(result(Verstat.FAILED, attest, origid, "attest is not A, B or C"));
        }
        return new Read(header, jws, x5u, claims, attest, origid);
    }

    /**
     * The rest, once the certificates of {@code read.x5u()} are in.
     *
     * @param chain      the certificates at x5u, the signer's first
     * @param callerE164 the caller's number, {@code +} E.164, as the call presents it; empty when none
     * @param calleeE164 the called number, {@code +} E.164
     * @param nowMs      the time to check iat and the certificates' validity against
     */
    public Verification verify(Read read, List<X509Certificate> chain, Optional<String> callerE164, String calleeE164,
                               long nowMs) {
        Optional<Attestation> attest = read.attestation();
        Optional<String> origid = read.origid();
        if (chain.isEmpty()) {
            return result(Verstat.FAILED, attest, origid, "no certificate");
        }
        X509Certificate signer = chain.get(0);
        Optional<String> chainProblem = chainProblem(signer, chain, nowMs);
        if (chainProblem.isPresent()) {
            return result(Verstat.FAILED, attest, origid, chainProblem.get());
        }
        try {
            if (!(signer.getPublicKey() instanceof ECPublicKey key) || !read.jws().verify(new ECDSAVerifier(key))) {
                return result(Verstat.FAILED, attest, origid, "the signature does not verify with the certificate at " + read.x5u());
            }
        } catch (JOSEException e) {
            return result(Verstat.FAILED, attest, origid, "the signature cannot be checked: " + e.getMessage());
        }
        Object iat = read.claims().get("iat");
        if (!(iat instanceof Number issued)) {
            return result(Verstat.FAILED, attest, origid, "iat is not a number");
        }
        long ageSeconds = nowMs / 1000 - issued.longValue();
        if (Math.abs(ageSeconds) > MAX_IAT_SKEW.toSeconds()) {
            return result(Verstat.FAILED, attest, origid, "iat is " + ageSeconds + " s from now, over "
                    + MAX_IAT_SKEW.toSeconds() + " s");
        }
        Optional<String> orig = tn(read.claims().get("orig"));
        if (orig.isEmpty() || callerE164.isEmpty() || !orig.get().equals(digits(callerE164.get()))) {
            return result(Verstat.FAILED, attest, origid, "orig.tn " + orig.orElse("(none)") + " is not the caller "
                    + callerE164.orElse("(none)"));
        }
        List<String> dest = tns(read.claims().get("dest"));
        if (!dest.contains(digits(calleeE164))) {
            return result(Verstat.FAILED, attest, origid, "dest.tn " + dest + " does not name the called " + calleeE164);
        }
        return result(Verstat.PASSED, attest, origid, "verified");
    }

    /** Why the signer's certificate does not chain to an anchor at {@code nowMs}, or empty when it does. */
    private Optional<String> chainProblem(X509Certificate signer, List<X509Certificate> chain, long nowMs) {
        if (anchors.isEmpty()) {
            return Optional.of("no trust anchors");
        }
        try {
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(signer);
            PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, target);
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(chain)));
            params.setRevocationEnabled(false); // no CRL fetch on the call path (ATIS-1000080 CRLs: see docs)
            params.setDate(new Date(nowMs));
            CertPathBuilder.getInstance("PKIX").build(params);
            return Optional.empty();
        } catch (GeneralSecurityException e) {
            return Optional.of("the certificate does not chain to a trust anchor: " + e.getMessage());
        }
    }

    private static Optional<String> tn(Object identity) {
        if (identity instanceof Map<?, ?> m && m.get("tn") instanceof String tn) {
            return Optional.of(tn);
        }
        return Optional.empty();
    }

    private static List<String> tns(Object identity) {
        if (identity instanceof Map<?, ?> m) {
            Object tn = m.get("tn");
            if (tn instanceof List<?> list) {
                return list.stream().filter(String.class::isInstance).map(String.class::cast).toList();
            }
            if (tn instanceof String one) {
                return List.of(one);
            }
        }
        return List.of();
    }

    private static String digits(String e164) {
        return e164.startsWith("+") ? e164.substring(1) : e164;
    }

    private static Verification result(Verstat verstat, Optional<Attestation> attest, Optional<String> origid, String reason) {
        return new Verification(verstat, attest, origid, reason);
    }
}

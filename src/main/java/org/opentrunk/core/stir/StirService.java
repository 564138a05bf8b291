package org.opentrunk.core.stir;

import java.net.URI;
import java.nio.file.Path;
import java.security.cert.TrustAnchor;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * OpenTrunk's STIR/SHAKEN (IC-STIR) as the call path uses it: signing when {@code OT_STIR_KEY} and
 * {@code OT_STIR_X5U} are set, verifying when {@code OT_STIR_CA_DIR} is. A setting that cannot be
 * used turns its half off and says why in {@link #status()} (shown on /health), rather than
 * stopping the trunk: unsigned calls are labelled by carriers, not refused.
 */
public final class StirService {

    /** The longest an inbound call waits for its certificate fetch before it goes on unverified. */
    public static final Duration MAX_WAIT = Duration.ofMillis(1500);

    /** What is configured and usable, for /health and the log. */
    /**
     * @param broken a setting is there but unusable (its half is off)
     */
    public record Status(boolean signing, String signingDetail, boolean verifying, String verifyingDetail, boolean broken) {
    }

    private final Optional<PassportSigner> signer;
    private final Optional<PassportVerifier> verifier;
    private final CertificateRepository certificates;
    private final Status status;
    private final Clock clock;

    public StirService(Optional<PassportSigner> signer, Optional<PassportVerifier> verifier,
                       CertificateRepository certificates, Status status, Clock clock) {
        this.signer = signer;
        this.verifier = verifier;
        this.certificates = certificates;
        this.status = status;
        this.clock = clock;
    }

    /** From the {@code OT_STIR_*} settings in {@code env}. */
    public static StirService from(Function<String, String> env) {
        String keyPath = blankToNull(env.apply("OT_STIR_KEY"));
        String x5u = blankToNull(env.apply("OT_STIR_X5U"));
        String caDir = blankToNull(env.apply("OT_STIR_CA_DIR"));
        Optional<PassportSigner> signer = Optional.empty();
        boolean broken = false;
        String signing;
        if (keyPath == null && x5u == null) {
            signing = "off (OT_STIR_KEY and OT_STIR_X5U not set)";
        } else if (keyPath == null || x5u == null) {
            signing = "OT_STIR_KEY and OT_STIR_X5U go together; only " + (keyPath == null ? "OT_STIR_X5U" : "OT_STIR_KEY") + " is set";
            broken = true;
        } else {
            try {
                signer = Optional.of(new PassportSigner(SigningKey.read(Path.of(keyPath)), URI.create(x5u)));
                signing = "EC P-256 key " + keyPath + ", certificate at " + x5u;
            } catch (InvalidStirKeyException | IllegalArgumentException e) {
                signing = "OT_STIR_KEY/OT_STIR_X5U unusable: " + e.getMessage();
                broken = true;
            }
        }
        Optional<PassportVerifier> verifier = Optional.empty();
        String verifying;
        if (caDir == null) {
            verifying = "off (OT_STIR_CA_DIR not set): inbound calls get No-TN-Validation";
        } else {
            try {
                Set<TrustAnchor> anchors = TrustAnchors.load(Path.of(caDir));
                verifier = Optional.of(new PassportVerifier(anchors));
                verifying = anchors.size() + " trust anchors in " + caDir;
            } catch (InvalidStirKeyException e) {
                verifying = "OT_STIR_CA_DIR unusable: " + e.getMessage();
                broken = true;
            }
        }
        return new StirService(signer, verifier, new CertificateRepository(CertificateRepository.defaultClient()),
                new Status(signer.isPresent(), signing, verifier.isPresent(), verifying, broken), Clock.systemUTC());
    }

    public Status status() {
        return status;
    }

    /** The Identity header for an outbound call, or empty when signing is off. */
    public Optional<String> identityHeader(Attestation attest, String callerE164, String calleeE164, String origid) {
        return signer.map(s -> s.identityHeader(new PassportClaims(attest, List.of(PassportClaims.canonical(calleeE164)),
                PassportClaims.canonical(callerE164), origid, clock.millis() / 1000)));
    }

    /**
     * Verifies an inbound call's Identity headers. Completes within {@link #MAX_WAIT}; a certificate
     * still being fetched then makes it {@link Verstat#NO_VALIDATION} (the fetch goes on and fills
     * the cache for the next call). Never completes exceptionally.
     */
    public CompletableFuture<Verification> verify(List<String> identityHeaders, Optional<String> callerE164,
                                                  String calleeE164) {
        if (verifier.isEmpty()) {
            return CompletableFuture.completedFuture(Verification.notValidated("verification is off"));
        }
        PassportVerifier.Reading reading = PassportVerifier.read(identityHeaders);
        if (reading instanceof PassportVerifier.Unreadable unreadable) {
            return CompletableFuture.completedFuture(unreadable.result());
        }
        PassportVerifier.Read read = (PassportVerifier.Read) reading;
        return certificates.get(read.x5u())
                .thenApply(fetched -> fetched instanceof CertificateRepository.Certificates c
                        ? verifier.get().verify(read, c.chain(), callerE164, calleeE164, clock.millis())
                        : new Verification(Verstat.FAILED, read.attestation(), read.origid(),
                                ((CertificateRepository.Unavailable) fetched).reason()))
                .exceptionally(e -> new Verification(Verstat.FAILED, read.attestation(), read.origid(),
                        "verification failed: " + e))
                .completeOnTimeout(new Verification(Verstat.NO_VALIDATION, read.attestation(), read.origid(),
                        "the certificate at " + read.x5u() + " was not in within " + MAX_WAIT.toMillis() + " ms"),
                        MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}

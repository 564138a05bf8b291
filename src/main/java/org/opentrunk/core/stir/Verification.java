package org.opentrunk.core.stir;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of verifying an inbound call's Identity (IC-STIR, RFC 8224 section 6.2).
 *
 * @param verstat     what the PBX is told
 * @param attestation the level the signer claimed, when the PASSporT could be read; on a failed
 *                    verification it is what was claimed, not what holds
 * @param origid      the signer's origination identifier, when the PASSporT could be read
 * @param reason      why, for the log: "verified", "iat 300 s old", ...
 */
public record Verification(Verstat verstat, Optional<Attestation> attestation, Optional<String> origid, String reason) {

    public Verification {
        Objects.requireNonNull(verstat, "verstat");
        Objects.requireNonNull(attestation, "attestation");
        Objects.requireNonNull(origid, "origid");
        Objects.requireNonNull(reason, "reason");
    }

    static Verification failed(String reason) {
        return new Verification(Verstat.FAILED, Optional.empty(), Optional.empty(), reason);
    }

    static Verification notValidated(String reason) {
        return new Verification(Verstat.NO_VALIDATION, Optional.empty(), Optional.empty(), reason);
    }
}

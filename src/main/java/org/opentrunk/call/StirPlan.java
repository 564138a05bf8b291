package org.opentrunk.call;

import java.util.Optional;
import org.opentrunk.core.stir.Attestation;
import org.opentrunk.core.stir.Verification;

/**
 * What STIR/SHAKEN (IC-STIR) decided for one call: on an outbound call the Identity header for the
 * carriers that ask for signed calls; on an inbound one the verification of the carrier's Identity.
 * Either way the attestation, verstat and origid its CDR carries.
 *
 * @param identity    the signed Identity header value for carriers with {@code signing}; null when
 *                    the call goes unsigned (inbound, no caller number, signing off)
 * @param attestation A, B or C, signed or received; null without
 * @param verstat     the inbound verification result's verstat value; null on outbound calls
 * @param origid      the origid signed or received; null without
 */
public record StirPlan(String identity, String attestation, String verstat, String origid) {

    /** Nothing signed or verified. */
    public static final StirPlan NONE = new StirPlan(null, null, null, null);

    /** An outbound call's: signed when there is an Identity, else the level it would have had. */
    public static StirPlan outbound(Optional<Attestation> attestation, Optional<String> identity, String origid) {
        if (attestation.isEmpty()) {
            return NONE;
        }
        return identity.map(id -> new StirPlan(id, attestation.get().name(), null, origid)).orElse(NONE);
    }

    /** An inbound call's. */
    public static StirPlan inbound(Verification verification) {
        return new StirPlan(null, verification.attestation().map(Enum::name).orElse(null),
                verification.verstat().parameter(), verification.origid().orElse(null));
    }

    /** The Identity header for {@code target}: only carriers that ask for signed calls get one. */
    public Optional<String> identityFor(CallTarget target) {
        return identity != null && target.carrier() != null && target.carrier().signing()
                ? Optional.of(identity) : Optional.empty();
    }
}

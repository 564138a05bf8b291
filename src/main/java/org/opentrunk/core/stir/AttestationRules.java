package org.opentrunk.core.stir;

import java.util.Optional;
import org.opentrunk.core.callerid.CallerOwnership;
import org.opentrunk.core.config.ConfigSnapshot;
import org.opentrunk.core.config.Customer;
import org.opentrunk.core.numbering.E164Number;

/**
 * Which attestation OpenTrunk gives an outbound call (IC-STIR, RFC 8588 section 4, ATIS-1000074
 * section 5.2.3). Every outbound call comes from an authenticated customer (nothing else reaches a
 * carrier), so the level depends on the caller number only:
 * <ul>
 *   <li>{@link Attestation#A}: one of the customer's own numbers or its verified numbers
 *       (IC-CALLER-OWNER), so OpenTrunk can vouch for the customer's right to use it;</li>
 *   <li>{@link Attestation#C}: a number it does not hold on a call that says it was diverted
 *       ({@code Diversion} or {@code History-Info}), e.g. a DID call the PBX forwards back out:
 *       OpenTrunk only passes on a call someone else originated;</li>
 *   <li>{@link Attestation#B}: any other number: the customer is known, its right to the number is not.</li>
 * </ul>
 */
public final class AttestationRules {

    private AttestationRules() {
    }

    /**
     * @param caller   the caller number the carrier gets, empty when there is none (no valid
     *                 number: nothing to attest, the call goes unsigned)
     * @param diverted the customer's INVITE carried Diversion or History-Info
     * @return the level, empty when there is no number to sign for
     */
    public static Optional<Attestation> forOutbound(Customer customer, Optional<E164Number> caller, boolean diverted,
                                                    ConfigSnapshot config) {
        if (caller.isEmpty()) {
            return Optional.empty();
        }
        if (CallerOwnership.belongsTo(customer, caller.get(), config)) {
            return Optional.of(Attestation.A);
        }
        return Optional.of(diverted ? Attestation.C : Attestation.B);
    }
}

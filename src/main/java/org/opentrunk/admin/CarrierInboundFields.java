package org.opentrunk.admin;

import java.util.Objects;
import org.opentrunk.core.config.CarrierInboundPolicy;
import org.opentrunk.core.provisioning.FieldRules;
import org.opentrunk.core.provisioning.InvalidFieldException;

/** A carrier's inbound policy (issue 25) in and out of {@link CarrierJson}: missing fields take the open defaults. */
final class CarrierInboundFields {

    private CarrierInboundFields() {
    }

    /** The policy the JSON asks for; a readable error names the field that is wrong. */
    static CarrierInboundPolicy policy(CarrierJson json) {
        CarrierInboundPolicy.InboundTransports transports;
        try {
            transports = json.inboundTransports == null ? CarrierInboundPolicy.InboundTransports.ANY
                    : CarrierInboundPolicy.InboundTransports.parse(json.inboundTransports);
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException("inboundTransports", e.getMessage());
        }
        int rate = FieldRules.range("maxInboundCps", Objects.requireNonNullElse(json.maxInboundCps, 0), 0,
                CarrierInboundPolicy.MAX_INVITES_PER_SECOND);
        return new CarrierInboundPolicy(transports, rate, Objects.requireNonNullElse(json.summariseUnknownNumbers, false));
    }

    static void fill(CarrierJson json, CarrierInboundPolicy policy) {
        json.inboundTransports = policy.transports().value();
        json.maxInboundCps = policy.maxInvitesPerSecond();
        json.summariseUnknownNumbers = policy.summariseUnknownNumbers();
    }
}

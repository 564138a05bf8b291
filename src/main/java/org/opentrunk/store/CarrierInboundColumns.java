package org.opentrunk.store;

import javax.persistence.Column;
import javax.persistence.Embeddable;
import org.opentrunk.core.config.CarrierInboundPolicy;

/** A carrier's inbound policy as stored (V14): its own columns of the carrier table. */
@Embeddable
public class CarrierInboundColumns {

    /** "any" or "tcp-tls" */
    @Column(name = "inbound_transports", nullable = false)
    private String transports = CarrierInboundPolicy.InboundTransports.ANY.value();
    /** 0 = no limit */
    @Column(name = "max_inbound_cps", nullable = false)
    private int maxInvitesPerSecond;
    @Column(name = "summarise_unknown_numbers", nullable = false)
    private boolean summariseUnknownNumbers;

    public CarrierInboundPolicy toPolicy() {
        return new CarrierInboundPolicy(CarrierInboundPolicy.InboundTransports.parse(transports), maxInvitesPerSecond,
                summariseUnknownNumbers);
    }

    public void set(CarrierInboundPolicy policy) {
        transports = policy.transports().value();
        maxInvitesPerSecond = policy.maxInvitesPerSecond();
        summariseUnknownNumbers = policy.summariseUnknownNumbers();
    }
}

package org.opentrunk.call;

/**
 * The two legs of a call. The caller's leg is the INVITE OpenTrunk received (a customer's on
 * outbound calls, a carrier's on inbound ones); the callee's leg is the INVITE OpenTrunk sent to the
 * target that answered.
 */
public enum Leg {
    CALLER,
    CALLEE;

    public Leg other() {
        return this == CALLER ? CALLEE : CALLER;
    }
}

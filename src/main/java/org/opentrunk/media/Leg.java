package org.opentrunk.media;

/**
 * The two sides of an anchored call. By convention {@link #A} is the side the call came from (the
 * customer's PBX on an outbound call, the carrier on a DID call) and {@link #B} the side it goes
 * to; the relay treats them alike.
 */
public enum Leg {
    A,
    B;

    /** The leg media from this one is relayed to. */
    public Leg other() {
        return this == A ? B : A;
    }
}

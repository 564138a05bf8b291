package org.opentrunk.core.auth.digest;

/** What {@link Nonces#check} found out about a nonce a client sent back. */
public enum NonceValidity {
    /** Issued by this server for this realm, within its lifetime. */
    VALID,
    /**
     * Issued by this server for this realm, but too old, or issued before the last restart:
     * re-challenge with {@code stale=true}.
     */
    STALE,
    /** Not one of ours: forged, garbled, for another realm, or made with another secret. */
    INVALID
}

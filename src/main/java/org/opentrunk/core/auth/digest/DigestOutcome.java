package org.opentrunk.core.auth.digest;

/**
 * The result of {@link DigestVerifier#verify}: a {@link #verdict()} to act on, and the reason for
 * the operator's log. Reasons are for the log only, never for the wire: a peer must get the same
 * answer for {@link #NO_SUCH_USER} as for {@link #WRONG_RESPONSE}.
 */
public enum DigestOutcome {
    ACCEPTED(DigestVerdict.ACCEPTED),
    /** Right response to an authentic but expired nonce, or one issued before the last restart. */
    STALE_NONCE(DigestVerdict.STALE_NONCE),
    /** The client named an algorithm OpenTrunk does not offer (a {@code -sess} one, say). */
    UNSUPPORTED_ALGORITHM(DigestVerdict.REJECTED),
    /**
     * No qop: the RFC 2069 form. OpenTrunk always challenges with qop=auth, and without qop there
     * is no cnonce and no nonce count, so a captured request could be replayed for the nonce's
     * whole lifetime. A client that drops qop is either broken or downgrading on purpose.
     */
    NO_QOP(DigestVerdict.REJECTED),
    /** A qop other than auth (auth-int was not offered). */
    UNSUPPORTED_QOP(DigestVerdict.REJECTED),
    /** The client answered for another realm than this trunk's. */
    REALM_MISMATCH(DigestVerdict.REJECTED),
    /** The nonce was not issued by this server for this realm. */
    FORGED_NONCE(DigestVerdict.REJECTED),
    /** No stored HA1 for the username (and algorithm); the same hashing was done regardless. */
    NO_SUCH_USER(DigestVerdict.REJECTED),
    /** The stored HA1 is for another algorithm than the one the client used. */
    ALGORITHM_MISMATCH(DigestVerdict.REJECTED),
    /** Wrong password, or the request was altered. */
    WRONG_RESPONSE(DigestVerdict.REJECTED),
    /** This nonce was already answered with this nc or a higher one: a replay. */
    REPLAYED_NONCE_COUNT(DigestVerdict.REJECTED),
    /**
     * The response was right, but the replay memory is full of live nonces, so this one could not
     * be remembered. Overload rather than an authentication failure: answering 503 Service
     * Unavailable with Retry-After is fairer to the PBX than a challenge.
     */
    REPLAY_MEMORY_FULL(DigestVerdict.REJECTED),
    /**
     * The response was right, but this customer or this source address already holds its share
     * of the replay memory (a PBX answering fresh challenges faster than any call load needs).
     * Overload of this sender, not an authentication failure: 503 with Retry-After, not counted.
     */
    REPLAY_SHARE_FULL(DigestVerdict.REJECTED);

    private final DigestVerdict verdict;

    DigestOutcome(DigestVerdict verdict) {
        this.verdict = verdict;
    }

    public DigestVerdict verdict() {
        return verdict;
    }

    /** True when the right credentials were refused for want of replay memory: overload, not a failure. */
    public boolean isOverload() {
        return this == REPLAY_MEMORY_FULL || this == REPLAY_SHARE_FULL;
    }

    public boolean accepted() {
        return verdict == DigestVerdict.ACCEPTED;
    }
}

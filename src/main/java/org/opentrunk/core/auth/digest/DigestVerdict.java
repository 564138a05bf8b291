package org.opentrunk.core.auth.digest;

/** What the SIP layer does with a request that carried digest credentials. */
public enum DigestVerdict {
    /** Authenticated: the request goes on. */
    ACCEPTED,
    /**
     * The password was right but the nonce has expired: challenge again with {@code stale=true},
     * so the PBX retries with the new nonce instead of failing the call.
     */
    STALE_NONCE,
    /**
     * Not authenticated: challenge again with a fresh nonce (RFC 3261 section 22.3). The answer
     * must not depend on {@link DigestOutcome why}, so that a peer cannot tell an unknown user
     * from a wrong password.
     */
    REJECTED
}

package org.opentrunk.call;

/**
 * The timers of a call, as the container carries them (a {@code ServletTimer}'s info): one value
 * per timer, so that nothing is told apart by string prefixes.
 */
public enum CallTimer {
    /** The current target said nothing at all within the failover timeout: try the next. */
    NO_ANSWER(null),
    /** The answered call reached its customer's maximum duration (maxCallSeconds): hang up both legs. */
    MAX_DURATION(null),
    /** Periodic look at whether the relay timed an anchored call's media out. */
    MEDIA_CHECK(null),
    /** OpenTrunk refreshes the caller's leg now (RFC 4028, it is the refresher there). */
    REFRESH_CALLER(Leg.CALLER),
    /** OpenTrunk refreshes the callee's leg now. */
    REFRESH_CALLEE(Leg.CALLEE),
    /** The caller's leg was not refreshed in time: the session is over. */
    EXPIRE_CALLER(Leg.CALLER),
    /** The callee's leg was not refreshed in time. */
    EXPIRE_CALLEE(Leg.CALLEE);

    private final Leg leg;

    CallTimer(Leg leg) {
        this.leg = leg;
    }

    /** The leg a session timer belongs to; null for the call-wide timers. */
    public Leg leg() {
        return leg;
    }

    public boolean isRefresh() {
        return this == REFRESH_CALLER || this == REFRESH_CALLEE;
    }

    public boolean isExpiry() {
        return this == EXPIRE_CALLER || this == EXPIRE_CALLEE;
    }

    public static CallTimer refresh(Leg leg) {
        return leg == Leg.CALLER ? REFRESH_CALLER : REFRESH_CALLEE;
    }

    public static CallTimer expiry(Leg leg) {
        return leg == Leg.CALLER ? EXPIRE_CALLER : EXPIRE_CALLEE;
    }
}

package org.opentrunk.core.registrar;

/**
 * The registrar's bounds on what a customer may register.
 *
 * @param minExpiresSeconds      shortest registration accepted; shorter ones get 423 with this as
 *                               Min-Expires (RFC 3261 section 10.3 step 7)
 * @param maxExpiresSeconds      longest registration granted; longer ones are shortened to this
 * @param defaultExpiresSeconds  granted when neither the contact nor the Expires header names one
 * @param maxBindingsPerCustomer most contacts one customer may have registered at a time
 */
public record RegistrarLimits(long minExpiresSeconds, long maxExpiresSeconds, long defaultExpiresSeconds,
                              int maxBindingsPerCustomer) {

    /**
     * A minute: short enough for a phone behind NAT that keeps its pinhole open by registering,
     * long enough that thousands of phones do not load OpenTrunk with REGISTERs.
     */
    public static final long DEFAULT_MIN_EXPIRES_SECONDS = 60;
    /** An hour, RFC 3261's suggested default: a UA that vanishes stops receiving calls within the hour. */
    public static final long DEFAULT_MAX_EXPIRES_SECONDS = 3600;
    /** An hour, as RFC 3261 section 10.2.1.1 suggests. */
    public static final long DEFAULT_EXPIRES_SECONDS = 3600;
    /** A PBX, a few desk phones and softphones per account; more is a runaway or a misuse. */
    public static final int DEFAULT_MAX_BINDINGS_PER_CUSTOMER = 10;

    public static final RegistrarLimits DEFAULTS = new RegistrarLimits(DEFAULT_MIN_EXPIRES_SECONDS,
            DEFAULT_MAX_EXPIRES_SECONDS, DEFAULT_EXPIRES_SECONDS, DEFAULT_MAX_BINDINGS_PER_CUSTOMER);

    public RegistrarLimits {
        if (minExpiresSeconds < 1 || maxExpiresSeconds < minExpiresSeconds || maxExpiresSeconds > DeltaSeconds.MAX) {
            throw new IllegalArgumentException("expires bounds must satisfy 1 <= min <= max <= 2**32-1, not "
                    + minExpiresSeconds + ".." + maxExpiresSeconds);
        }
        if (defaultExpiresSeconds < minExpiresSeconds || defaultExpiresSeconds > maxExpiresSeconds) {
            throw new IllegalArgumentException("default expires " + defaultExpiresSeconds + " is outside "
                    + minExpiresSeconds + ".." + maxExpiresSeconds);
        }
        if (maxBindingsPerCustomer < 1) {
            throw new IllegalArgumentException("a customer must be allowed at least one binding");
        }
    }
}

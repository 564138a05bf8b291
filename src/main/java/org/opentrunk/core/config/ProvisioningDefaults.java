package org.opentrunk.core.config;

/** Values a new customer gets when the operator does not say otherwise. */
public final class ProvisioningDefaults {

    /** Concurrent calls: enough for a small office PBX. */
    public static final int MAX_CHANNELS = 30;
    /** New calls per second: a PBX rarely needs more, a hijacked one wants far more. */
    public static final int MAX_CPS = 5;
    /**
     * Longest answered call, seconds: 4 h. Longer than nearly any real call, and it bounds what a
     * hijacked PBX that stays under the fraud guard's rate can run up on one call (issue 25).
     */
    public static final int MAX_CALL_SECONDS = 14_400;
    /** {@code maxCallSeconds} value for "no limit". */
    public static final int NO_CALL_LIMIT = 0;
    /** Carrier weight among carriers of equal priority. */
    public static final int CARRIER_WEIGHT = 1;
    public static final int CARRIER_PRIORITY = 10;

    private ProvisioningDefaults() {
    }
}

package org.opentrunk.core.config;

/** Values a new customer gets when the operator does not say otherwise. */
public final class ProvisioningDefaults {

    /** Concurrent calls: enough for a small office PBX. */
    public static final int MAX_CHANNELS = 30;
    /** New calls per second: a PBX rarely needs more, a hijacked one wants far more. */
    public static final int MAX_CPS = 5;
    /** Carrier weight among carriers of equal priority. */
    public static final int CARRIER_WEIGHT = 1;
    public static final int CARRIER_PRIORITY = 10;

    private ProvisioningDefaults() {
    }
}

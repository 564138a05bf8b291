package org.opentrunk.core.stir;

/**
 * Puts {@code verstat} on the URI of a From or P-Asserted-Identity value (3GPP TS 24.229 section
 * 7.2A.20, ATIS-1000074 section 5.3.1): {@code <sip:+12025550100@trunk;user=phone>} becomes
 * {@code <sip:+12025550100@trunk;user=phone;verstat=TN-Validation-Passed>}. A URI parameter, so it
 * goes inside the angle brackets, before any URI headers.
 */
public final class VerstatParameter {

    private VerstatParameter() {
    }

    /** {@code nameAddr} with the parameter; unchanged when it has no {@code <URI>} to put it in. */
    public static String add(String nameAddr, Verstat verstat) {
        int open = nameAddr.lastIndexOf('<');
        int close = nameAddr.lastIndexOf('>');
        if (open < 0 || close < open) {
            return nameAddr;
        }
        int headers = nameAddr.indexOf('?', open);
        int at = headers >= 0 && headers < close ? headers : close;
        return nameAddr.substring(0, at) + ";verstat=" + verstat.parameter() + nameAddr.substring(at);
    }
}

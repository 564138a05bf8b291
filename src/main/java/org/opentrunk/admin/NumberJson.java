package org.opentrunk.admin;

import java.util.List;

/** A number (DID) in the API. */
public class NumberJson {
    /** E.164; a leading + is optional on input, always present on output */
    public String e164;
    public Long customerId;
    /** present the caller's name on inbound calls (IC-CNAM-IN) */
    public Boolean cnamLookup;
    /** IC-STIR: 0 (default) delivers calls whose Identity failed verification, marked TN-Validation-Failed;
     *  608 (RFC 8688) or 403 refuses them */
    @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "STIR/SHAKEN (IC-STIR): 0 delivers calls"
            + " whose Identity failed verification, marked verstat=TN-Validation-Failed; 608 (Rejected, RFC 8688) or 403"
            + " refuses them. Default 0.", enumeration = {"0", "608", "403"}, defaultValue = "0")
    public Integer stirFailedStatus;
    public List<RouteJson> routes;
    /** read-only here: set through /numbers/{e164}/cnam */
    public String cnamName;
}

package org.opentrunk.admin;

import java.util.List;

/** A number (DID) in the API. */
public class NumberJson {
    /** E.164; a leading + is optional on input, always present on output */
    public String e164;
    public Long customerId;
    /** present the caller's name on inbound calls (IC-CNAM-IN) */
    public Boolean cnamLookup;
    public List<RouteJson> routes;
    /** read-only here: set through /numbers/{e164}/cnam */
    public String cnamName;
}

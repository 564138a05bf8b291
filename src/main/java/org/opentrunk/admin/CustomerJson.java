package org.opentrunk.admin;

import java.util.List;
import javax.json.bind.annotation.JsonbTransient;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A customer in the API. {@code password} is write-only: it is turned into HA1 values on the way
 * in and never returned; {@code hasPassword} tells whether digest credentials are set.
 */
public class CustomerJson {
    public Long id;
    public String name;
    /** exactly 8 digits, unique (IC-IPAUTH) */
    public String techPrefix;
    /** static IPv4 addresses the customer's PBXs send from */
    public List<String> ips;
    /** SIP digest username (IC-DIGEST); null = no digest authentication */
    public String username;
    public Integer maxChannels;
    public Integer maxCps;
    /** longest answered call in seconds, either direction, then BYE on both legs (CDR cause max_duration); 0 = no limit */
    @Schema(description = "Longest answered call in seconds (outbound, and inbound to its numbers); it is then hung up"
            + " with BYE on both legs and CDR cause max_duration. 0 = no limit. Default 14400 (4 h).",
            minimum = "0", maximum = "604800", defaultValue = "14400")
    public Integer maxCallSeconds;
    public Boolean anchorMedia;
    /** its calls must offer SRTP (RTP/SAVP with a=crypto), others get 488 (IC-SRTP); default false */
    @Schema(description = "IC-SRTP: calls from this customer must offer SRTP (RTP/SAVP with a=crypto lines); an offer"
            + " without gets 488. For customers who promise their callers encryption. Default false.", defaultValue = "false")
    public Boolean requireSrtp;
    /** E.164 prefixes the customer may call, e.g. ["+1"]; empty = all */
    public List<String> allowedPrefixes;
    /** ISO 3166-1 alpha-2 (e.g. "US", "GB"): caller IDs in its national format are read as E.164 (IC-COUNTRY),
     *  and its emergency short codes are recognised (IC-EMERGENCY); null = none */
    public String country;
    /** digest algorithms it is challenged with, in order, e.g. ["SHA-256"]; empty = the trunk's default (IC-DIGEST) */
    public List<String> digestAlgorithms;
    /** "any" (default) or "own": only its own numbers and verifiedNumbers as caller ID (IC-CALLER-OWNER) */
    public String callerIdPolicy;
    /** E.164 numbers it may present as caller ID besides its own numbers, under callerIdPolicy "own" */
    public List<String> verifiedNumbers;
    /** read-only: outbound calls refused since start-up for a caller ID it may not present */
    public Long callerIdRefusals;
    /** read-only: the origid (a UUID) of its STIR/SHAKEN-signed calls, fixed at creation (IC-STIR) */
    @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "Read-only: the origid (a UUID) of its"
            + " STIR/SHAKEN-signed calls, fixed when the customer is created", readOnly = true)
    public String stirOrigid;
    /** read-only: digest credentials are set */
    public Boolean hasPassword;
    /** read-only: calls in progress now, counted against maxChannels */
    public Integer channelsInUse;

    private String password;

    @JsonbTransient
    public String password() {
        return password;
    }

    /** Write-only: accepted in requests, never serialized. */
    public void setPassword(String password) {
        this.password = password;
    }
}

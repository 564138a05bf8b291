package org.opentrunk.admin;

/** A carrier in the API. Missing optional fields take defaults on create. */
public class CarrierJson {
    public Long id;
    public String name;
    public String host;
    public Integer port;
    /** {@code udp}, {@code tcp} or {@code tls} (IC-TLS) */
    public String transport;
    /** lower is tried first */
    public Integer priority;
    /** share among carriers of equal priority */
    public Integer weight;
    public Boolean enabled;
    /** ISO 3166-1 alpha-2 (e.g. "US"): numbers it sends in national format are read as E.164 (IC-COUNTRY); null = none */
    public String country;
    /** it takes emergency calls (911, 112, 999 ...), the short code in the Request-URI (IC-EMERGENCY) */
    public Boolean emergency;
    /** outbound calls to it carry a signed STIR/SHAKEN Identity header (IC-STIR); default false */
    @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "STIR/SHAKEN (IC-STIR): outbound calls to"
            + " this carrier carry a signed Identity header (needs OT_STIR_KEY and OT_STIR_X5U). Default false.",
            defaultValue = "false")
    public Boolean signing;
    // Issue 25, spoofed carrier INVITEs (docs/security.md): what is accepted of INVITEs from its address.
    @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "\"any\" (default) or \"tcp-tls\": INVITEs"
            + " from this carrier over UDP are refused with 403 (a spoofed source address cannot open a TCP connection).",
            defaultValue = "any")
    public String inboundTransports;
    @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "New INVITEs per second taken from this"
            + " carrier (over it: 503, Retry-After 1). 0 (default) = no limit.", defaultValue = "0")
    public Integer maxInboundCps;
    @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "INVITEs from this carrier to numbers not on"
            + " this trunk are counted (a log line a minute, a metric) instead of leaving one CDR each. Default false.",
            defaultValue = "false")
    public Boolean summariseUnknownNumbers;
    /** CA certificate(s), PEM, its TLS certificate is checked against besides the JVM's CAs (IC-TLS); null = none */
    @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "IC-TLS: CA certificate(s) in PEM that"
            + " this carrier's TLS certificate is checked against, besides the JVM's CAs (a private CA). null = none.")
    public String caPem;
    /** read-only: what the OPTIONS probes say, unknown, up or down */
    public String state;
    /** read-only: when the carrier last answered a probe (ISO-8601), or null */
    public String lastSeen;
}

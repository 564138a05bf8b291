package org.opentrunk.core.headers;

import java.util.Arrays;
import java.util.Optional;

/**
 * Headers that belong to one leg of a call and that a B2BUA must never copy to the other leg,
 * each with the reason. OpenTrunk copies only what {@link HeaderPassThrough} allows, so this list
 * is not what keeps them out; it is the record of why they stay out, checked by tests against the
 * allow-list, and the answer when someone asks to "just pass header X through".
 */
public enum LegSpecificHeader {

    /** The path of one transaction hop by hop; each leg's stack writes its own. */
    VIA("Via", "the path of one transaction; the stack writes each leg's own"),
    /** The route set of one dialog (RFC 3261 section 12.1). */
    ROUTE("Route", "the route set of one dialog; the other leg's proxies are not on this leg's path"),
    /** Builds the route set of one dialog. */
    RECORD_ROUTE("Record-Route", "builds one dialog's route set; copied, it would route this leg through the other leg's proxies"),
    /**
     * Where in-dialog requests go. On each leg that is OpenTrunk: a copied Contact would send the
     * customer's BYE straight to the carrier, past the B2BUA, its session timer and its CDR.
     */
    CONTACT("Contact", "the remote target of one dialog; copied, in-dialog requests would bypass OpenTrunk and its CDR (IC-CDR)"),
    /** Identifies one dialog; each leg has its own, both recorded in the CDR (IC-CDR). */
    CALL_ID("Call-ID", "identifies one dialog; each leg has its own, and both go into the CDR (IC-CDR)"),
    /** Orders requests within one dialog. */
    CSEQ("CSeq", "orders requests within one dialog"),
    /** Carries one dialog's local tag; the caller's identity is rebuilt by CallerIdentity. */
    FROM("From", "carries one dialog's tag; the caller is rebuilt by CallerIdentity (IC-CLI-OUT, IC-CLI-IN)"),
    /** Carries one dialog's remote tag; the callee is the new Request-URI. */
    TO("To", "carries one dialog's tag; the callee is set from the new Request-URI (IC-RURI)"),
    /** Loop protection: each leg sends the received value minus one, set by the call path, not copied. */
    MAX_FORWARDS("Max-Forwards", "handled separately: the received value minus one, so loops through OpenTrunk still end"),
    /**
     * A customer's digest response. Never forwarded: it is proof of the customer's password for
     * OpenTrunk's realm and nonce, worthless to a carrier and dangerous to hand to one.
     */
    AUTHORIZATION("Authorization", "a customer's credentials; never forwarded to a carrier"),
    /** As {@link #AUTHORIZATION}, for proxy challenges (what INVITEs carry, IC-DIGEST). */
    PROXY_AUTHORIZATION("Proxy-Authorization", "a customer's credentials; never forwarded to a carrier"),
    /** A challenge is answered by the hop it was sent to. */
    WWW_AUTHENTICATE("WWW-Authenticate", "a challenge to one hop; OpenTrunk answers a carrier's challenges itself"),
    /** A challenge is answered by the hop it was sent to. */
    PROXY_AUTHENTICATE("Proxy-Authenticate", "a challenge to one hop; OpenTrunk answers a carrier's challenges itself"),
    /** Follows a successful authentication of one hop. */
    AUTHENTICATION_INFO("Authentication-Info", "belongs to one hop's authentication"),
    /** Session timers are negotiated per leg (IC-TIMER). */
    SESSION_EXPIRES("Session-Expires", "session timers are negotiated per leg (IC-TIMER)"),
    /** Session timers are negotiated per leg (IC-TIMER). */
    MIN_SE("Min-SE", "session timers are negotiated per leg (IC-TIMER)"),
    /** Extensions OpenTrunk supports, not those of the far end: a copied {@code 100rel} would promise PRACK (IC-METHODS). */
    SUPPORTED("Supported", "OpenTrunk's own extensions; a copied 100rel would promise PRACK, which is not supported (IC-METHODS)"),
    /** Extensions demanded of the next hop, negotiated per leg. */
    REQUIRE("Require", "extensions demanded of one hop, negotiated per leg"),
    /** Extensions demanded of proxies on one leg's path. */
    PROXY_REQUIRE("Proxy-Require", "extensions demanded of the proxies of one leg"),
    /** The methods OpenTrunk accepts (IC-METHODS), not those of the far end. */
    ALLOW("Allow", "OpenTrunk's own methods (IC-METHODS)"),
    /** Event packages of one user agent; SUBSCRIBE is not supported. */
    ALLOW_EVENTS("Allow-Events", "one user agent's event packages; SUBSCRIBE is not supported (IC-METHODS)"),
    /** Body types OpenTrunk reads. */
    ACCEPT("Accept", "the body types OpenTrunk reads"),
    /** Recomputed for the body actually sent. */
    CONTENT_LENGTH("Content-Length", "recomputed for the body actually sent"),
    /** Set with the body, which OpenTrunk filters (IC-CODEC). */
    CONTENT_TYPE("Content-Type", "set together with the body, which OpenTrunk filters (IC-CODEC)"),
    /** Describes the body as received. */
    CONTENT_ENCODING("Content-Encoding", "describes the body as received"),
    /** Describes the body as received. */
    CONTENT_DISPOSITION("Content-Disposition", "describes the body as received"),
    /** Rebuilt by CallerIdentity, normalised to E.164 and with privacy applied. */
    P_ASSERTED_IDENTITY("P-Asserted-Identity", "rebuilt by CallerIdentity: E.164, privacy applied (IC-CLI-OUT, IC-CLI-IN)"),
    /** A UA's wish for PAI, for the first trusted hop only (RFC 3325). */
    P_PREFERRED_IDENTITY("P-Preferred-Identity", "meant for the first trusted hop only (RFC 3325); the identity is rebuilt by CallerIdentity"),
    /** Read by CallerIdentity, never copied. */
    REMOTE_PARTY_ID("Remote-Party-ID", "read by CallerIdentity, replaced by P-Asserted-Identity"),
    /** Set by CallerIdentity from the privacy it applied. */
    PRIVACY("Privacy", "set by CallerIdentity from the privacy it applied (RFC 3323)"),
    /** A STIR/SHAKEN signature over the original From, To and date; invalid once From is rebuilt. */
    IDENTITY("Identity", "a STIR/SHAKEN signature over the received From/To; invalid after the rebuild, the carrier signs"),
    /** The customer's call tag goes into the CDR, not to the carrier (IC-TAG). */
    X_TAG("X-Tag", "handled separately: logged in the CDR (IC-TAG), not sent on"),
    /** Names the far end's software: topology hiding. */
    USER_AGENT("User-Agent", "names the other side's equipment; each leg's user agent is OpenTrunk"),
    /** Names the far end's software: topology hiding. */
    SERVER("Server", "names the other side's equipment; each leg's server is OpenTrunk"),
    /** Names a dialog of the other leg; meaningless here. */
    REPLACES("Replaces", "names a dialog of the other leg"),
    /** Names a dialog of the other leg; meaningless here. */
    JOIN("Join", "names a dialog of the other leg"),
    /** Names a dialog of the other leg; meaningless here. */
    TARGET_DIALOG("Target-Dialog", "names a dialog of the other leg"),
    /** Transfers: REFER is not supported (IC-METHODS). */
    REFER_TO("Refer-To", "REFER is not supported (IC-METHODS)"),
    /** Transfers: REFER is not supported (IC-METHODS). */
    REFERRED_BY("Referred-By", "REFER is not supported (IC-METHODS)"),
    /** Reliable provisional responses: PRACK is not supported (IC-METHODS). */
    RSEQ("RSeq", "PRACK is not supported (IC-METHODS)"),
    /** Reliable provisional responses: PRACK is not supported (IC-METHODS). */
    RACK("RAck", "PRACK is not supported (IC-METHODS)"),
    /** Registration routing of one hop. */
    PATH("Path", "registration routing of one hop"),
    /** Registration routing of one hop. */
    SERVICE_ROUTE("Service-Route", "registration routing of one hop"),
    /** Security agreement of one hop (RFC 3329). */
    SECURITY_CLIENT("Security-Client", "security agreement of one hop (RFC 3329)"),
    /** Security agreement of one hop (RFC 3329). */
    SECURITY_SERVER("Security-Server", "security agreement of one hop (RFC 3329)"),
    /** Security agreement of one hop (RFC 3329). */
    SECURITY_VERIFY("Security-Verify", "security agreement of one hop (RFC 3329)");

    private final String headerName;
    private final String reason;

    LegSpecificHeader(String headerName, String reason) {
        this.headerName = headerName;
        this.reason = reason;
    }

    public String headerName() {
        return headerName;
    }

    /** Why it is not copied, for logs and documentation. */
    public String reason() {
        return reason;
    }

    /** The entry for {@code name}, in any case or compact form. */
    public static Optional<LegSpecificHeader> of(String name) {
        String key = HeaderNames.key(name);
        return Arrays.stream(values()).filter(h -> HeaderNames.key(h.headerName).equals(key)).findFirst();
    }
}

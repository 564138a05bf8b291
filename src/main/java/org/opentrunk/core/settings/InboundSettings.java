package org.opentrunk.core.settings;

import java.time.Duration;
import java.util.Optional;

/**
 * Settings of inbound DID calls and of the registrar (IC-ROUTE, IC-CNAM-IN).
 *
 * @param cnamUrl            external CNAM provider, a URL template with {@code {number}}
 *                           ({@code OT_CNAM_URL}); empty = OpenTrunk's own CNAM storage only
 * @param dnsServer          DNS server for SRV/NAPTR routes, {@code host[:port]} ({@code OT_DNS_SERVER});
 *                           empty = the system's resolver
 * @param registerMinExpires shortest registration accepted; shorter gets 423 ({@code OT_REGISTER_MIN_EXPIRES}, seconds)
 * @param registerMaxExpires longest registration granted; longer is shortened ({@code OT_REGISTER_MAX_EXPIRES}, seconds)
 * @param keepaliveInterval  OPTIONS keepalives to registered contacts ({@code OT_KEEPALIVE_INTERVAL},
 *                           seconds; 0 = none)
 */
public record InboundSettings(Optional<String> cnamUrl, Optional<String> dnsServer, int registerMinExpires,
                              int registerMaxExpires, Duration keepaliveInterval) {

    /** RFC 3261 §10.2.1.1 suggests an hour when the PBX does not say. */
    public static final int DEFAULT_REGISTER_MAX_EXPIRES = 3600;
    /** A minute: NAT bindings need refreshing more often, which the keepalives do instead. */
    public static final int DEFAULT_REGISTER_MIN_EXPIRES = 60;
    /** Often enough to keep a UDP NAT binding open: many home routers forget one after 60 s of silence. */
    public static final long DEFAULT_KEEPALIVE_SECONDS = 30;

    public InboundSettings {
        if (registerMinExpires > registerMaxExpires) {
            throw new InvalidSettingException("OT_REGISTER_MIN_EXPIRES", String.valueOf(registerMinExpires),
                    "at most OT_REGISTER_MAX_EXPIRES (" + registerMaxExpires + ")");
        }
    }
}

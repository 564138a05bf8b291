package org.opentrunk.core.settings;

import java.util.Optional;
import java.util.function.Function;
import org.opentrunk.core.front.OutboundProxy;
import org.opentrunk.core.front.TrustedFronts;

/**
 * A node behind OpenTrunk's SIP front (issue 20, docs/cluster.md); neither is set on a single node.
 *
 * @param trustedFronts the fronts whose X-OT-Source header names a request's real source
 *                      ({@code OT_TRUSTED_FRONTS}, comma-separated IPv4 addresses; default none)
 * @param outboundProxy the Route every request this node originates takes
 *                      ({@code OT_OUTBOUND_PROXY}, a sip: URI; default none)
 */
public record FrontSettings(TrustedFronts trustedFronts, Optional<OutboundProxy> outboundProxy) {

    public static final FrontSettings NONE = new FrontSettings(TrustedFronts.NONE, Optional.empty());

    static FrontSettings from(Function<String, String> env) {
        TrustedFronts fronts = TrustedFronts.NONE;
        String list = env.apply("OT_TRUSTED_FRONTS");
        try {
            fronts = TrustedFronts.parse(list);
        } catch (IllegalArgumentException e) {
            SettingProblems.report(env, new InvalidSettingException("OT_TRUSTED_FRONTS", list,
                    "comma-separated IPv4 addresses of the SIP fronts (" + e.getMessage() + ")"));
        }
        Optional<OutboundProxy> proxy = Optional.empty();
        String uri = env.apply("OT_OUTBOUND_PROXY");
        try {
            proxy = OutboundProxy.parse(uri);
        } catch (IllegalArgumentException e) {
            SettingProblems.report(env, new InvalidSettingException("OT_OUTBOUND_PROXY", uri,
                    "the front's SIP URI, e.g. sip:10.0.0.10:5060;lr"));
        }
        return new FrontSettings(fronts, proxy);
    }

    @Override
    public String toString() {
        return "FrontSettings[trustedFronts=" + trustedFronts + ", outboundProxy="
                + outboundProxy.map(OutboundProxy::uri).orElse("none") + "]";
    }
}

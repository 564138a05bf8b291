package org.opentrunk.core.settings;

import java.time.Duration;
import org.opentrunk.core.limits.AdmissionGuard;
import org.opentrunk.core.limits.AuthFailureGuard;

/**
 * Protection against brute force and floods.
 *
 * @param authMaxFailures      failed digest authentications from one address within the window
 *                             that block it ({@code OT_AUTH_MAX_FAILURES})
 * @param authFailureWindow    the window ({@code OT_AUTH_FAILURE_WINDOW}, seconds)
 * @param authBlockTime        how long the address stays blocked ({@code OT_AUTH_BLOCK_TIME}, seconds)
 * @param maxInvitesInProgress INVITEs being set up at once before new ones get 503
 *                             ({@code OT_MAX_INVITES_IN_PROGRESS})
 * @param maxInvitesPerSource  new INVITEs per second from one address that is neither a carrier nor
 *                             an IP-authenticated customer ({@code OT_MAX_INVITES_PER_SOURCE}; 0 = no limit)
 */
public record SecuritySettings(int authMaxFailures, Duration authFailureWindow, Duration authBlockTime,
                               int maxInvitesInProgress, int maxInvitesPerSource) {

    static SecuritySettings from(java.util.function.Function<String, String> env) {
        return new SecuritySettings(
                (int) TrunkSettings.number(env, "OT_AUTH_MAX_FAILURES", AuthFailureGuard.DEFAULT_MAX_FAILURES, 1, 1_000_000),
                Duration.ofSeconds(TrunkSettings.number(env, "OT_AUTH_FAILURE_WINDOW",
                        AuthFailureGuard.DEFAULT_WINDOW.toSeconds(), 1, 86_400)),
                Duration.ofSeconds(TrunkSettings.number(env, "OT_AUTH_BLOCK_TIME",
                        AuthFailureGuard.DEFAULT_BLOCK.toSeconds(), 1, 7 * 86_400)),
                (int) TrunkSettings.number(env, "OT_MAX_INVITES_IN_PROGRESS", AdmissionGuard.DEFAULT_MAX_IN_PROGRESS, 1, 1_000_000),
                (int) TrunkSettings.number(env, "OT_MAX_INVITES_PER_SOURCE", AdmissionGuard.DEFAULT_PER_SOURCE_PER_SECOND, 0, 1_000_000));
    }
}

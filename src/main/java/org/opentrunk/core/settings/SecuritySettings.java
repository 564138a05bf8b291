package org.opentrunk.core.settings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.opentrunk.core.auth.digest.DigestAlgorithm;
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
 * @param digestAlgorithms     digest algorithms offered in challenges, in order of preference
 *                             ({@code OT_DIGEST_ALGORITHMS}, default {@code MD5}); credentials
 *                             with any other algorithm are refused
 */
public record SecuritySettings(int authMaxFailures, Duration authFailureWindow, Duration authBlockTime,
                               int maxInvitesInProgress, int maxInvitesPerSource, List<DigestAlgorithm> digestAlgorithms) {

    public SecuritySettings {
        digestAlgorithms = List.copyOf(digestAlgorithms);
    }

    static SecuritySettings from(java.util.function.Function<String, String> env) {
        return new SecuritySettings(
                (int) TrunkSettings.number(env, "OT_AUTH_MAX_FAILURES", AuthFailureGuard.DEFAULT_MAX_FAILURES, 1, 1_000_000),
                Duration.ofSeconds(TrunkSettings.number(env, "OT_AUTH_FAILURE_WINDOW",
                        AuthFailureGuard.DEFAULT_WINDOW.toSeconds(), 1, 86_400)),
                Duration.ofSeconds(TrunkSettings.number(env, "OT_AUTH_BLOCK_TIME",
                        AuthFailureGuard.DEFAULT_BLOCK.toSeconds(), 1, 7 * 86_400)),
                (int) TrunkSettings.number(env, "OT_MAX_INVITES_IN_PROGRESS", AdmissionGuard.DEFAULT_MAX_IN_PROGRESS, 1, 1_000_000),
                (int) TrunkSettings.number(env, "OT_MAX_INVITES_PER_SOURCE", AdmissionGuard.DEFAULT_PER_SOURCE_PER_SECOND, 0, 1_000_000),
                digestAlgorithmsOrDefault(env));
    }

    private static List<DigestAlgorithm> digestAlgorithmsOrDefault(java.util.function.Function<String, String> env) {
        try {
            return digestAlgorithms(env.apply("OT_DIGEST_ALGORITHMS"));
        } catch (InvalidSettingException e) {
            SettingProblems.report(env, e);
            return DigestAlgorithm.DEFAULT_OFFER;
        }
    }

    /**
     * MD5 alone by default ({@link DigestAlgorithm#DEFAULT_OFFER}, which says why); an operator
     * whose PBXs all take the first challenge they support (RFC 8760) may offer
     * {@code SHA-256,MD5}.
     */
    static List<DigestAlgorithm> digestAlgorithms(String value) {
        if (value == null || value.isBlank()) {
            return DigestAlgorithm.DEFAULT_OFFER;
        }
        List<DigestAlgorithm> algorithms = new ArrayList<>();
        for (String token : value.split(",")) {
            DigestAlgorithm algorithm = DigestAlgorithm.fromToken(token.trim()).orElseThrow(() ->
                    new InvalidSettingException("OT_DIGEST_ALGORITHMS", value, "a comma-separated list of SHA-256 and MD5"));
            if (!algorithms.contains(algorithm)) {
                algorithms.add(algorithm);
            }
        }
        return algorithms;
    }
}

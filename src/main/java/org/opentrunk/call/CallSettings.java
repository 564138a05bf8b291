package org.opentrunk.call;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings a call reads, taken from the trunk's settings when it starts (a call keeps the
 * ones it started with).
 *
 * @param sessionExpires  the session interval asked for on the callee's leg (IC-TIMER, seconds)
 * @param sessionMinSe    the smallest interval accepted (Min-SE, seconds)
 * @param failoverTimeout how long a target may stay silent before the next is tried (IC-ROUTE)
 * @param mediaTimeout    how long an anchored call may go without media (its checks' interval follows)
 * @param keepDigits      whether the DTMF digits of anchored calls go on the CDR
 * @param domain          OpenTrunk's SIP domain, the agent of its Warning headers
 */
public record CallSettings(int sessionExpires, int sessionMinSe, Duration failoverTimeout, Duration mediaTimeout,
                           boolean keepDigits, String domain) {

    public CallSettings {
        Objects.requireNonNull(failoverTimeout, "failoverTimeout");
        Objects.requireNonNull(mediaTimeout, "mediaTimeout");
        Objects.requireNonNull(domain, "domain");
    }
}

package org.opentrunk.core.cnam;

import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Logs failed provider lookups without flooding: every failure at FINE, and at INFO the first one
 * and then at most one line per {@link #INFO_INTERVAL}, counting the failures in between. A dead
 * provider on a busy trunk writes one INFO line a minute, not one per call.
 */
final class ProviderFailureLog {

    /** At most one INFO line per interval. */
    public static final Duration INFO_INTERVAL = Duration.ofMinutes(1);

    private static final Logger LOG = Logger.getLogger(CnamLookup.class.getName());

    private final String origin;
    private long lastInfoAtNanos;
    private boolean loggedOnce;
    private int suppressed;

    /** @param origin the provider's scheme, host and port: what the lines name it by */
    ProviderFailureLog(String origin) {
        this.origin = origin;
    }

    /** @param reason already safe to log (no provider text unquoted) */
    void failed(String reason, long nowNanos) {
        LOG.log(Level.FINE, () -> "CNAM provider " + origin + ": " + reason);
        String line;
        synchronized (this) {
            if (loggedOnce && nowNanos - lastInfoAtNanos < INFO_INTERVAL.toNanos()) {
                suppressed++;
                return;
            }
            line = "CNAM provider " + origin + " gave no usable answer: " + reason
                    + (suppressed > 0 ? " (and " + suppressed + " more failures since the last report)" : "")
                    + "; calls go on without the caller's name";
            loggedOnce = true;
            lastInfoAtNanos = nowNanos;
            suppressed = 0;
        }
        LOG.info(line);
    }
}

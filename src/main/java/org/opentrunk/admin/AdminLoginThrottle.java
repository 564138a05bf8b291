package org.opentrunk.admin;

import java.time.Duration;
import java.util.logging.Logger;
import javax.enterprise.context.ApplicationScoped;
import org.opentrunk.core.limits.AuthFailureGuard;
import org.opentrunk.core.securitylog.SecurityEvent;
import org.opentrunk.core.securitylog.SecurityLog;
import org.opentrunk.core.timer.SteadyClock;

/**
 * Throttles guessing of the admin password over HTTP basic authentication: after
 * {@value #MAX_FAILURES} wrong passwords from one address within {@link #WINDOW}, that address is
 * refused (429 with Retry-After, without checking what it sends) for {@link #BLOCK}. The slow hash
 * already makes each guess cost about 100 ms of CPU; this bounds the number of guesses, and the
 * refusal costs no hash at all. Other addresses are unaffected, so an operator can always log in
 * from elsewhere; the block heals by itself.
 */
@ApplicationScoped
public class AdminLoginThrottle {

    /** A person mistypes a few times; a script guesses thousands. */
    public static final int MAX_FAILURES = 10;
    public static final Duration WINDOW = Duration.ofSeconds(60);
    public static final Duration BLOCK = Duration.ofMinutes(5);

    private static final Logger LOG = Logger.getLogger(AdminLoginThrottle.class.getName());

    private final AuthFailureGuard guard = new AuthFailureGuard(MAX_FAILURES, WINDOW, BLOCK);

    /** True while {@code address} may not try a password. */
    public boolean isBlocked(String address) {
        return guard.isBlocked(address, SteadyClock.millis());
    }

    /** Counts a wrong password from {@code address}; logs once when that blocks it. */
    public void recordFailure(String address) {
        SecurityLog.event(SecurityEvent.ADMIN_AUTH_FAILURE, address);
        if (guard.recordFailure(address, SteadyClock.millis())) {
            SecurityLog.event(SecurityEvent.ADMIN_BLOCK, address, "failures", Integer.toString(MAX_FAILURES),
                    "seconds", Long.toString(BLOCK.toSeconds()));
            LOG.warning(() -> "Blocked admin logins from " + address + " for " + BLOCK.toSeconds() + " s after "
                    + MAX_FAILURES + " wrong passwords within " + WINDOW.toSeconds() + " s");
        }
    }

    /** Seconds a blocked client is told to wait. */
    public long retryAfterSeconds() {
        return BLOCK.toSeconds();
    }
}

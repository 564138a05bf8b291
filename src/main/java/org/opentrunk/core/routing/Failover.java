package org.opentrunk.core.routing;

import java.time.Duration;
import java.util.Set;

/**
 * When a call moves on to the next target (the next carrier of an outbound call, the next route
 * of an inbound one, IC-ROUTE): the target timed out (408), is unavailable (480), failed with any
 * server error (5xx), could not be reached, or sent nothing at all within the failover timer.
 * Every other final answer (404, 486, 603 ...) is the callee's and goes back to the caller unretried.
 */
public final class Failover {

    /** Besides every 5xx. */
    public static final Set<Integer> RETRY_STATUSES = Set.of(408, 480);
    /**
     * How long to wait for any answer (even 100 Trying) from a carrier before trying the next: well
     * under the 32 s INVITE timeout, so a dead carrier costs the caller seconds, not half a minute.
     */
    public static final Duration DEFAULT_NO_ANSWER_TIMEOUT = Duration.ofSeconds(4);

    private Failover() {
    }

    public static boolean triesNextCarrier(int finalStatus) {
        return RETRY_STATUSES.contains(finalStatus) || (finalStatus >= 500 && finalStatus < 600);
    }
}

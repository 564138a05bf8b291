package org.opentrunk.core.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * New calls per second per customer (maxCps), as a token bucket: it holds up to maxCps tokens,
 * refills at maxCps per second, and each new call takes one. A burst up to the limit passes at
 * once, a sustained rate above it is shed. O(1) per call; each bucket is locked only for its own
 * few arithmetic steps.
 */
public final class CallRateLimiter {

    /** What a refused caller is told to wait (Retry-After), in seconds. */
    public static final int RETRY_AFTER_SECONDS = 1;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private static final class Bucket {
        private double tokens;
        private long refilledAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }

        synchronized boolean take(int perSecond, long now) {
            tokens = Math.min(perSecond, tokens + (now - refilledAt) * (double) perSecond / NANOS_PER_SECOND);
            refilledAt = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }

    private final Map<Long, Bucket> buckets = new ConcurrentHashMap<>();

    /** @param nowNanos a monotonic clock ({@link System#nanoTime()}) */
    public boolean tryAcquire(long customerId, int perSecond, long nowNanos) {
        if (perSecond <= 0) {
            return false;
        }
        return buckets.computeIfAbsent(customerId, id -> new Bucket(perSecond, nowNanos)).take(perSecond, nowNanos);
    }
}

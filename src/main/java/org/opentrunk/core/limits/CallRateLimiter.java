package org.opentrunk.core.limits;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TokensInheritanceStrategy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * New calls per second per customer (maxCps), as a token bucket: it holds up to maxCps tokens,
 * refills at maxCps per second, and each new call takes one. A burst up to the limit passes at
 * once, a sustained rate above it is shed.
 *
 * <p>The buckets are Bucket4j's (greedy refill, lock-free): it does the refill arithmetic exactly
 * (no floating point drift) and each call is one compare-and-set. A customer whose maxCps is
 * changed keeps its bucket, reconfigured, with the tokens it had (at most the new limit).
 */
public final class CallRateLimiter {

    /** What a refused caller is told to wait (Retry-After), in seconds. */
    public static final int RETRY_AFTER_SECONDS = 1;

    private record Limit(int perSecond, Bucket bucket) {
    }

    private final CallerClock clock = new CallerClock();
    private final Map<Long, Limit> buckets = new ConcurrentHashMap<>();

    /** @param nowNanos a monotonic clock ({@link System#nanoTime()}) */
    public boolean tryAcquire(long customerId, int perSecond, long nowNanos) {
        if (perSecond <= 0) {
            return false;
        }
        clock.advanceTo(nowNanos);
        Limit limit = buckets.get(customerId);
        if (limit == null || limit.perSecond() != perSecond) {
            limit = buckets.compute(customerId, (id, old) -> {
                if (old == null) {
                    return new Limit(perSecond, Bucket.builder().addLimit(perSecond(perSecond))
                            .withCustomTimePrecision(clock).build());
                }
                if (old.perSecond() != perSecond) {
                    old.bucket().replaceConfiguration(BucketConfiguration.builder().addLimit(perSecond(perSecond)).build(),
                            TokensInheritanceStrategy.AS_IS);
                    return new Limit(perSecond, old.bucket());
                }
                return old;
            });
        }
        return limit.bucket().tryConsume(1);
    }

    private static Bandwidth perSecond(int perSecond) {
        return Bandwidth.builder().capacity(perSecond)
                .refillGreedy(perSecond, Duration.ofSeconds(1)).build();
    }
}

package org.opentrunk.core.limits;

import io.github.bucket4j.TimeMeter;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bucket4j's clock for limiters whose callers pass the time in (a {@link System#nanoTime()}
 * reading per call, so tests can drive time): it reads the latest time any caller has passed.
 * Never goes back, so a caller whose reading is a little older than another's takes its token at
 * the newer time, which is harmless.
 */
final class CallerClock implements TimeMeter {

    private final AtomicLong latest = new AtomicLong(Long.MIN_VALUE);

    /** Moves the clock to {@code nowNanos} unless it is already past it. */
    void advanceTo(long nowNanos) {
        latest.accumulateAndGet(nowNanos, Math::max);
    }

    @Override
    public long currentTimeNanos() {
        return latest.get();
    }

    @Override
    public boolean isWallClockBased() {
        return false;
    }
}

package org.opentrunk.core.limits;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link CallAdmission} of a single node: its {@link ChannelCounter} and {@link CallRateLimiter},
 * answered at once. A call takes its channel first and its token second, so a call refused for
 * lack of channels spends no token of the customer's rate.
 */
public final class LocalCallAdmission implements CallAdmission {

    private final ChannelCounter channels = new ChannelCounter();
    private final CallRateLimiter rates = new CallRateLimiter();

    @Override
    public CompletionStage<ChannelGrant> acquire(long customerId, int maxChannels, int maxCps) {
        return CompletableFuture.completedFuture(acquireNow(customerId, maxChannels, maxCps, System.nanoTime()));
    }

    /** The decision itself, at {@code nowNanos} (monotonic). */
    public ChannelGrant acquireNow(long customerId, int maxChannels, int maxCps, long nowNanos) {
        if (!channels.tryAcquire(customerId, maxChannels)) {
            return ChannelGrant.refused(ChannelGrant.Verdict.CHANNEL_LIMIT);
        }
        if (maxCps != NO_RATE_LIMIT && !rates.tryAcquire(customerId, maxCps, nowNanos)) {
            channels.release(customerId);
            return ChannelGrant.refused(ChannelGrant.Verdict.RATE_LIMIT);
        }
        return ChannelGrant.admitted(() -> channels.release(customerId));
    }

    @Override
    public ChannelGrant count(long customerId) {
        return acquireNow(customerId, NEVER_REFUSED, NO_RATE_LIMIT, System.nanoTime());
    }

    @Override
    public int inUse(long customerId) {
        return channels.inUse(customerId);
    }
}

package org.opentrunk.core.limits;

import java.util.concurrent.CompletionStage;

/**
 * A customer's concurrent calls (maxChannels, both directions) and new calls per second (maxCps),
 * decided together for each call. On one node the counts are the node's own and the answer is
 * there at once ({@link LocalCallAdmission}); with several nodes they hold for all nodes together
 * and the answer comes from the shared state (issue 20), so a caller must not wait for it on a SIP
 * thread: it continues when the stage completes. The stage never completes exceptionally.
 */
public interface CallAdmission {

    /** {@code maxCps} for calls that are counted in the channels but never rate-limited. */
    int NO_RATE_LIMIT = -1;
    /** {@code maxChannels} for calls that are counted but never refused (IC-EMERGENCY). */
    int NEVER_REFUSED = Integer.MAX_VALUE;

    /**
     * A channel of {@code customerId} if fewer than {@code maxChannels} are in use and, unless
     * {@code maxCps} is {@link #NO_RATE_LIMIT}, the customer's call rate has room ({@code 0} refuses
     * every call).
     */
    CompletionStage<ChannelGrant> acquire(long customerId, int maxChannels, int maxCps);

    /**
     * A channel of {@code customerId} that is counted but never refused and never waited for
     * (IC-EMERGENCY): admitted at once, whatever the counts and the shared state.
     */
    ChannelGrant count(long customerId);

    /** Channels of {@code customerId} in use now: on this node, or on all nodes as last known. */
    int inUse(long customerId);
}

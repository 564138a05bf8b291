package org.opentrunk.media;

import java.time.Duration;

/**
 * One relay thread as the health check sees it.
 *
 * @param thread         the thread's name
 * @param alive          whether the thread runs
 * @param sinceLastTurnNanos time since its loop last came round; the loop wakes at least every
 *                       {@link SelectorLoop#MAX_CHECK_INTERVAL}, so much longer means it is stuck
 */
public record RelayLoopState(String thread, boolean alive, long sinceLastTurnNanos) {

    public Duration sinceLastTurn() {
        return Duration.ofNanos(sinceLastTurnNanos);
    }
}

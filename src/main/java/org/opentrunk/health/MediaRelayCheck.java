package org.opentrunk.health;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.opentrunk.media.RelayLoopState;

/**
 * The media relay of anchored calls (IC-DIRECT) works: it runs, and each of its threads is alive
 * and came round lately. A loop wakes at least once a second, so one that has not for
 * {@link #DEFAULT_MAX_TURN_GAP} is stuck and its calls have no media.
 */
public final class MediaRelayCheck implements HealthCheck {

    public static final String NAME = "media-relay";
    /** Five wake-ups missed: well past a GC pause, short enough to catch a stuck thread quickly. */
    public static final Duration DEFAULT_MAX_TURN_GAP = Duration.ofSeconds(5);

    private final Supplier<List<RelayLoopState>> loops;
    private final Duration maxTurnGap;

    /** @param loops the relay threads' states, empty when the relay is not running */
    public MediaRelayCheck(Supplier<List<RelayLoopState>> loops, Duration maxTurnGap) {
        this.loops = Objects.requireNonNull(loops, "loops");
        this.maxTurnGap = Objects.requireNonNull(maxTurnGap, "maxTurnGap");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CheckResult check() {
        List<RelayLoopState> states = loops.get();
        if (states.isEmpty()) {
            return CheckResult.down(NAME, "the media relay is not running");
        }
        for (RelayLoopState loop : states) {
            if (!loop.alive()) {
                return CheckResult.down(NAME, "relay thread " + loop.thread() + " has ended");
            }
            if (loop.sinceLastTurn().compareTo(maxTurnGap) > 0) {
                return CheckResult.down(NAME, "relay thread " + loop.thread() + " stuck for "
                        + loop.sinceLastTurn().toMillis() + " ms");
            }
        }
        return CheckResult.up(NAME, states.size() + " relay threads running");
    }
}

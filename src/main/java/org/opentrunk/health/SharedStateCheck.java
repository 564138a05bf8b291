package org.opentrunk.health;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Whether the node reaches the state it shares with the other nodes (issue 20). Within the grace
 * a node that lost it still places calls on its last known counts, and says so while staying up;
 * past the grace it refuses new calls and is not ready, so the front sends calls elsewhere.
 */
public final class SharedStateCheck implements HealthCheck {

    public static final String NAME = "shared-state";

    private final String where;
    private final java.util.function.BooleanSupplier reachedOnce;
    private final Supplier<Optional<Duration>> unreachableFor;
    private final Duration grace;

    /**
     * @param where          the shared state's address as it may be shown (no password)
     * @param unreachableFor how long it has not answered; empty while it answers
     * @param grace          how long the node goes on without it
     */
    public SharedStateCheck(String where, Supplier<Optional<Duration>> unreachableFor, Duration grace) {
        this(where, () -> true, unreachableFor, grace);
    }

    /**
     * @param reachedOnce whether the node has reached the shared state since it started: until then
     *                    it knows no counts of the other nodes, and is not ready
     */
    public SharedStateCheck(String where, java.util.function.BooleanSupplier reachedOnce,
                            Supplier<Optional<Duration>> unreachableFor, Duration grace) {
        this.reachedOnce = reachedOnce;
        this.where = where;
        this.unreachableFor = unreachableFor;
        this.grace = grace;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CheckResult check() {
        if (!reachedOnce.getAsBoolean()) {
            return CheckResult.down(NAME, where + " not reached since the start: this node knows no shared counts yet");
        }
        Optional<Duration> lost = unreachableFor.get();
        if (lost.isEmpty()) {
            return CheckResult.up(NAME, where + " answers");
        }
        long seconds = lost.get().toSeconds();
        if (lost.get().compareTo(grace) <= 0) {
            return CheckResult.up(NAME, where + " unreachable for " + seconds + " s: calls are placed on the last known"
                    + " counts for up to " + grace.toSeconds() + " s");
        }
        return CheckResult.down(NAME, where + " unreachable for " + seconds + " s, longer than the grace of "
                + grace.toSeconds() + " s: new calls are refused");
    }
}

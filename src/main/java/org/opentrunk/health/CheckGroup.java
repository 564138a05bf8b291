package org.opentrunk.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Checks that answer together, such as readiness: all are started at once and each gets the same
 * deadline, so the caller waits at most {@link #bound()} however many checks hang.
 */
public final class CheckGroup {

    /**
     * How long a caller waits for a group. Below the usual probe timeouts (Kubernetes waits 1 s by
     * default but is set higher for this; Kamailio's dispatcher waits for a SIP transaction), long
     * enough for a database on the network to answer a trivial query under load.
     */
    public static final Duration DEFAULT_BOUND = Duration.ofSeconds(2);

    private final List<BoundedCheck> checks;
    private final Duration bound;

    public CheckGroup(List<BoundedCheck> checks, Duration bound) {
        this.checks = List.copyOf(checks);
        this.bound = Objects.requireNonNull(bound, "bound");
        if (bound.isNegative() || bound.isZero()) {
            throw new IllegalArgumentException("the bound must be positive: " + bound);
        }
    }

    public Duration bound() {
        return bound;
    }

    /** Runs every check (or joins its run under way) and reports within the bound. */
    public HealthReport run() {
        long deadline = System.nanoTime() + bound.toNanos();
        List<BoundedCheck.Run> runs = new ArrayList<>(checks.size());
        for (BoundedCheck check : checks) {
            runs.add(check.start());
        }
        List<CheckResult> results = new ArrayList<>(checks.size());
        for (int i = 0; i < checks.size(); i++) {
            results.add(checks.get(i).await(runs.get(i), deadline));
        }
        return HealthReport.of(results);
    }
}

package org.opentrunk.health;

import java.util.Objects;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The latest readiness verdict, for callers that must not wait for a check: the SIP threads
 * answering a load balancer's OPTIONS. A scheduled task calls {@link #refresh} every
 * {@link #REFRESH_INTERVAL}; {@link #ready} only reads. Not ready until the first refresh has
 * found every check up. Changes are logged, with what is down.
 */
public final class ReadinessWatch {

    /**
     * How often the verdict is renewed. A load balancer sees a change within this plus the checks'
     * bound; frequent enough that it is never the slow part of taking a node out of rotation.
     */
    public static final java.time.Duration REFRESH_INTERVAL = java.time.Duration.ofSeconds(1);

    private static final Logger LOG = Logger.getLogger(ReadinessWatch.class.getName());

    private final CheckGroup checks;
    private volatile HealthReport latest;
    /** Only the refreshing thread touches it. */
    private boolean everReady;

    public ReadinessWatch(CheckGroup checks) {
        this.checks = Objects.requireNonNull(checks, "checks");
    }

    /** Runs the checks (within their bound) and keeps the verdict. Never throws: it is a scheduled task. */
    public void refresh() {
        HealthReport report;
        try {
            report = checks.run();
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "readiness checks failed to run", e);
            return; // keeps the last verdict; the next refresh tries again
        }
        HealthReport before = latest;
        latest = report;
        if (report.up() && (before == null || !before.up())) {
            LOG.info("OpenTrunk is ready" + (everReady ? " again" : ""));
            everReady = true;
        } else if (!report.up() && (before == null || before.up() || !before.failing().equals(report.failing()))) {
            // while starting, parts come up one after the other: worth a note, not a warning
            LOG.log(everReady ? Level.WARNING : Level.INFO, "OpenTrunk is not ready (OPTIONS and /health/ready answer 503): "
                    + report.checks().stream().filter(c -> !c.up()).map(c -> c.name() + ": " + c.detail())
                    .collect(Collectors.joining("; ")));
        }
    }

    /** The latest verdict; false before the first refresh. Never blocks. */
    public boolean ready() {
        HealthReport report = latest;
        return report != null && report.up();
    }

    /** The latest report, empty before the first refresh. */
    public Optional<HealthReport> latest() {
        return Optional.ofNullable(latest);
    }
}

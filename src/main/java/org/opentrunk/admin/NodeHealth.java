package org.opentrunk.admin;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.Optional;
import javax.sql.DataSource;
import org.opentrunk.health.BoundedCheck;
import org.opentrunk.health.CdrJournalCheck;
import org.opentrunk.health.ConfigurationCheck;
import org.opentrunk.health.CheckGroup;
import org.opentrunk.health.DatabaseCheck;
import org.opentrunk.health.DeadlockCheck;
import org.opentrunk.health.HealthReport;
import org.opentrunk.health.MediaRelayCheck;
import org.opentrunk.health.ReadinessWatch;
import org.opentrunk.health.SipListenerCheck;
import org.opentrunk.core.settings.TrunkSettings;
import org.opentrunk.media.RelayEngine;
import org.opentrunk.store.CdrWriter;

/**
 * The node's health checks, wired to this application's trunk and database: liveness (deadlocks),
 * readiness (database, configuration loaded, CDR journal, media relay, SIP listener, STIR/SHAKEN settings) and the
 * readiness watch that renews the verdict the SIP side answers OPTIONS with. Built by
 * {@link TrunkAssembly}, which hands the watch to the trunk.
 *
 * <p>The watch leaves out the SIP listener check: every OPTIONS it answers is that check passing,
 * and the check's own OPTIONS would add a SIP application session every second. It runs on
 * {@code /health/ready} only. So does the STIR/SHAKEN check: a broken key is the operator's to
 * fix, and every node has the same settings, so it must not take all of them out of rotation.
 */
public final class NodeHealth implements AutoCloseable {

    /** At most one run per check at a time (BoundedCheck), so a handful of threads suffices. */
    private static final int CHECK_THREADS = 6;
    /** How long close waits for a check under way. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(2);

    private final CheckGroup live;
    private final CheckGroup ready;
    private final ReadinessWatch watch;
    private final ExecutorService checkThreads;
    private final ScheduledExecutorService refresher;

    /**
     * @param settings    the node's settings (its SIP listener)
     * @param stirService STIR/SHAKEN, whose key settings are checked
     * @param cdrs     the CDR writer, whose journal is checked
     * @param relay    the media relay, whose threads are checked
     * @param configurationFailure why the configuration is not loaded from the database yet; null once it is
     * @param sharedState the check of the state shared with other nodes (issue 20); empty on a single node
     */
    NodeHealth(TrunkSettings settings, org.opentrunk.core.stir.StirService stirService, CdrWriter cdrs, RelayEngine relay,
               DataSource dataSource, ThreadFactory threads, java.util.function.Supplier<String> configurationFailure,
               Optional<org.opentrunk.health.HealthCheck> sharedState) {
        checkThreads = Executors.newFixedThreadPool(CHECK_THREADS, threads);
        refresher = Executors.newSingleThreadScheduledExecutor(threads);
        BoundedCheck database = new BoundedCheck(new DatabaseCheck(dataSource), checkThreads);
        BoundedCheck journal = new BoundedCheck(new CdrJournalCheck(() -> Optional.of(cdrs.health()), CdrJournalCheck.DEFAULT_MAX_BACKLOG),
                checkThreads);
        BoundedCheck media = new BoundedCheck(new MediaRelayCheck(relay::loopStates, MediaRelayCheck.DEFAULT_MAX_TURN_GAP),
                checkThreads);
        BoundedCheck sip = new BoundedCheck(new SipListenerCheck(settings.sipHost(), settings.sipPort(),
                SipListenerCheck.DEFAULT_ANSWER_WAIT), checkThreads);
        live = new CheckGroup(List.of(new BoundedCheck(new DeadlockCheck(), checkThreads)), CheckGroup.DEFAULT_BOUND);
        BoundedCheck stir = new BoundedCheck(new org.opentrunk.health.StirKeyCheck(stirService::status), checkThreads);
        BoundedCheck configuration = new BoundedCheck(new ConfigurationCheck(configurationFailure), checkThreads);
        List<BoundedCheck> readiness = new java.util.ArrayList<>(List.of(database, configuration, journal, media, sip, stir));
        List<BoundedCheck> forCalls = new java.util.ArrayList<>(List.of(database, configuration, journal, media));
        sharedState.ifPresent(check -> {
            BoundedCheck shared = new BoundedCheck(check, checkThreads);
            readiness.add(shared);
            forCalls.add(shared);
        });
        ready = new CheckGroup(readiness, CheckGroup.DEFAULT_BOUND);
        watch = new ReadinessWatch(new CheckGroup(forCalls, CheckGroup.DEFAULT_BOUND));
    }

    /** Starts renewing the readiness verdict (the SIP side answers load balancers' OPTIONS with it). */
    void start() {
        refresher.scheduleWithFixedDelay(watch::refresh, 0, ReadinessWatch.REFRESH_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The readiness verdict, renewed once {@link #start started}. */
    ReadinessWatch watch() {
        return watch;
    }

    /** Whether the process should be restarted; within the checks' bound. */
    public HealthReport live() {
        return live.run();
    }

    /** Whether the node can take calls, every check run now; within the checks' bound. */
    public HealthReport ready() {
        return ready.run();
    }

    @Override
    public void close() {
        refresher.shutdownNow();
        checkThreads.shutdownNow();
        try {
            checkThreads.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

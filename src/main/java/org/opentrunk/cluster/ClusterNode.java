package org.opentrunk.cluster;

import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.opentrunk.core.limits.CallAdmission;
import org.opentrunk.core.settings.ClusterSettings;
import org.opentrunk.core.timer.SteadyClock;
import org.opentrunk.health.HealthCheck;
import org.opentrunk.health.SharedStateCheck;
import org.opentrunk.sip.ClusterHooks;
import org.opentrunk.sip.Trunk;

/**
 * This node as one of several (issue 20): the link to the shared state and everything that uses
 * it, built before the {@link Trunk} (which takes its call admission, nonce key and hooks) and
 * joined to it once the trunk exists. The composition root makes one when {@code OT_REDIS_URL} is
 * set, and closes it at the end.
 */
public final class ClusterNode implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ClusterNode.class.getName());
    /** How often a node that lost Redis looks whether it is back. */
    static final java.time.Duration PROBE_EVERY = java.time.Duration.ofSeconds(1);
    /** How often a node that could not read the shared nonce key tries again. */
    static final java.time.Duration KEY_RETRY = java.time.Duration.ofSeconds(5);

    private final ClusterSettings settings;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService work;
    private final RedisLink redis;
    private final ClusterEvents events;
    private final SharedCallAdmission admission;
    private final KeepaliveLeader leader;
    private final String runId;

    private ClusterNode(ClusterSettings settings, ThreadFactory threads) {
        this.settings = settings;
        this.scheduler = Executors.newScheduledThreadPool(1, threads);
        // One thread: notices are applied in the order they came (two reloads of one customer's
        // registrations cannot finish the wrong way round).
        this.work = Executors.newSingleThreadExecutor(threads);
        this.redis = new RedisLink(settings.redisUrl().orElseThrow(), scheduler, work);
        this.events = new ClusterEvents(redis, settings.nodeId(), work);
        this.runId = Long.toHexString(new java.security.SecureRandom().nextLong());
        this.admission = new SharedCallAdmission(redis, settings.nodeId(), runId, settings.sharedStateGrace(), SteadyClock::millis);
        this.leader = new KeepaliveLeader(redis, settings.nodeId(), SteadyClock::millis);
    }

    /**
     * Starts connecting to the shared state (in the background: the node starts while it is
     * down) with threads from {@code threads} (the container's managed ones).
     */
    public static ClusterNode start(ClusterSettings settings, ThreadFactory threads) {
        ClusterNode node = new ClusterNode(settings, threads);
        node.redis.start();
        node.every(SharedCallAdmission.RENEW_EVERY, node.admission::renew, "renewing channel leases");
        node.every(PROBE_EVERY, node.admission::probe, "probing the shared state");
        node.every(KeepaliveLeader.RENEW_EVERY, node.leader::claim, "claiming the keepalives");
        LOG.info(() -> "Node " + settings.nodeId() + " of a trunk sharing its state at " + node.redis.displayUrl());
        return node;
    }

    /** maxChannels and maxCps for all nodes together. */
    public CallAdmission admission() {
        return admission;
    }

    /** The digest nonces' key the operator gave every node ({@code OT_NONCE_SECRET}), if any; else Redis's, once reached. */
    public Optional<byte[]> nonceSecret() {
        return settings.nonceSecret();
    }

    /** What the SIP side tells and asks the other nodes. */
    public ClusterHooks hooks() {
        return new ClusterHooks(customerId -> events.publish(ClusterEvent.Kind.BINDINGS, customerId), leader);
    }

    /** The readiness check of the shared state. */
    public HealthCheck check() {
        return new SharedStateCheck(redis.displayUrl(), redis::everConnected, admission::unreachableFor, admission.grace());
    }

    /**
     * Joins the built trunk to the others: blocks, suspensions, nonces, live calls and change
     * notices. {@code reloadConfiguration} re-reads provisioning from the database, and
     * {@code reloadBindings} one customer's registrations (both may block: they run on this node's
     * worker threads); on every (re)connection both catch up in full ({@code reloadBindings} with -1).
     */
    public void join(Trunk trunk, Runnable reloadConfiguration, LongConsumer reloadBindings) {
        new SharedGuards(redis, events, trunk.authFailures(), trunk.countryGuard(), SteadyClock::millis).start();
        SharedNonces nonces = new SharedNonces(redis, events, settings.nodeId());
        nonces.start(trunk.nonces(), settings.nonceSecret().isEmpty());
        every(trunk.nonces().lifetime().dividedBy(2), () -> nonces.refresh(trunk.nonces()), "announcing the nonce run");
        every(KEY_RETRY, () -> nonces.ensureSharedKey(trunk.nonces()), "reading the shared nonce key");
        LiveCallsBoard board = new LiveCallsBoard(redis, settings.nodeId(), () -> trunk.liveCalls().summaries());
        trunk.liveCalls().otherNodes(settings.nodeId(), board::others);
        every(LiveCallsBoard.POST_EVERY, () -> board.post(admission::nodes), "posting the live calls");
        events.on(ClusterEvent.Kind.CONFIG, e -> reloadConfiguration.run());
        events.on(ClusterEvent.Kind.BINDINGS, e -> reloadBindings.accept(e.longArgument(0)));
        redis.onConnected(() -> {
            reloadConfiguration.run();
            reloadBindings.accept(-1);
            admission.restore();
        });
        events.start();
    }

    /** Tells the other nodes that provisioning changed. */
    public void configurationChanged() {
        events.publish(ClusterEvent.Kind.CONFIG);
    }

    public String nodeId() {
        return settings.nodeId();
    }

    private void every(java.time.Duration period, Runnable task, String what) {
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Shared state: " + what + " failed", e);
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        leader.resign(); // another node takes the keepalives now, not a term later
        scheduler.shutdownNow();
        work.shutdownNow();
        redis.close();
    }
}

package org.opentrunk.cluster;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.opentrunk.core.limits.CallAdmission;
import org.opentrunk.core.limits.CallRateLimiter;
import org.opentrunk.core.limits.ChannelGrant;

/**
 * maxChannels and maxCps for all nodes together (issue 20). A call's channel is a <em>lease</em>
 * in the customer's sorted set in Redis, scored by its expiry; the node renews its live calls'
 * leases every {@link #RENEW_EVERY}, so the leases of a node that died expire within
 * {@link #LEASE} and its channels are free again without anyone cleaning up. The call rate is a
 * token bucket in Redis. One Lua script decides both atomically with Redis's own clock (nodes'
 * clocks may differ), in one round trip.
 *
 * <p>When Redis cannot be reached (or does not answer within {@link RedisLink#COMMAND_TIMEOUT})
 * the node decides alone on what it last knew: the channels the other nodes held at the last
 * answer plus its own, and its share of the rate. It does so for the grace
 * ({@code OT_SHARED_STATE_GRACE}); after it, new calls are refused (503) until Redis answers, and
 * the readiness check says so, so that the front sends calls to nodes that can still count.
 */
public final class SharedCallAdmission implements CallAdmission {

    private static final Logger LOG = Logger.getLogger(SharedCallAdmission.class.getName());
    /** How long a channel lease lives without renewal: the most a dead node's channels stay taken. */
    public static final Duration LEASE = Duration.ofSeconds(30);
    /** How often a node renews the leases of its live calls (three renewals per lease). */
    public static final Duration RENEW_EVERY = Duration.ofSeconds(10);
    /** Redis keys: a customer's leases and rate bucket share a hash tag, so one script reaches both in a Redis Cluster. */
    static final String CHANNELS_KEY = "ot:ch:{c%d}";
    static final String RATE_KEY = "ot:cps:{c%d}";

    static final long ADMITTED = 0;
    static final long NO_CHANNEL = 1;
    static final long NO_RATE = 2;

    /**
     * KEYS[1] leases (zset member = lease, score = expiry ms), KEYS[2] rate bucket (hash tokens, at).
     * ARGV lease, lease ms, max channels, max cps (-1: none). Returns {verdict, leases held after}.
     */
    static final String ACQUIRE = """
            redis.call('ZREM', KEYS[1], ARGV[1])
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
            local held = redis.call('ZCARD', KEYS[1])
            if held >= tonumber(ARGV[3]) then return {1, held} end
            local cps = tonumber(ARGV[4])
            if cps >= 0 then
              if cps == 0 then return {2, held} end
              local b = redis.call('HMGET', KEYS[2], 'tokens', 'at')
              local tokens = tonumber(b[1]) or cps
              local at = tonumber(b[2]) or now
              if now > at then tokens = math.min(cps, tokens + (now - at) * cps / 1000) end
              if tokens < 1 then
                redis.call('HSET', KEYS[2], 'tokens', tostring(tokens), 'at', now)
                redis.call('PEXPIRE', KEYS[2], 2000)
                return {2, held}
              end
              redis.call('HSET', KEYS[2], 'tokens', tostring(tokens - 1), 'at', now)
              redis.call('PEXPIRE', KEYS[2], 2000)
            end
            redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
            redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
            return {0, held + 1}
            """;

    /**
     * KEYS[1] leases; ARGV lease ms, 'XX' (renew only leases Redis has) or 'ALL' (re-add lost ones,
     * after a reconnection), then the leases. Returns the count.
     */
    static final String RENEW = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            for i = 3, #ARGV do
              if ARGV[2] == 'XX' then redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[i])
              else redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[i]) end
            end
            redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]))
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
            return redis.call('ZCARD', KEYS[1])
            """;

    /** KEYS[1] leases. Returns the unexpired count. */
    static final String COUNT = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            return redis.call('ZCOUNT', KEYS[1], now, '+inf')
            """;

    private final RedisLink redis;
    private final long leaseMs;
    private final String leasePrefix;
    private final long graceMs;
    private final LongSupplier steadyMillis;
    private final AtomicLong sequence = new AtomicLong();
    /** This node's leases by customer: what it renews, and its own share of the counts. */
    private final Map<Long, Map<String, Boolean>> held = new ConcurrentHashMap<>();
    /** Per customer, the channels the other nodes held at Redis's last answer. */
    private final Map<Long, Integer> othersLastKnown = new ConcurrentHashMap<>();
    /** The rate of a customer while Redis is out of reach: this node's share only. */
    private final CallRateLimiter fallbackRates = new CallRateLimiter();
    /** Steady time since when Redis has not answered; -1 while it answers. */
    private final AtomicLong unreachableSinceMs = new AtomicLong(-1);
    /** Nodes sharing the trunk, as the live calls board last saw them: the fallback rate's divisor. */
    private final AtomicInteger nodes = new AtomicInteger(1);

    /**
     * @param nodeId       this node's id, part of every lease it takes
     * @param runId        this run's id, so that leases of an earlier run of the node are never renewed by this one
     * @param grace        how long to decide alone when Redis does not answer
     * @param steadyMillis a monotonic clock in milliseconds
     */
    public SharedCallAdmission(RedisLink redis, String nodeId, String runId, Duration grace, LongSupplier steadyMillis) {
        this(redis, nodeId, runId, grace, steadyMillis, LEASE);
    }

    /** With a lease other than {@link #LEASE} (tests that watch a dead node's leases expire). */
    SharedCallAdmission(RedisLink redis, String nodeId, String runId, Duration grace, LongSupplier steadyMillis,
                        Duration lease) {
        this.leaseMs = lease.toMillis();
        this.redis = redis;
        this.leasePrefix = nodeId + ":" + runId + ":";
        this.graceMs = grace.toMillis();
        this.steadyMillis = steadyMillis;
    }

    @Override
    public CompletionStage<ChannelGrant> acquire(long customerId, int maxChannels, int maxCps) {
        String lease = leasePrefix + sequence.incrementAndGet();
        hold(customerId, lease);
        Optional<RedisAsyncCommands<String, String>> commands = redis.commands();
        if (commands.isEmpty() || unreachableSinceMs.get() >= 0) {
            // Known to be away: decide at once (renew() probes it and notices its return) rather
            // than make each call wait for a timeout.
            return CompletableFuture.completedFuture(alone(customerId, lease, maxChannels, maxCps));
        }
        CompletableFuture<ChannelGrant> decided = new CompletableFuture<>();
        commands.get().<List<Long>>eval(ACQUIRE, ScriptOutputType.MULTI,
                        new String[] {channelsKey(customerId), rateKey(customerId)},
                        lease, String.valueOf(leaseMs), String.valueOf(maxChannels), String.valueOf(maxCps))
                .toCompletableFuture()
                .orTimeout(RedisLink.COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((answer, error) -> {
                    try {
                        if (error != null || answer == null || answer.size() < 2) {
                            ChannelGrant alone = alone(customerId, lease, maxChannels, maxCps, error);
                            if (!alone.admitted()) {
                                // The script may still run once Redis answers (it was only slow), and
                                // take a lease for a call refused here: this ZREM, on the same
                                // connection, runs after it and gives it back.
                                redis.commands().ifPresent(c -> c.zrem(channelsKey(customerId), lease));
                            }
                            decided.complete(alone);
                        } else {
                            decided.complete(decided(customerId, lease, answer.get(0), answer.get(1).intValue()));
                        }
                    } catch (RuntimeException e) {
                        unhold(customerId, lease);
                        decided.complete(ChannelGrant.refused(ChannelGrant.Verdict.UNAVAILABLE));
                    }
                });
        return decided;
    }

    @Override
    public ChannelGrant count(long customerId) {
        String lease = leasePrefix + sequence.incrementAndGet();
        hold(customerId, lease);
        redis.commands().ifPresent(c -> c.eval(ACQUIRE, ScriptOutputType.MULTI,
                new String[] {channelsKey(customerId), rateKey(customerId)}, lease, String.valueOf(leaseMs),
                String.valueOf(NEVER_REFUSED), String.valueOf(NO_RATE_LIMIT)));
        return ChannelGrant.admitted(() -> release(customerId, lease));
    }

    private ChannelGrant decided(long customerId, String lease, long verdict, int heldAfter) {
        reachable();
        int mine = mineOf(customerId);
        if (verdict == ADMITTED) {
            othersLastKnown.put(customerId, Math.max(0, heldAfter - mine));
            return ChannelGrant.admitted(() -> release(customerId, lease));
        }
        unhold(customerId, lease);
        othersLastKnown.put(customerId, Math.max(0, heldAfter - mineOf(customerId)));
        return ChannelGrant.refused(verdict == NO_CHANNEL ? ChannelGrant.Verdict.CHANNEL_LIMIT : ChannelGrant.Verdict.RATE_LIMIT);
    }

    private ChannelGrant alone(long customerId, String lease, int maxChannels, int maxCps, Throwable why) {
        LOG.log(Level.FINE, "Shared state did not answer a call's admission", why);
        return alone(customerId, lease, maxChannels, maxCps);
    }

    /** The decision without Redis: last known counts of the others plus this node's own, within the grace. */
    private ChannelGrant alone(long customerId, String lease, int maxChannels, int maxCps) {
        long now = steadyMillis.getAsLong();
        unreachableSinceMs.compareAndSet(-1, now);
        if (now - unreachableSinceMs.get() > graceMs) {
            unhold(customerId, lease);
            return ChannelGrant.refused(ChannelGrant.Verdict.UNAVAILABLE);
        }
        int inUse = mineOf(customerId) - 1 + othersLastKnown.getOrDefault(customerId, 0);
        if (inUse >= maxChannels) {
            unhold(customerId, lease);
            return ChannelGrant.refused(ChannelGrant.Verdict.CHANNEL_LIMIT);
        }
        if (maxCps != NO_RATE_LIMIT) {
            int share = maxCps <= 0 ? 0 : Math.max(1, maxCps / Math.max(1, nodes.get()));
            if (!fallbackRates.tryAcquire(customerId, share, System.nanoTime())) {
                unhold(customerId, lease);
                return ChannelGrant.refused(ChannelGrant.Verdict.RATE_LIMIT);
            }
        }
        return ChannelGrant.admitted(() -> release(customerId, lease));
    }

    private void release(long customerId, String lease) {
        unhold(customerId, lease);
        redis.commands().ifPresent(c -> c.zrem(channelsKey(customerId), lease));
        // Not reachable: the lease is not renewed any more and expires within LEASE.
    }

    @Override
    public int inUse(long customerId) {
        Optional<RedisAsyncCommands<String, String>> commands = redis.commands();
        if (commands.isPresent() && unreachableSinceMs.get() < 0) {
            try {
                Long count = commands.get().<Long>eval(COUNT, ScriptOutputType.INTEGER, channelsKey(customerId))
                        .get(RedisLink.COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                if (count != null) {
                    return count.intValue();
                }
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        return mineOf(customerId) + othersLastKnown.getOrDefault(customerId, 0);
    }

    /**
     * Renews this node's leases (each customer's in one script) and learns the counts meanwhile;
     * with a ping, so that a Redis that stopped answering is noticed even with no call up. Runs
     * every {@link #RENEW_EVERY} on a scheduler.
     */
    public void renew() {
        renew(false);
    }

    /**
     * After a reconnection: as {@link #renew()}, and leases Redis lost (it restarted empty) are
     * added back.
     */
    public void restore() {
        renew(true);
    }

    /** While Redis is away: a ping, so that its return is noticed within a second, not a renewal period. */
    public void probe() {
        if (unreachableSinceMs.get() >= 0) {
            redis.commands().ifPresentOrElse(c -> c.ping().toCompletableFuture()
                    .orTimeout(RedisLink.COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete((pong, error) -> {
                        if (error == null) {
                            restore();
                        }
                    }), () -> { });
        }
    }

    private void renew(boolean restoring) {
        // After an outage Redis may have restarted empty: the leases it lost are added back.
        boolean readdLost = restoring || unreachableSinceMs.get() >= 0;
        Optional<RedisAsyncCommands<String, String>> commands = redis.commands();
        if (commands.isEmpty()) {
            unreachableSinceMs.compareAndSet(-1, steadyMillis.getAsLong());
            return;
        }
        List<CompletableFuture<?>> renewals = new ArrayList<>();
        renewals.add(commands.get().ping().toCompletableFuture());
        held.forEach((customerId, leases) -> {
            List<String> args = new ArrayList<>();
            args.add(String.valueOf(leaseMs));
            args.add(readdLost ? "ALL" : "XX");
            args.addAll(leases.keySet());
            if (args.size() == 2) {
                return; // kept (one small map per customer): removing it could race a call taking a lease
            }
            renewals.add(commands.get().<Long>eval(RENEW, ScriptOutputType.INTEGER, new String[] {channelsKey(customerId)},
                    args.toArray(String[]::new)).toCompletableFuture().thenAccept(count -> {
                        othersLastKnown.put(customerId, Math.max(0, count.intValue() - mineOf(customerId)));
                    }));
        });
        CompletableFuture.allOf(renewals.toArray(CompletableFuture[]::new))
                .orTimeout(RedisLink.COMMAND_TIMEOUT.toMillis() * 4, TimeUnit.MILLISECONDS)
                .whenComplete((done, error) -> {
                    if (error == null) {
                        reachable();
                    } else {
                        unreachableSinceMs.compareAndSet(-1, steadyMillis.getAsLong());
                        LOG.log(Level.FINE, "Renewing channel leases failed", error);
                    }
                });
    }

    /** How long Redis has not answered, or empty while it answers. */
    public Optional<Duration> unreachableFor() {
        long since = unreachableSinceMs.get();
        return since < 0 ? Optional.empty() : Optional.of(Duration.ofMillis(steadyMillis.getAsLong() - since));
    }

    /** Whether the grace has run out (calls are refused). */
    public boolean graceSpent() {
        return unreachableFor().map(d -> d.toMillis() > graceMs).orElse(false);
    }

    public Duration grace() {
        return Duration.ofMillis(graceMs);
    }

    /** The nodes sharing the trunk, for the rate share while Redis is out of reach. */
    public void nodes(int count) {
        nodes.set(Math.max(1, count));
    }

    /** Leases this node holds now. */
    public int heldHere() {
        return held.values().stream().mapToInt(Map::size).sum();
    }

    private void reachable() {
        if (unreachableSinceMs.getAndSet(-1) >= 0) {
            LOG.info("Shared call counters answer again");
        }
    }

    private void hold(long customerId, String lease) {
        held.computeIfAbsent(customerId, id -> new ConcurrentHashMap<>()).put(lease, Boolean.TRUE);
    }

    private void unhold(long customerId, String lease) {
        Map<String, Boolean> leases = held.get(customerId);
        if (leases != null) {
            leases.remove(lease);
        }
    }

    private boolean holds(long customerId, String lease) {
        Map<String, Boolean> leases = held.get(customerId);
        return leases != null && leases.containsKey(lease);
    }

    private int mineOf(long customerId) {
        Map<String, Boolean> leases = held.get(customerId);
        return leases == null ? 0 : leases.size();
    }

    static String channelsKey(long customerId) {
        return String.format(java.util.Locale.ROOT, CHANNELS_KEY, customerId);
    }

    static String rateKey(long customerId) {
        return String.format(java.util.Locale.ROOT, RATE_KEY, customerId);
    }
}

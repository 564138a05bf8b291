package org.opentrunk.cluster;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.opentrunk.core.limits.AuthFailureGuard;
import org.opentrunk.core.limits.CountryGuard;

/**
 * Brute-force blocks and fraud-guard suspensions as one trunk's (issue 20): a block one node
 * imposes is a Redis key that expires with it and a notice the others apply at once; a suspension
 * stays in a Redis hash until an operator clears it on any node. Both outlive a node's restart:
 * a node starting (or reconnecting) adopts what Redis holds and hands over what it imposed alone
 * meanwhile. Failures are still counted per node: an address spreading its guesses over N nodes
 * gets at most N times the failures before the first block, then is blocked on all of them.
 */
public final class SharedGuards {

    private static final Logger LOG = Logger.getLogger(SharedGuards.class.getName());
    static final String BLOCK_PREFIX = "ot:block:";
    static final String SUSPENSIONS = "ot:suspensions";
    /** Keys read per SCAN step when catching up. */
    private static final int SCAN_BATCH = 500;
    /** Longest a catch-up waits for one Redis answer (it runs on a worker thread, never a SIP thread). */
    private static final long CATCH_UP_WAIT_MS = 2_000;

    private final RedisLink redis;
    private final ClusterEvents events;
    private final AuthFailureGuard blocks;
    private final CountryGuard suspensions;
    private final LongSupplier steadyMillis;
    /** Blocks lifted and suspensions cleared here that Redis has not confirmed deleting yet. */
    private final java.util.Set<String> liftedWhileAway = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.Set<String> clearedWhileAway = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public SharedGuards(RedisLink redis, ClusterEvents events, AuthFailureGuard blocks, CountryGuard suspensions,
                        LongSupplier steadyMillis) {
        this.redis = redis;
        this.events = events;
        this.blocks = blocks;
        this.suspensions = suspensions;
        this.steadyMillis = steadyMillis;
    }

    /** Wires the guards to Redis and the notices; call once, before {@link ClusterEvents#start()}. */
    public void start() {
        blocks.listener(new AuthFailureGuard.Listener() {
            @Override
            public void blocked(AuthFailureGuard.Block block, long nowMs) {
                long left = block.untilMs() - nowMs;
                redis.commands().ifPresent(c -> c.set(BLOCK_PREFIX + block.address(), String.valueOf(block.failures()),
                        SetArgs.Builder.px(left)));
                events.publish(ClusterEvent.Kind.BLOCKED, block.address(), left, block.failures());
            }

            @Override
            public void unblocked(String address) {
                liftedWhileAway.add(BLOCK_PREFIX + address);
                redis.commands().ifPresent(c -> c.del(BLOCK_PREFIX + address)
                        .thenRun(() -> liftedWhileAway.remove(BLOCK_PREFIX + address)));
                events.publish(ClusterEvent.Kind.UNBLOCKED, address);
            }
        });
        suspensions.listener(new CountryGuard.Listener() {
            @Override
            public void suspended(CountryGuard.Suspension suspension) {
                redis.commands().ifPresent(c -> c.hset(SUSPENSIONS, field(suspension.customerId(), suspension.countryCode()),
                        String.valueOf(suspension.limitPerMinute())));
                events.publish(ClusterEvent.Kind.SUSPENDED, suspension.customerId(), suspension.countryCode(),
                        suspension.limitPerMinute());
            }

            @Override
            public void cleared(long customerId, int countryCode) {
                String field = field(customerId, countryCode);
                clearedWhileAway.add(field);
                redis.commands().ifPresent(c -> c.hdel(SUSPENSIONS, field).thenRun(() -> clearedWhileAway.remove(field)));
                events.publish(ClusterEvent.Kind.SUSPENSION_CLEARED, customerId, countryCode);
            }
        });
        events.on(ClusterEvent.Kind.BLOCKED, e -> blocks.adopt(e.argument(0), steadyMillis.getAsLong(), e.longArgument(1),
                (int) e.longArgument(2)));
        events.on(ClusterEvent.Kind.UNBLOCKED, e -> blocks.forget(e.argument(0)));
        events.on(ClusterEvent.Kind.SUSPENDED, e -> suspensions.adopt(new CountryGuard.Suspension(e.longArgument(0),
                (int) e.longArgument(1), steadyMillis.getAsLong(), (int) e.longArgument(2))));
        events.on(ClusterEvent.Kind.SUSPENSION_CLEARED, e -> suspensions.forget(e.longArgument(0), (int) e.longArgument(1)));
        redis.onConnected(this::catchUp);
    }

    /** After (re)connecting: hand over what was imposed alone, then adopt everything Redis holds. */
    void catchUp() {
        Optional<RedisAsyncCommands<String, String>> commands = redis.commands();
        if (commands.isEmpty()) {
            return;
        }
        RedisAsyncCommands<String, String> c = commands.get();
        long now = steadyMillis.getAsLong();
        try {
            // What an operator lifted here while Redis was away goes first, or it would come back.
            for (String key : List.copyOf(liftedWhileAway)) {
                c.del(key).get(CATCH_UP_WAIT_MS, TimeUnit.MILLISECONDS);
                liftedWhileAway.remove(key);
            }
            for (String field : List.copyOf(clearedWhileAway)) {
                c.hdel(SUSPENSIONS, field).get(CATCH_UP_WAIT_MS, TimeUnit.MILLISECONDS);
                clearedWhileAway.remove(field);
            }
            for (AuthFailureGuard.Block block : blocks.blocks(now)) {
                c.set(BLOCK_PREFIX + block.address(), String.valueOf(block.failures()),
                        SetArgs.Builder.px(block.untilMs() - now).nx());
            }
            for (CountryGuard.Suspension suspension : suspensions.suspensions()) {
                c.hsetnx(SUSPENSIONS, field(suspension.customerId(), suspension.countryCode()),
                        String.valueOf(suspension.limitPerMinute()));
            }
            int adopted = 0;
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = c.scan(cursor, ScanArgs.Builder.matches(BLOCK_PREFIX + "*").limit(SCAN_BATCH))
                        .get(CATCH_UP_WAIT_MS, TimeUnit.MILLISECONDS);
                for (String key : page.getKeys()) {
                    Long left = c.pttl(key).get(CATCH_UP_WAIT_MS, TimeUnit.MILLISECONDS);
                    String failures = c.get(key).get(CATCH_UP_WAIT_MS, TimeUnit.MILLISECONDS);
                    if (left != null && left > 0 && failures != null) {
                        blocks.adopt(key.substring(BLOCK_PREFIX.length()), steadyMillis.getAsLong(), left, parse(failures));
                        adopted++;
                    }
                }
                cursor = page;
            } while (!cursor.isFinished());
            Map<String, String> stored = c.hgetall(SUSPENSIONS).get(CATCH_UP_WAIT_MS, TimeUnit.MILLISECONDS);
            for (Map.Entry<String, String> entry : stored.entrySet()) {
                String[] parts = entry.getKey().split(":");
                if (parts.length == 2) {
                    suspensions.adopt(new CountryGuard.Suspension(Long.parseLong(parts[0]), Integer.parseInt(parts[1]),
                            steadyMillis.getAsLong(), parse(entry.getValue())));
                }
            }
            int blocksAdopted = adopted;
            LOG.info(() -> "Shared guards: " + blocksAdopted + " blocks and " + stored.size() + " fraud-guard suspensions in force");
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.log(Level.WARNING, "Reading the shared blocks and suspensions failed; they apply here from the next notice", e);
        }
    }

    private static int parse(String number) {
        try {
            return Integer.parseInt(number.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static String field(long customerId, int countryCode) {
        return customerId + ":" + countryCode;
    }
}

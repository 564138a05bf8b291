package org.opentrunk.cluster;

import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * The one node that sends the keepalives to registered contacts (issue 20: once, not once per
 * node): the holder of a Redis key with expiry, taken by whoever finds it free and extended by its
 * holder every {@link #RENEW_EVERY}. A leader that dies is replaced within {@link #TERM}. While
 * Redis cannot be reached for longer than a term, every node sends them: a PBX's NAT kept open
 * twice is better than not at all.
 */
public final class KeepaliveLeader implements BooleanSupplier {

    private static final Logger LOG = Logger.getLogger(KeepaliveLeader.class.getName());
    static final String KEY = "ot:keepalive-leader";
    public static final Duration TERM = Duration.ofSeconds(30);
    public static final Duration RENEW_EVERY = Duration.ofSeconds(10);

    /** KEYS[1] the leader key; ARGV node, term ms. Takes it if free, extends it if ours; 1 when ours. */
    static final String CLAIM = """
            if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
              return 1
            end
            return 0
            """;

    private final RedisLink redis;
    private final String nodeId;
    private final LongSupplier steadyMillis;
    private volatile boolean leading;
    /** Steady time of the last answer from Redis. */
    private volatile long answeredAtMs;

    public KeepaliveLeader(RedisLink redis, String nodeId, LongSupplier steadyMillis) {
        this.redis = redis;
        this.nodeId = nodeId;
        this.steadyMillis = steadyMillis;
        this.answeredAtMs = steadyMillis.getAsLong();
    }

    /** Claims or extends the term; on a scheduler every {@link #RENEW_EVERY}. */
    public void claim() {
        redis.commands().ifPresent(c -> c.<Long>eval(CLAIM, ScriptOutputType.INTEGER, new String[] {KEY}, nodeId,
                        String.valueOf(TERM.toMillis()))
                .toCompletableFuture().orTimeout(RedisLink.COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((ours, error) -> {
                    if (error != null || ours == null) {
                        return;
                    }
                    answeredAtMs = steadyMillis.getAsLong();
                    boolean now = ours == 1L;
                    if (now != leading) {
                        LOG.info(() -> now ? "This node sends the keepalives to registered contacts"
                                : "Another node sends the keepalives to registered contacts");
                    }
                    leading = now;
                }));
    }

    /** KEYS[1] the leader key; ARGV node. Deletes it if it is ours. */
    static final String RESIGN = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """;

    /** At a clean stop: gives the term up, so another node sends the keepalives at its next claim. */
    public void resign() {
        if (leading) {
            leading = false;
            redis.commands().ifPresent(c -> c.eval(RESIGN, ScriptOutputType.INTEGER, new String[] {KEY}, nodeId));
        }
    }

    /** Whether this node sends the keepalives now. */
    @Override
    public boolean getAsBoolean() {
        return leading || steadyMillis.getAsLong() - answeredAtMs > TERM.toMillis();
    }
}

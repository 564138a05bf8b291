package org.opentrunk.cluster;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.opentrunk.core.auth.digest.Nonces;

/**
 * Digest nonces any node accepts (IC-DIGEST, issue 20). The HMAC key is the same on every node:
 * {@code OT_NONCE_SECRET}, or the one the first node stored in Redis, which a node takes as soon
 * as it reaches Redis (it starts with its own, never waiting for Redis). Each node's run id is
 * announced (a notice, and a key that outlives a nonce's lifetime for nodes starting later), and
 * the others check that run's nonces as their own.
 */
public final class SharedNonces {

    private static final Logger LOG = Logger.getLogger(SharedNonces.class.getName());
    static final String SECRET_KEY = "ot:nonce-secret";
    static final String RUN_PREFIX = "ot:nonce-run:";

    private final RedisLink redis;
    private final ClusterEvents events;
    private final String nodeId;
    /** Whether the key comes from Redis (no OT_NONCE_SECRET), and whether this node signs with it now. */
    private volatile boolean shareKey;
    private volatile boolean keyShared;

    public SharedNonces(RedisLink redis, ClusterEvents events, String nodeId) {
        this.redis = redis;
        this.events = events;
        this.nodeId = nodeId;
    }

    /**
     * The key all nodes share: stored by the first node that asks, read by the others. Blocks up
     * to a few command timeouts (a worker thread after connecting, never a SIP thread); empty when
     * Redis did not answer.
     */
    public Optional<byte[]> sharedSecret() {
        return sharedSecret(Nonces.randomSecret());
    }

    /**
     * As {@link #sharedSecret()}, offering {@code offered} when Redis holds none: a node offers the
     * key it signs with, so after Redis restarted empty the first node back puts the trunk's key
     * back, and no node's nonces change.
     */
    Optional<byte[]> sharedSecret(byte[] offered) {
        Optional<RedisAsyncCommands<String, String>> commands = redis.commands();
        if (commands.isEmpty()) {
            return Optional.empty();
        }
        try {
            commands.get().set(SECRET_KEY, HexFormat.of().formatHex(offered), SetArgs.Builder.nx())
                    .get(RedisLink.COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            String stored = commands.get().get(SECRET_KEY).get(RedisLink.COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            byte[] secret = stored == null ? new byte[0] : HexFormat.of().parseHex(stored);
            if (secret.length >= Nonces.MIN_SECRET_BYTES) {
                return Optional.of(secret);
            }
            LOG.warning("The shared nonce key in Redis is too short; not used");
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.log(Level.WARNING, "Reading the shared nonce key failed; tried again on the next reconnection", e);
        }
        return Optional.empty();
    }

    /**
     * Announces this run and learns the others' runs, now and after every reconnection; with
     * {@code shareKey} (no OT_NONCE_SECRET) first takes the key the nodes share, so a node that
     * started while Redis was away signs with it from then on (its earlier nonces become stale).
     */
    public void start(Nonces nonces, boolean shareKey) {
        nonces.otherKeysStale();
        this.shareKey = shareKey;
        events.on(ClusterEvent.Kind.NONCE_RUN, e -> nonces.acceptRun(e.argument(0)));
        redis.onConnected(() -> {
            keyShared = false;
            ensureSharedKey(nonces);
            announceAndLearn(nonces);
        });
    }

    /**
     * Takes the trunk's key if this node does not sign with it yet (a reading that failed is tried
     * again: ClusterNode calls this every few seconds; nothing to do once it has it).
     */
    public void ensureSharedKey(Nonces nonces) {
        if (!shareKey || keyShared) {
            return;
        }
        sharedSecret(nonces.keyToShare()).ifPresent(key -> {
            nonces.rekey(key);
            keyShared = true;
        });
    }

    /** Re-announces this run (its key expires two lifetimes after the last announcement). */
    public void refresh(Nonces nonces) {
        redis.commands().ifPresent(c -> c.set(RUN_PREFIX + nonces.runId(), nodeId,
                SetArgs.Builder.px(nonces.lifetime().multipliedBy(2).toMillis())));
    }

    private void announceAndLearn(Nonces nonces) {
        refresh(nonces);
        events.publish(ClusterEvent.Kind.NONCE_RUN, nonces.runId());
        redis.commands().ifPresent(c -> {
            try {
                ScanCursor cursor = ScanCursor.INITIAL;
                do {
                    KeyScanCursor<String> page = c.scan(cursor, ScanArgs.Builder.matches(RUN_PREFIX + "*").limit(500))
                            .get(2, TimeUnit.SECONDS);
                    page.getKeys().forEach(key -> nonces.acceptRun(key.substring(RUN_PREFIX.length())));
                    cursor = page;
                } while (!cursor.isFinished());
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                LOG.log(Level.WARNING, "Reading the other nodes' nonce runs failed; their nonces get stale=true here", e);
            }
        });
    }
}

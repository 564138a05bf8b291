package org.opentrunk.cluster;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Change notices between nodes over Redis publish/subscribe (issue 20): what one node commits,
 * the others apply within milliseconds, with no polling. A notice is not stored: a node that was
 * disconnected when one went out catches up in full when it reconnects
 * ({@link RedisLink#onConnected}), which every handler's owner arranges.
 */
public final class ClusterEvents {

    private static final Logger LOG = Logger.getLogger(ClusterEvents.class.getName());
    /** The one channel every node publishes on and listens to. */
    static final String CHANNEL = "opentrunk:events";

    private final RedisLink redis;
    private final String nodeId;
    private final Executor work;
    /** Notices queued and not yet applied, by kind and arguments. */
    private final java.util.Set<String> pending = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicBoolean listening = new java.util.concurrent.atomic.AtomicBoolean();
    private final Map<ClusterEvent.Kind, Consumer<ClusterEvent>> handlers = new EnumMap<>(ClusterEvent.Kind.class);

    /**
     * @param work where handlers run: they may use the database; never Lettuce's I/O threads
     */
    public ClusterEvents(RedisLink redis, String nodeId, Executor work) {
        this.redis = redis;
        this.nodeId = nodeId;
        this.work = work;
    }

    /** What to do when another node announces {@code kind}; set before {@link #start()}. */
    public synchronized void on(ClusterEvent.Kind kind, Consumer<ClusterEvent> handler) {
        handlers.put(kind, handler);
    }

    /** Subscribes once the link is up (and Lettuce re-subscribes after each reconnection). */
    public void start() {
        redis.onConnected(this::subscribe);
    }

    private void subscribe() {
        redis.pubSub().ifPresent(connection -> {
            if (listening.compareAndSet(false, true)) {
                connection.addListener(new RedisPubSubAdapter<>() {
                    @Override
                    public void message(String channel, String message) {
                        received(message);
                    }
                });
            }
            connection.async().subscribe(CHANNEL);
        });
    }

    private void received(String message) {
        Optional<ClusterEvent> event = ClusterEvent.parse(message);
        if (event.isEmpty()) {
            LOG.fine(() -> "Ignored a notice that is not an event: " + message.substring(0, Math.min(80, message.length())));
            return;
        }
        if (event.get().origin().equals(nodeId)) {
            return; // applied here when it was made
        }
        Consumer<ClusterEvent> handler;
        synchronized (this) {
            handler = handlers.get(event.get().kind());
        }
        if (handler == null) {
            return;
        }
        // A notice already waiting to be applied is not queued twice: a burst of REGISTERs of one
        // customer costs one reading of its contacts, and the queue stays bounded by what differs.
        String key = event.get().kind() + "|" + String.join("|", event.get().arguments());
        if (!pending.add(key)) {
            return;
        }
        try {
            work.execute(() -> {
                pending.remove(key);
                try {
                    handler.accept(event.get());
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "Applying " + event.get().format() + " failed", e);
                }
            });
        } catch (RejectedExecutionException stopping) {
            pending.remove(key);
            LOG.fine("Not applying " + event.get().format() + ": stopping");
        }
    }

    /** Tells the other nodes; never waits (a notice lost while Redis is away is made up on reconnection). */
    public void publish(ClusterEvent.Kind kind, Object... arguments) {
        ClusterEvent event;
        try {
            event = ClusterEvent.of(nodeId, kind, arguments);
        } catch (IllegalArgumentException notAnArgument) {
            // e.g. an IPv6 address with a zone: the other nodes learn it from Redis on their next catch-up
            LOG.fine(() -> "Not announced (" + notAnArgument.getMessage() + "): " + kind);
            return;
        }
        redis.commands().ifPresent(c -> c.publish(CHANNEL, event.format()));
    }
}

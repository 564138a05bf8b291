package org.opentrunk.cluster;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.netty.resolver.DefaultAddressResolverGroup;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.pubsub.api.async.RedisPubSubAsyncCommands;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The node's two connections to the shared state: one for commands (Lettuce multiplexes every
 * thread's commands on it, pipelined) and one for change notices. Connects in the background,
 * retrying, so a node starts while Redis is down; once connected Lettuce reconnects by itself.
 * While disconnected, commands fail at once (no queue that would make a call wait), and each
 * reconnection is announced to the listeners so they can catch up on what they missed.
 */
public final class RedisLink implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RedisLink.class.getName());
    /** Longest a command may take before its caller treats the shared state as unreachable. */
    public static final Duration COMMAND_TIMEOUT = Duration.ofMillis(500);
    /** How long a TCP connect to Redis may take. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Commands waiting for Redis at most; a hung Redis cannot make them pile up without bound. */
    static final int MAX_QUEUED_COMMANDS = 10_000;
    /** How often the first connection is tried again while Redis does not answer. */
    static final Duration FIRST_CONNECT_RETRY = Duration.ofSeconds(2);

    /** Where the link is. */
    public enum State { CONNECTING, UP, DOWN, CLOSED }

    private final ClientResources resources;
    private final RedisClient client;
    private final String displayUrl;
    private final ScheduledExecutorService scheduler;
    private final Executor work;
    private final List<Runnable> onConnected = new CopyOnWriteArrayList<>();
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile StatefulRedisPubSubConnection<String, String> pubSub;
    private volatile State state = State.CONNECTING;

    /**
     * @param url       {@code redis://...}
     * @param scheduler runs the first connection's retries
     * @param work      where reconnection listeners run (never Lettuce's I/O threads)
     */
    public RedisLink(String url, ScheduledExecutorService scheduler, Executor work) {
        RedisURI uri = RedisURI.create(url);
        uri.setTimeout(COMMAND_TIMEOUT);
        // The JDK's resolver, not Netty's DNS client: Redis is named by an address or a host
        // name of the operator's machines, and a DNS client of its own would ask name servers
        // a node on a closed network has not got (each connect waited for its timeouts).
        this.resources = DefaultClientResources.builder().addressResolverGroup(DefaultAddressResolverGroup.INSTANCE).build();
        this.client = RedisClient.create(resources, uri);
        this.displayUrl = url.replaceAll("//[^@/]*@", "//***@");
        this.scheduler = scheduler;
        this.work = work;
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).keepAlive(true).build())
                // Commands beyond this many waiting are refused at once (the caller decides alone)
                // instead of piling up behind a Redis that stopped answering.
                .requestQueueSize(MAX_QUEUED_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .build());
    }

    /** Runs {@code listener} (on the work executor) after the first connection and after every reconnection. */
    public void onConnected(Runnable listener) {
        onConnected.add(listener);
        if (state == State.UP) {
            work.execute(listener); // connected before it was registered: it catches up now
        }
    }

    /** Starts connecting; returns at once. */
    public void start() {
        scheduler.execute(this::connect);
    }

    private void connect() {
        if (state == State.CLOSED) {
            return;
        }
        StatefulRedisConnection<String, String> commands = null;
        try {
            commands = client.connect();
            StatefulRedisPubSubConnection<String, String> notices = client.connectPubSub();
            notices.addListener(new RedisConnectionStateListener() {
                private volatile boolean lost;

                @Override
                public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
                    lost = true;
                }

                @Override
                public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
                    if (lost) {
                        lost = false;
                        announce(); // notices sent while it was away are caught up on
                    }
                }
            });
            RedisConnectionStateListener watcher = new RedisConnectionStateListener() {
                @Override
                public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
                    if (state == State.DOWN) {
                        state = State.UP;
                        LOG.info(() -> "Shared state " + displayUrl + " reachable again");
                        announce();
                    }
                }

                @Override
                public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
                    if (state == State.UP) {
                        state = State.DOWN;
                        LOG.warning(() -> "Shared state " + displayUrl + " lost; the node places calls on its last"
                                + " known counts until it is back (OT_SHARED_STATE_GRACE)");
                    }
                }
            };
            commands.addListener(watcher);
            connection = commands;
            pubSub = notices;
            state = State.UP;
            LOG.info(() -> "Shared state " + displayUrl + " connected");
            announce();
        } catch (RuntimeException e) {
            if (commands != null) {
                commands.closeAsync(); // the notice connection failed: no half-open link kept
            }
            if (state == State.CLOSED) {
                return;
            }
            Throwable cause = e.getCause() == null ? e : e.getCause();
            LOG.log(Level.WARNING, "Shared state " + displayUrl + " does not answer (" + e.getMessage() + ": " + cause
                    + "); trying again in " + FIRST_CONNECT_RETRY.toSeconds() + " s");
            scheduler.schedule(this::connect, FIRST_CONNECT_RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void announce() {
        for (Runnable listener : onConnected) {
            work.execute(() -> {
                try {
                    listener.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "Catching up with the shared state failed", e);
                }
            });
        }
    }

    /** The command connection's asynchronous API while connected. */
    public Optional<RedisAsyncCommands<String, String>> commands() {
        StatefulRedisConnection<String, String> c = connection;
        return c != null && c.isOpen() && state == State.UP ? Optional.of(c.async()) : Optional.empty();
    }

    /** The notice connection (subscribe and listen), once connected. */
    Optional<StatefulRedisPubSubConnection<String, String>> pubSub() {
        return Optional.ofNullable(pubSub);
    }

    /** Its asynchronous API. */
    Optional<RedisPubSubAsyncCommands<String, String>> pubSubCommands() {
        return pubSub().map(StatefulRedisPubSubConnection::async);
    }

    public State state() {
        return state;
    }

    /** Whether the link has ever been up: a node that never reached the shared state knows no counts at all. */
    public boolean everConnected() {
        return connection != null;
    }

    /** The URL without any password in it, for logs and /health. */
    public String displayUrl() {
        return displayUrl;
    }

    @Override
    public void close() {
        state = State.CLOSED;
        try {
            if (pubSub != null) {
                pubSub.close();
            }
            if (connection != null) {
                connection.close();
            }
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            resources.shutdown(0, 2, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}

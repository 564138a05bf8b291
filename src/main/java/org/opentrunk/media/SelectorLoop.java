package org.opentrunk.media;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One relay thread: a selector over the non-blocking datagram channels of the sessions assigned to
 * it, forwarding each packet as it is read, and checking media timeouts between selects. Both legs
 * of a session are on the same loop, so a session's relay state is only ever touched by this
 * thread; other threads hand it work with {@link #execute}.
 */
final class SelectorLoop implements Runnable {

    private static final Logger LOG = Logger.getLogger(SelectorLoop.class.getName());

    /** The receive buffer: the largest UDP datagram, so that no packet is ever cut short. */
    static final int MAX_DATAGRAM_BYTES = 65_536;

    /**
     * Most packets read from one socket per wake-up: enough to drain a normal backlog, few enough
     * that one flooded socket cannot starve the other calls on the thread.
     */
    static final int MAX_PACKETS_PER_READ = 32;

    /** Longest wait between two media timeout checks; shorter when the timeout itself is short. */
    static final Duration MAX_CHECK_INTERVAL = Duration.ofSeconds(1);

    private final Selector selector;
    private final Thread thread;
    private final PortAllocator ports;
    private final long timeoutNanos;
    private final long checkIntervalMillis;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(MAX_DATAGRAM_BYTES);
    /** The sessions relayed here; this thread only. */
    private final Set<RelaySession> sessions = new HashSet<>();
    /** Sessions whose channels were closed since the last select; their ports go back after it. */
    private final List<RelaySession> closedSinceSelect = new ArrayList<>();
    final RelayCounters counters = new RelayCounters();
    private volatile boolean running = true;
    private long now = System.nanoTime();
    /** When the loop last came round (after a select), for the health check: a stuck loop stops it. */
    private volatile long lastTurn = now;
    private long nextCheck;

    SelectorLoop(String name, PortAllocator ports, Duration mediaTimeout) throws IOException {
        this.selector = Selector.open();
        this.ports = ports;
        this.timeoutNanos = mediaTimeout.toNanos();
        this.checkIntervalMillis = Math.max(10, Math.min(MAX_CHECK_INTERVAL.toMillis(), mediaTimeout.toMillis() / 4));
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Runs {@code task} on this loop's thread, soon. */
    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    /** The thread's state for the health check. */
    RelayLoopState state() {
        return new RelayLoopState(thread.getName(), thread.isAlive(), System.nanoTime() - lastTurn);
    }

    boolean isLoopThread() {
        return Thread.currentThread() == thread;
    }

    /** The time of the current wake-up, {@link System#nanoTime()} units; read once per select, not per packet. */
    long now() {
        return now;
    }

    long timeoutNanos() {
        return timeoutNanos;
    }

    /** Stops the thread and waits for it; the sessions still open are closed by the engine afterwards. */
    void stop() {
        running = false;
        selector.wakeup();
        try {
            thread.join(Duration.ofSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "closing a relay selector", e);
        }
        // sessions released just before the stop: close them now; with the selector closed, their
        // ports are unbound at once (the thread has ended, so this thread may touch its state)
        runTasks();
        returnPorts();
    }

    @Override
    public void run() {
        nextCheck = System.nanoTime() + checkIntervalMillis * 1_000_000;
        while (running) {
            try {
                if (closedSinceSelect.isEmpty()) {
                    selector.select(checkIntervalMillis);
                } else {
                    selector.selectNow();
                }
                returnPorts();
                // after the select: a task handed over before a packet was sent runs before that packet is relayed
                runTasks();
                now = System.nanoTime();
                lastTurn = now;
                relayReadyChannels();
                if (now - nextCheck >= 0) {
                    checkTimeouts();
                    nextCheck = now + checkIntervalMillis * 1_000_000;
                }
            } catch (IOException | RuntimeException e) {
                // never let one bad packet or listener end the relay for every call on this thread
                LOG.log(Level.WARNING, "relay loop " + thread.getName(), e);
            }
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "relay task", e);
            }
        }
    }

    /** After a select, the keys of channels closed before it are gone, so their ports are really unbound. */
    private void returnPorts() {
        for (RelaySession session : closedSinceSelect) {
            session.returnPorts(ports);
        }
        closedSinceSelect.clear();
    }

    private void relayReadyChannels() {
        Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext()) {
            SelectionKey key = keys.next();
            keys.remove();
            if (!key.isValid()) {
                continue;
            }
            RelayConnection connection = (RelayConnection) key.attachment();
            DatagramChannel channel = (DatagramChannel) key.channel();
            boolean rtcp = channel == connection.rtcpChannel;
            for (int i = 0; i < MAX_PACKETS_PER_READ && key.isValid(); i++) {
                buffer.clear();
                SocketAddress source;
                try {
                    source = channel.receive(buffer);
                } catch (IOException e) {
                    break;
                }
                if (source == null) {
                    break;
                }
                connection.received(buffer, buffer.position(), (InetSocketAddress) source, rtcp, this);
            }
        }
    }

    /** Registers the session's four channels; from {@link #execute}. */
    void register(RelaySession session) {
        if (session.isReleased()) {
            return;
        }
        try {
            for (RelayConnection connection : session.connections()) {
                connection.rtpChannel.register(selector, SelectionKey.OP_READ, connection);
                connection.rtcpChannel.register(selector, SelectionKey.OP_READ, connection);
            }
            sessions.add(session);
        } catch (ClosedChannelException e) {
            LOG.log(Level.FINE, "session " + session.id() + " closed before it was registered", e);
        }
    }

    /** Closes the session's channels and returns its ports after the next select; this thread only. */
    void close(RelaySession session) {
        sessions.remove(session);
        session.closeChannels();
        closedSinceSelect.add(session);
    }

    private void checkTimeouts() {
        List<RelaySession> expired = null;
        for (RelaySession session : sessions) {
            if (session.isMediaTimedOut(now)) {
                if (expired == null) {
                    expired = new ArrayList<>();
                }
                expired.add(session);
            }
        }
        if (expired != null) {
            for (RelaySession session : expired) {
                session.timedOut(now);
            }
        }
    }
}

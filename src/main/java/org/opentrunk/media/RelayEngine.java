package org.opentrunk.media;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-process media relay: forwards each call's RTP, RTCP and UDPTL between its two legs
 * unchanged (payload, SSRC, sequence numbers and timestamps as sent), with symmetric RTP latching,
 * DTMF observation (RFC 4733) and media timeouts.
 *
 * <p>Non-blocking: a few relay threads ({@link MediaSettings#selectorThreads}) each run a selector
 * over the datagram channels of their calls; there is no thread per call. A call's two legs share
 * one thread, chosen round robin at creation.
 */
public final class RelayEngine implements MediaEngine {

    private final MediaSettings settings;
    private final PortAllocator ports;
    private final AtomicLong sessionNumbers = new AtomicLong();
    private final Map<String, RelaySession> sessions = new ConcurrentHashMap<>();
    private final Object lifecycle = new Object();
    private List<SelectorLoop> loops = List.of();
    private volatile boolean running;

    public RelayEngine(MediaSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.ports = new PortAllocator(settings.ports());
    }

    public MediaSettings settings() {
        return settings;
    }

    InetAddress address() {
        return settings.address();
    }

    @Override
    public void start() throws IOException {
        synchronized (lifecycle) {
            if (running) {
                return;
            }
            List<SelectorLoop> started = new ArrayList<>();
            try {
                for (int i = 0; i < settings.selectorThreads(); i++) {
                    started.add(new SelectorLoop("ot-media-relay-" + i, ports, settings.mediaTimeout()));
                }
            } catch (IOException e) {
                started.forEach(SelectorLoop::stop);
                throw e;
            }
            started.forEach(SelectorLoop::start);
            loops = List.copyOf(started);
            running = true;
        }
    }

    @Override
    public MediaSession createSession(MediaListener listener) throws MediaException {
        Objects.requireNonNull(listener, "listener");
        List<SelectorLoop> current = loops;
        if (!running || current.isEmpty()) {
            throw new IllegalStateException("the media relay is not running");
        }
        PortPair legA = ports.allocate(this::bind);
        PortPair legB;
        try {
            legB = ports.allocate(this::bind);
        } catch (NoFreePortsException e) {
            closeAndRelease(legA);
            throw e;
        }
        long number = sessionNumbers.incrementAndGet();
        SelectorLoop loop = current.get((int) (number % current.size()));
        RelaySession session;
        try {
            session = new RelaySession("relay-" + number, this, loop, listener, legA, legB);
        } catch (IOException e) {
            closeAndRelease(legA);
            closeAndRelease(legB);
            throw new NoFreePortsException(settings.ports(), ports.inUse());
        }
        sessions.put(session.id(), session);
        loop.execute(() -> loop.register(session));
        if (!running) {
            session.releaseStopped(ports); // stop() ran meanwhile and may not have seen this session
        }
        return session;
    }

    /** Opens the RTP and RTCP sockets of one pair; fails when either port is taken. */
    private PortPair bind(int rtpPort) throws IOException {
        DatagramChannel rtp = DatagramChannel.open();
        DatagramChannel rtcp = null;
        try {
            rtp.bind(new InetSocketAddress(settings.address(), rtpPort));
            rtp.configureBlocking(false);
            rtcp = DatagramChannel.open();
            rtcp.bind(new InetSocketAddress(settings.address(), rtpPort + 1));
            rtcp.configureBlocking(false);
            return new PortPair(rtp, rtcp);
        } catch (IOException e) {
            rtp.close();
            if (rtcp != null) {
                rtcp.close();
            }
            throw e;
        }
    }

    private void closeAndRelease(PortPair pair) {
        try {
            int port = ((InetSocketAddress) pair.rtp().getLocalAddress()).getPort();
            pair.rtp().close();
            pair.rtcp().close();
            ports.release(port);
        } catch (IOException e) {
            // not registered with a selector yet, so close does not fail in practice
        }
    }

    /** Called once per session when it is released, whatever released it. */
    void forget(RelaySession session) {
        sessions.remove(session.id());
    }

    @Override
    public void stop() {
        synchronized (lifecycle) {
            if (!running) {
                return;
            }
            running = false;
            loops.forEach(SelectorLoop::stop);
            // the selectors are closed, so closing a channel unbinds its ports at once
            for (RelaySession session : List.copyOf(sessions.values())) {
                session.releaseStopped(ports);
            }
        }
    }

    /** Each relay thread's state; empty when the engine is not running. */
    public List<RelayLoopState> loopStates() {
        synchronized (lifecycle) {
            return running ? loops.stream().map(SelectorLoop::state).toList() : List.of();
        }
    }

    /** Port pairs bound now. */
    public int portPairsInUse() {
        return ports.inUse();
    }

    /** Sessions not yet released. */
    public int sessionCount() {
        return sessions.size();
    }

    /** The counters of every relay thread, summed. */
    public RelayStatistics statistics() {
        long relayed = 0;
        long bytes = 0;
        long unlatched = 0;
        long noDestination = 0;
        long sendFailed = 0;
        long digits = 0;
        for (SelectorLoop loop : loops) {
            RelayCounters c = loop.counters;
            relayed += c.packetsRelayed;
            bytes += c.bytesRelayed;
            unlatched += c.droppedUnlatched;
            noDestination += c.droppedNoDestination;
            sendFailed += c.droppedSendFailed;
            digits += c.digits;
        }
        return new RelayStatistics(sessions.size(), ports.inUse(), relayed, bytes, unlatched, noDestination,
                sendFailed, digits);
    }
}

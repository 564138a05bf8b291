package org.opentrunk.hep;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends captured SIP messages to the HEP collector: SIP threads {@link #offer} a message into a
 * bounded queue (never waiting: a full queue drops it, counted), one sender thread encodes and
 * sends each as a UDP datagram. Memory is bounded twice, by {@value #QUEUE_MESSAGES} messages and
 * {@value #QUEUE_BYTES} bytes of text, so a slow or absent collector costs at most that much.
 * A collector that is down costs nothing else: UDP does not wait for it.
 */
public final class HepExport implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(HepExport.class.getName());
    /** Messages waiting for the sender; a second of a busy node's signalling. */
    static final int QUEUE_MESSAGES = 10_000;
    /** Text waiting for the sender, at most (UTF-16 characters counted as bytes: a Latin-1 message is that size). */
    static final long QUEUE_BYTES = 16L * 1024 * 1024;
    /** How long close() lets the sender finish the queue. */
    private static final long CLOSE_WAIT_MS = 2_000;
    /** At most one warning about send failures per this many milliseconds. */
    private static final long WARN_EVERY_MS = 60_000;

    /** What became of the messages offered, since start (for /metrics). */
    public record Counters(long sent, long dropped, long failed) {
    }

    private final HepSettings settings;
    private final BlockingQueue<HepMessage> queue = new ArrayBlockingQueue<>(QUEUE_MESSAGES);
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final DatagramChannel channel;
    private final Thread sender;
    private volatile boolean closed;
    private long lastWarning;

    private HepExport(HepSettings settings, ThreadFactory threads) throws IOException {
        this.settings = settings;
        if (settings.enabled()) {
            channel = DatagramChannel.open();
            channel.connect(settings.collector()); // the collector's ICMP errors become send() failures, counted
            sender = threads.newThread(this::sendLoop);
            sender.setName("opentrunk-hep-sender");
            sender.setDaemon(true);
            sender.start();
        } else {
            channel = null;
            sender = null;
        }
    }

    /** The export for {@code settings}; one that does nothing when they are off. */
    public static HepExport start(HepSettings settings, ThreadFactory threads) throws IOException {
        HepExport export = new HepExport(settings, threads);
        if (settings.enabled()) {
            LOG.info(() -> "HEP export of SIP messages " + settings);
        }
        return export;
    }

    /** An export that is off (tests, and nodes without a collector). */
    public static HepExport off() {
        try {
            return new HepExport(HepSettings.OFF, Thread::new);
        } catch (IOException e) {
            throw new IllegalStateException(e); // nothing is opened when off
        }
    }

    public boolean enabled() {
        return settings.enabled() && !closed;
    }

    /** Queues {@code message} for the collector; never blocks. False when it was dropped (queue full or closed). */
    public boolean offer(HepMessage message) {
        if (!enabled()) {
            return false;
        }
        long weight = message.text().length();
        if (queuedBytes.addAndGet(weight) > QUEUE_BYTES || !queue.offer(message)) {
            queuedBytes.addAndGet(-weight);
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    public Counters counters() {
        return new Counters(sent.get(), dropped.get(), failed.get());
    }

    private void sendLoop() {
        while (!closed || !queue.isEmpty()) {
            HepMessage message;
            try {
                message = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (message != null) {
                queuedBytes.addAndGet(-message.text().length());
                send(message);
            }
        }
    }

    private void send(HepMessage message) {
        try {
            channel.write(ByteBuffer.wrap(HepEncoder.encode(message, settings.captureId(), settings.password())));
            sent.incrementAndGet();
        } catch (HepEncoder.TooLargeException | IOException | RuntimeException e) {
            failed.incrementAndGet();
            long now = System.nanoTime() / 1_000_000;
            if (lastWarning == 0 || now - lastWarning >= WARN_EVERY_MS) {
                lastWarning = now;
                LOG.log(Level.WARNING, "A SIP message was not sent to the HEP collector " + settings.collector()
                        + " (" + failed.get() + " so far; the next such warning in a minute at the earliest): " + e);
            }
        }
    }

    /** Sends what is queued (for a moment at most) and closes the socket. */
    @Override
    public void close() {
        closed = true;
        if (sender != null) {
            try {
                sender.join(CLOSE_WAIT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sender.interrupt();
        }
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.log(Level.FINE, "HEP socket close", e);
            }
        }
    }
}

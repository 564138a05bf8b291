package org.opentrunk.core.securitylog;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.logging.ErrorManager;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/**
 * A log file rotated the way logrotate and fail2ban expect: {@code name} is always the current
 * file, full ones move to {@code name.1}, {@code name.2} ... ({@code count - 1} kept). The JDK's
 * FileHandler names the current file {@code name.0} when it rotates, which a fail2ban
 * {@code logpath} would have to know.
 *
 * <p>Lines are written by a thread of their own: the callers are SIP threads (an authentication
 * failure, a flood refusal), which must never wait on a disk, and a UDP flood from forged addresses
 * makes one line per packet. A bounded queue sits between; when it is full a line is dropped and
 * counted (the next line written says how many). The writer flushes whenever the queue is empty, so
 * fail2ban sees a line within milliseconds.
 */
final class RotatingFile extends Handler {

    /** Lines waiting for the writer; beyond this the disk is not keeping up and lines are dropped. */
    static final int QUEUE_LINES = 10_000;
    /** How long close waits for the writer to write what is queued. */
    private static final long CLOSE_WAIT_MS = 2_000;
    private static final byte[] STOP = new byte[0];

    private final Path path;
    private final long limitBytes;
    private final int count;
    private final java.util.concurrent.BlockingQueue<byte[]> queue = new java.util.concurrent.ArrayBlockingQueue<>(QUEUE_LINES);
    private final java.util.concurrent.atomic.AtomicLong dropped = new java.util.concurrent.atomic.AtomicLong();
    private final Thread writer;
    /** Only the writer thread touches the stream. */
    private OutputStream out;
    private long written;
    private volatile boolean closed;

    RotatingFile(Path path, long limitBytes, int count) throws IOException {
        if (limitBytes < 1 || count < 1) {
            throw new IllegalArgumentException("limit and count must be positive: " + limitBytes + ", " + count);
        }
        this.path = path;
        this.limitBytes = limitBytes;
        this.count = count;
        open();
        writer = new Thread(this::writeLines, "opentrunk-security-log");
        writer.setDaemon(true);
        writer.start();
    }

    private void open() throws IOException {
        out = new java.io.BufferedOutputStream(
                Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE));
        written = Files.size(path);
    }

    /** Queues the record's line; never blocks. */
    @Override
    public void publish(LogRecord record) {
        if (closed || !isLoggable(record)) {
            return;
        }
        if (!queue.offer(getFormatter().format(record).getBytes(StandardCharsets.UTF_8))) {
            dropped.incrementAndGet();
        }
    }

    private void writeLines() {
        try {
            while (true) {
                byte[] line = queue.take();
                if (line == STOP) {
                    break;
                }
                write(line);
                if (queue.isEmpty()) {
                    flushStream();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flushStream();
    }

    private void write(byte[] line) {
        long lost = dropped.getAndSet(0);
        if (lost > 0) {
            reportError("the security log dropped " + lost + " lines: its queue was full", null, ErrorManager.WRITE_FAILURE);
        }
        try {
            if (out == null) {
                open(); // a rotation that failed half-way: try again with this line
            }
            if (written > 0 && written + line.length > limitBytes) {
                rotate();
            }
            out.write(line);
            written += line.length;
        } catch (IOException e) {
            reportError("cannot write the security log " + path, e, ErrorManager.WRITE_FAILURE);
        }
    }

    private void rotate() throws IOException {
        out.close();
        out = null;
        for (int i = count - 1; i >= 1; i--) {
            Path older = Path.of(path + "." + i);
            Path newer = i == 1 ? path : Path.of(path + "." + (i - 1));
            if (i == count - 1) {
                Files.deleteIfExists(older);
            }
            if (Files.exists(newer)) {
                Files.move(newer, older, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (count == 1) {
            Files.deleteIfExists(path);
        }
        open();
    }

    private void flushStream() {
        try {
            if (out != null) {
                out.flush();
            }
        } catch (IOException e) {
            reportError("cannot flush the security log " + path, e, ErrorManager.FLUSH_FAILURE);
        }
    }

    /** The writer flushes by itself whenever it has written what was queued. */
    @Override
    public void flush() {
    }

    /** Writes what is queued (within a bound), then closes the file. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            queue.put(STOP);
            writer.join(CLOSE_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (!writer.isAlive() && out != null) {
                out.close();
            }
        } catch (IOException e) {
            reportError("cannot close the security log " + path, e, ErrorManager.CLOSE_FAILURE);
        }
    }
}

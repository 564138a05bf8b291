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
 * {@code logpath} would have to know. Each line is written and flushed at once (a crash loses no
 * event that was logged).
 */
final class RotatingFile extends Handler {

    private final Path path;
    private final long limitBytes;
    private final int count;
    private OutputStream out;
    private long written;

    RotatingFile(Path path, long limitBytes, int count) throws IOException {
        if (limitBytes < 1 || count < 1) {
            throw new IllegalArgumentException("limit and count must be positive: " + limitBytes + ", " + count);
        }
        this.path = path;
        this.limitBytes = limitBytes;
        this.count = count;
        open();
    }

    private void open() throws IOException {
        out = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        written = Files.size(path);
    }

    @Override
    public synchronized void publish(LogRecord record) {
        if (out == null || !isLoggable(record)) {
            return;
        }
        byte[] line = getFormatter().format(record).getBytes(StandardCharsets.UTF_8);
        try {
            if (written > 0 && written + line.length > limitBytes) {
                rotate();
            }
            out.write(line);
            out.flush();
            written += line.length;
        } catch (IOException e) {
            reportError("cannot write the security log " + path, e, ErrorManager.WRITE_FAILURE);
        }
    }

    private void rotate() throws IOException {
        out.close();
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

    @Override
    public synchronized void flush() {
        try {
            if (out != null) {
                out.flush();
            }
        } catch (IOException e) {
            reportError("cannot flush the security log " + path, e, ErrorManager.FLUSH_FAILURE);
        }
    }

    @Override
    public synchronized void close() {
        try {
            if (out != null) {
                out.close();
            }
        } catch (IOException e) {
            reportError("cannot close the security log " + path, e, ErrorManager.CLOSE_FAILURE);
        } finally {
            out = null;
        }
    }
}

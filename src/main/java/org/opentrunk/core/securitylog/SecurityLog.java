package org.opentrunk.core.securitylog;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.opentrunk.core.text.UntrustedText;

/**
 * The security log (issue 25): one line per authentication failure, block, tech-prefix miss, flood
 * refusal and fraud-guard event, in a stable format for fail2ban and other log watchers:
 * <pre>
 * 2026-12-07T20:05:01.123Z OPENTRUNK-SECURITY event=auth_failure src=203.0.113.7 method=REGISTER user='1001' reason=wrong_response
 * </pre>
 * The timestamp (ISO 8601, UTC, milliseconds) is written by the file's formatter; the message,
 * also logged through the logger {@value #LOGGER_NAME} into the server's log, starts with
 * {@value #TAG}, then {@code event=} (a {@link SecurityEvent#token()}), then {@code src=} (the
 * IPv4 address the event is about, {@code -} when none), then fields in a fixed order per event.
 * Peer input only ever comes after {@code src=}, quoted by {@link UntrustedText}, so no request
 * can make a line name another address for a filter anchored at the start of the line.
 *
 * <p>Flood refusals come at the rate of the flood: they are written at most once per
 * {@link #FLOOD_LINE_INTERVAL} per source address, with the count of refusals since its last line
 * ({@code refused=}), the sources remembered bounded ({@link #MAX_FLOOD_SOURCES}). The file rotates
 * ({@link #FILE_LIMIT_BYTES} per file, {@link #FILE_COUNT} files: {@code name}, {@code name.1} ...), so no flood can fill the disk with it.
 *
 * <p>Plain Java (java.util.logging); nothing here knows about the container.
 */
public final class SecurityLog {

    /** The logger every line goes through; its own name so that it can be routed and levelled alone. */
    public static final String LOGGER_NAME = "org.opentrunk.security";
    /** The first word of every message. */
    public static final String TAG = "OPENTRUNK-SECURITY";
    /** A flood line per source at most this often: enough for fail2ban to count, little for the disk. */
    public static final Duration FLOOD_LINE_INTERVAL = Duration.ofSeconds(1);
    /** Flooding sources remembered for the interval above; beyond it the oldest are forgotten (one more line each). */
    public static final int MAX_FLOOD_SOURCES = 10_000;
    /** Size of one security log file before it rotates. */
    public static final int FILE_LIMIT_BYTES = 10 * 1024 * 1024;
    /** Files kept: the current one and four rotated. */
    public static final int FILE_COUNT = 5;
    /** Longest quoted peer value in a line. */
    public static final int MAX_VALUE_CHARS = 64;

    private static final Logger LOG = Logger.getLogger(LOGGER_NAME);
    private static final Pattern FIELD_NAME = Pattern.compile("[a-z_]+");
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    /** Refusals per flooding source not yet written. */
    private static final Cache<String, FloodSource> FLOODERS = Caffeine.newBuilder()
            .maximumSize(MAX_FLOOD_SOURCES).expireAfterAccess(FLOOD_LINE_INTERVAL.multipliedBy(60))
            .executor(Runnable::run).build();

    private static final Object FILE_LOCK = new Object();
    private static Handler file;

    private SecurityLog() {
    }

    /**
     * Writes one line. {@code fields} are name/value pairs: names in lower case, values from
     * OpenTrunk itself written as they are (numbers, enum tokens), peer input quoted with
     * {@link #quoted}.
     */
    public static void event(SecurityEvent event, String source, String... fields) {
        LOG.log(event == SecurityEvent.BLOCK || event == SecurityEvent.ADMIN_BLOCK || event == SecurityEvent.FRAUD_GUARD
                ? Level.WARNING : Level.INFO, message(event, source, fields));
    }

    /**
     * A refused INVITE of a flood from {@code source}: a line at most once per
     * {@link #FLOOD_LINE_INTERVAL} per source, counting the refusals since the last one.
     */
    public static void floodRefused(String source, String reason, long nowNanos) {
        FloodSource flooder = FLOODERS.get(source, s -> new FloodSource());
        long refused;
        synchronized (flooder) {
            flooder.pending++;
            if (flooder.written && nowNanos - flooder.lastLineNanos < FLOOD_LINE_INTERVAL.toNanos()) {
                return; // counted: the source's next line says how many
            }
            refused = flooder.pending;
            flooder.pending = 0;
            flooder.written = true;
            flooder.lastLineNanos = nowNanos;
        }
        event(SecurityEvent.FLOOD_REFUSED, source, "reason", reason, "refused", Long.toString(refused));
    }

    /** One flooding source's lines: when the last was written (monotonic), refusals since. */
    private static final class FloodSource {
        boolean written;
        long lastLineNanos;
        long pending;
    }

    /** Peer input as a field value: quoted and escaped, bounded. */
    public static String quoted(String peerText) {
        return UntrustedText.quote(peerText, MAX_VALUE_CHARS);
    }

    /** The message of a line, without the timestamp. */
    static String message(SecurityEvent event, String source, String... fields) {
        if (fields.length % 2 != 0) {
            throw new IllegalArgumentException("fields are name/value pairs");
        }
        StringBuilder line = new StringBuilder(TAG).append(" event=").append(event.token())
                .append(" src=").append(source == null || source.isEmpty() ? "-" : address(source));
        for (int i = 0; i < fields.length; i += 2) {
            if (!FIELD_NAME.matcher(fields[i]).matches()) {
                throw new IllegalArgumentException("field name " + fields[i]);
            }
            String value = fields[i + 1] == null ? "-" : fields[i + 1];
            line.append(' ').append(fields[i]).append('=').append(value.replace('\r', ' ').replace('\n', ' '));
        }
        return line.toString();
    }

    /** The address as written: an address the container reported, never peer text; anything else is quoted. */
    private static String address(String source) {
        return source.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.' || c == ':' || (c >= 'a' && c <= 'f')
                || (c >= 'A' && c <= 'F')) ? source : quoted(source);
    }

    /**
     * Also writes the lines to {@code path} (rotating, appending), each with its timestamp:
     * the file fail2ban watches. Replaces an earlier file; returns when it is open.
     *
     * @throws IOException when the file cannot be opened
     */
    public static void writeTo(Path path) throws IOException {
        if (path.getParent() != null) {
            Files.createDirectories(path.getParent());
        }
        RotatingFile handler = new RotatingFile(path, FILE_LIMIT_BYTES, FILE_COUNT);
        handler.setFormatter(new LineFormatter());
        handler.setLevel(Level.ALL);
        synchronized (FILE_LOCK) {
            closeFile();
            file = handler;
            LOG.addHandler(handler);
        }
    }

    /** Stops writing the file; idempotent. */
    public static void closeFile() {
        synchronized (FILE_LOCK) {
            if (file != null) {
                LOG.removeHandler(file);
                file.close();
                file = null;
            }
        }
    }

    /** {@code <ISO timestamp> <message>}, one line. */
    static final class LineFormatter extends Formatter {
        @Override
        public String format(LogRecord record) {
            return TIMESTAMP.format(Instant.ofEpochMilli(record.getMillis())) + " " + record.getMessage() + "\n";
        }
    }
}

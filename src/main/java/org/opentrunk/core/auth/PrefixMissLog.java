package org.opentrunk.core.auth;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Logs refused tech prefixes (IC-IPAUTH) without letting a flood fill the log: at most
 * {@value #LINES_PER_INTERVAL} INFO lines per {@link #INTERVAL} across all addresses; the first
 * line after a quiet spell says how many refusals were left out. The guard's block, which a
 * search runs into after OT_AUTH_MAX_FAILURES misses, is logged separately, once per block.
 */
public final class PrefixMissLog {

    /** Lines per interval: enough to see every miss of a misconfigured PBX, not a search. */
    public static final int LINES_PER_INTERVAL = 10;

    public static final Duration INTERVAL = Duration.ofMinutes(1);

    private static final Logger LOG = Logger.getLogger(IpAuthentication.class.getName());

    private final Consumer<String> sink;
    private long intervalStartNanos;
    private boolean started;
    private int linesInInterval;
    private long leftOut;

    public PrefixMissLog() {
        this(LOG::info);
    }

    /** @param sink where lines go (tests) */
    PrefixMissLog(Consumer<String> sink) {
        this.sink = sink;
    }

    /** @param detail the refusal's log detail, input already quoted */
    public void refused(String detail, long nowNanos) {
        String line;
        synchronized (this) {
            if (!started || nowNanos - intervalStartNanos >= INTERVAL.toNanos()) {
                started = true;
                intervalStartNanos = nowNanos;
                linesInInterval = 0;
            }
            if (linesInInterval >= LINES_PER_INTERVAL) {
                leftOut++;
                return;
            }
            linesInInterval++;
            line = "Refused tech prefix: " + detail
                    + (leftOut > 0 ? " (" + leftOut + " more refusals not logged before this one)" : "");
            leftOut = 0;
        }
        sink.accept(line);
    }
}

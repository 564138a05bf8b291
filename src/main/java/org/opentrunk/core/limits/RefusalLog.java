package org.opentrunk.core.limits;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Logs one kind of refusal on the SIP path (refused tech prefixes, numbers that are not E.164,
 * caller IDs a customer may not present) without letting a flood fill the log or slow the SIP
 * threads: at most {@value #LINES_PER_INTERVAL} INFO lines per {@link #INTERVAL} for the kind; the
 * first line after a quiet spell says how many refusals were left out. Each refusal is still in its
 * CDR or counter; the log is for seeing what a misconfigured PBX does.
 */
public final class RefusalLog {

    /** Lines per interval: enough to see every refusal of a misconfigured PBX, not a search or a flood. */
    public static final int LINES_PER_INTERVAL = 10;

    public static final Duration INTERVAL = Duration.ofMinutes(1);

    private final String kind;
    private final Consumer<String> sink;
    private long intervalStartNanos;
    private boolean started;
    private int linesInInterval;
    private long leftOut;

    /**
     * @param kind   what is refused, the start of every line ("Refused tech prefix")
     * @param logger the logger whose INFO lines these are
     */
    public RefusalLog(String kind, Logger logger) {
        this(kind, logger::info);
    }

    /** @param sink where lines go (tests) */
    RefusalLog(String kind, Consumer<String> sink) {
        this.kind = kind;
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
            line = kind + ": " + detail
                    + (leftOut > 0 ? " (" + leftOut + " more refusals not logged before this one)" : "");
            leftOut = 0;
        }
        sink.accept(line);
    }
}

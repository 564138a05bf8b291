package org.opentrunk.sip;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * A SIP thread waiting, with a bound, for a CDR to be forced to disk before it acknowledges the
 * end of a call (IC-CDR). When one wait runs out (the journal's disk stalls or fails), further
 * callers do not wait at all until that record is journaled: a stalled disk must not cost every
 * BYE its full bound and tie up the SIP threads. Records journal in order, so that one record
 * completing means the journal is moving again.
 */
final class JournalWait {

    /** At most one log line per this many seconds while the journal is stalled. */
    static final int LOG_SECONDS = 10;

    private static final Logger LOG = Logger.getLogger(JournalWait.class.getName());

    /** The record whose wait ran out, while it is not journaled; null when the journal keeps up. */
    private volatile CompletableFuture<Void> stalledOn;
    private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - TimeUnit.SECONDS.toNanos(LOG_SECONDS));

    /**
     * Waits up to {@code bound} for {@code journaled}; true when the record is on disk. False when
     * the bound passed, the journal is known to be stalled, or the record was refused: the caller
     * goes on all the same (a record not refused is still queued and journaled later).
     */
    boolean await(CompletableFuture<Void> journaled, Duration bound, String what) {
        CompletableFuture<Void> stall = stalledOn;
        if (stall != null) {
            if (!stall.isDone()) {
                report(() -> "CDR journal still stalled: not waiting for the CDR of " + what);
                return journaled.isDone() && !journaled.isCompletedExceptionally();
            }
            stalledOn = null;
            LOG.info("CDR journal takes records again: BYEs wait for their CDRs again");
        }
        try {
            journaled.get(bound.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            stalledOn = journaled;
            LOG.warning(() -> "CDR of " + what + " not journaled within " + bound.toMillis()
                    + " ms: going on without it (it stays queued); not waiting for CDRs until the journal moves");
            return false;
        } catch (ExecutionException e) {
            LOG.severe(() -> "CDR of " + what + " not journaled: " + e.getCause().getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void report(java.util.function.Supplier<String> message) {
        long now = System.nanoTime();
        long last = lastLog.get();
        if (now - last >= TimeUnit.SECONDS.toNanos(LOG_SECONDS) && lastLog.compareAndSet(last, now)) {
            LOG.warning(message);
        }
    }
}

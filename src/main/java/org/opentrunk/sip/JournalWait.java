package org.opentrunk.sip;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Tells when a CDR is forced to disk, within a bound, before the end of a call is acknowledged
 * (IC-CDR). Nobody waits on a thread for it: the answer is a future, and the BYE's 200 goes out
 * when it completes ({@link SessionResume}). When one bound runs out (the journal's disk stalls or
 * fails), later records are not waited for at all until that record is journaled: a stalled disk
 * must not add its full bound to every BYE. Records journal in order, so that one record
 * completing means the journal is moving again.
 */
final class JournalWait {

    /** At most one log line per this many seconds while the journal is stalled. */
    static final int LOG_SECONDS = 10;

    private static final Logger LOG = Logger.getLogger(JournalWait.class.getName());

    /** The record whose bound ran out, while it is not journaled; null when the journal keeps up. */
    private volatile CompletableFuture<Void> stalledOn;
    private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - TimeUnit.SECONDS.toNanos(LOG_SECONDS));

    /**
     * Completes with true when {@code journaled} is on disk within {@code bound}; with false when the
     * bound passed, the journal is known to be stalled, or the record was refused. The caller goes on
     * either way (a record not refused is still queued and journaled later). Never completes
     * exceptionally.
     */
    CompletableFuture<Boolean> whenJournaled(CompletableFuture<Void> journaled, Duration bound, String what) {
        CompletableFuture<Void> stall = stalledOn;
        if (stall != null) {
            if (!stall.isDone()) {
                report(() -> "CDR journal still stalled: not waiting for the CDR of " + what);
                return CompletableFuture.completedFuture(journaled.isDone() && !journaled.isCompletedExceptionally());
            }
            stalledOn = null;
            LOG.info("CDR journal takes records again: BYEs wait for their CDRs again");
        }
        CompletableFuture<Boolean> outcome = new CompletableFuture<>();
        journaled.whenComplete((done, error) -> {
            if (error != null) {
                LOG.severe(() -> "CDR of " + what + " not journaled: " + error.getMessage());
            }
            outcome.complete(error == null);
        });
        if (!outcome.isDone()) {
            CompletableFuture.delayedExecutor(bound.toNanos(), TimeUnit.NANOSECONDS).execute(() -> {
                if (outcome.complete(false)) {
                    stalledOn = journaled;
                    LOG.warning(() -> "CDR of " + what + " not journaled within " + bound.toMillis()
                            + " ms: going on without it (it stays queued); not waiting for CDRs until the journal moves");
                }
            });
        }
        return outcome;
    }

    private void report(java.util.function.Supplier<String> message) {
        long now = System.nanoTime();
        long last = lastLog.get();
        if (now - last >= TimeUnit.SECONDS.toNanos(LOG_SECONDS) && lastLog.compareAndSet(last, now)) {
            LOG.warning(message);
        }
    }
}

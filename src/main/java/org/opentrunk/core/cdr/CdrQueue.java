package org.opentrunk.core.cdr;

import java.util.concurrent.CompletableFuture;

/**
 * Where the call path hands finished calls' records (IC-CDR): a queue in front of a durable
 * journal, so that a SIP thread never waits on a disk or a database. The store implements it.
 */
public interface CdrQueue {

    /** Queues {@code record}; false when the queue is full or closed (the caller logs the record then). */
    boolean submit(CallRecord record);

    /**
     * Queues {@code record} and completes once it is forced to the journal; completed
     * exceptionally when it could not be queued.
     */
    CompletableFuture<Void> submitDurably(CallRecord record);
}

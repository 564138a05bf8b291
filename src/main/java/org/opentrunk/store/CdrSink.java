package org.opentrunk.store;

import java.util.List;
import org.opentrunk.core.cdr.CallRecord;

/**
 * Where {@link CdrWriter} puts CDRs for good: the {@code cdr} table. The container implements it
 * over {@link CdrStore}; tests use a fake.
 *
 * <p>The contract that makes the writer lose nothing and store nothing twice:
 * <ul>
 *   <li>All or nothing: {@link #write} stores the whole batch in one transaction or throws.</li>
 *   <li>Idempotent by {@link CallRecord#recordId()}: delivery is at least once. After a crash
 *   between a successful write and the journal's commit, the same records come again; a record
 *   whose id is already stored is skipped, not stored twice and not an error. (The {@code cdr}
 *   table keeps each {@code record_id} once, migration V2, so a sink that reads the batch's ids
 *   that are stored already and inserts the others in the same transaction is enough; should two
 *   writers ever race, the unique constraint fails one transaction and its retry skips.)</li>
 *   <li>A batch holds each record id once.</li>
 *   <li>Called from one thread at a time.</li>
 * </ul>
 */
@FunctionalInterface
public interface CdrSink {

    /**
     * Stores {@code records}, skipping those stored before.
     *
     * @throws Exception when the records could not be stored (database down, timeout ...): the
     *                   writer keeps them in the journal and calls again with backoff, forever
     */
    void write(List<CallRecord> records) throws Exception;
}

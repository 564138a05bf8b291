/**
 * Call detail records (IC-CDR) as the call path produces them: {@link CallRecord}, one per call
 * attempt, and {@link CallRecordLine}, its one-line text form for the CDR journal. Plain Java and
 * the JSON-P API (javax.json) as a library, no container API; getting records to disk and into
 * the database is the store's job
 * ({@code org.opentrunk.store.CdrWriter}).
 */
package org.opentrunk.core.cdr;

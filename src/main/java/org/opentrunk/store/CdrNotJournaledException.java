package org.opentrunk.store;

/**
 * A record handed to {@link CdrWriter#submitDurably} will not reach the journal: the queue was
 * full, the writer was closed, or the writer stopped before the journal took it. The record is
 * lost unless its text (which the writer logs) is recovered by hand.
 */
public final class CdrNotJournaledException extends Exception {
    private static final long serialVersionUID = 1L;

    public CdrNotJournaledException(String message) {
        super(message);
    }
}

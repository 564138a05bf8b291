package org.opentrunk.store;

import java.io.IOException;

/**
 * The CDR journal holds as many uncommitted bytes as it may ({@link CdrJournal}'s limit): the
 * database has been unreachable for long. Nothing was written; the append may be retried once
 * commits have freed space.
 */
public final class JournalFullException extends IOException {
    private static final long serialVersionUID = 1L;

    public JournalFullException(String message) {
        super(message);
    }
}

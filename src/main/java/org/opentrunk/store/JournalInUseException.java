package org.opentrunk.store;

import java.io.IOException;

/**
 * Another {@link CdrJournal}, in this process or another one, has the journal directory open.
 * Two writers on one journal would commit and delete each other's records, so the second is
 * refused: usually two servers configured with the same data directory.
 */
public final class JournalInUseException extends IOException {
    private static final long serialVersionUID = 1L;

    public JournalInUseException(String message) {
        super(message);
    }
}

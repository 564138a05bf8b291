package org.opentrunk.core.cdr;

/**
 * A journal line is not a {@link CallRecord} in {@link CallRecordLine} form: cut short by a crash,
 * damaged on disk, or written by an incompatible version. The message says what is wrong and
 * where, without quoting the line (it may hold anything).
 */
public final class MalformedCallRecordException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedCallRecordException(String message) {
        super(message);
    }
}

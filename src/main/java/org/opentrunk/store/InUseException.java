package org.opentrunk.store;

/** A record others still refer to cannot be deleted (409 in the API). */
public final class InUseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InUseException(String message) {
        super(message);
    }
}

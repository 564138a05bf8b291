package org.opentrunk.store;

/** A value that must be unique is taken already (409 in the API); names the field. */
public final class DuplicateException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String field;

    public DuplicateException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}

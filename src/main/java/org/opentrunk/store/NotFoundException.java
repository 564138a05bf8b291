package org.opentrunk.store;

/** No such customer, carrier, number or CDR (404 in the API). */
public final class NotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NotFoundException(String message) {
        super(message);
    }
}

package org.opentrunk.core.cnam;

/**
 * The CNAM provider URL template ({@code OT_CNAM_URL}) cannot be used; the message says why, for
 * the operator. It never repeats the query string, which often carries the provider's API key.
 */
public final class InvalidCnamUrlException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidCnamUrlException(String reason) {
        super(reason);
    }
}

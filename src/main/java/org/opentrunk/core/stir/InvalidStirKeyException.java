package org.opentrunk.core.stir;

/** The signing key ({@code OT_STIR_KEY}) or certificate URL ({@code OT_STIR_X5U}) cannot be used. */
public final class InvalidStirKeyException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidStirKeyException(String message) {
        super(message);
    }

    public InvalidStirKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}

package org.opentrunk.core.tls;

/** A certificate, key or CA that cannot be used; the message says which file or carrier and why. */
public final class TlsMaterialException extends Exception {

    public TlsMaterialException(String message) {
        super(message);
    }

    public TlsMaterialException(String message, Throwable cause) {
        super(message, cause);
    }
}

package org.opentrunk.call;

/** An INVITE to a target could not be sent at all (a URI the stack refuses, no transport): the next target is tried. */
public final class UnusableTarget extends Exception {

    private static final long serialVersionUID = 1L;

    public UnusableTarget(String message, Throwable cause) {
        super(message, cause);
    }
}

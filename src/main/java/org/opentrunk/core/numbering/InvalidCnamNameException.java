package org.opentrunk.core.numbering;

/** A caller name cannot go into CNAM storage (IC-CNAM-OUT); the message says why, for the operator. */
public final class InvalidCnamNameException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidCnamNameException(String reason) {
        super(reason);
    }
}

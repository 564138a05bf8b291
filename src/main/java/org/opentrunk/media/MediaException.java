package org.opentrunk.media;

/**
 * The media module cannot do what the SIP code asked. Checked, like
 * {@link org.opentrunk.core.sdp.MalformedSdpException}: each failure needs a SIP answer (a 503 for
 * an INVITE when no ports are free, a 488 for an offer the relay cannot anchor ...), and the
 * compiler makes sure every caller chooses one. Each subclass says which status it suggests.
 */
public abstract class MediaException extends Exception {
    private static final long serialVersionUID = 1L;

    protected MediaException(String message) {
        super(message);
    }

    protected MediaException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The SIP status to answer the request that led here with. */
    public abstract int sipStatus();
}

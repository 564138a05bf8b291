package org.opentrunk.media;

import org.opentrunk.core.sdp.MalformedSdpException;

/**
 * A session description the relay cannot anchor: malformed (then {@link #getCause()} is the
 * {@link MalformedSdpException}), or well-formed but without a stream the relay carries (no active
 * audio over RTP nor T.38 over UDPTL), or with an address that is not an IPv4 literal (IC-IPV4).
 */
public final class BadSdpException extends MediaException {
    private static final long serialVersionUID = 1L;

    /** 488 Not Acceptable Here, for a well-formed description the relay cannot use. */
    public static final int NOT_ACCEPTABLE_HERE = 488;

    private final int sipStatus;

    public BadSdpException(String message) {
        super(message);
        this.sipStatus = NOT_ACCEPTABLE_HERE;
    }

    public BadSdpException(MalformedSdpException cause) {
        super(cause.getMessage(), cause);
        this.sipStatus = cause.sipStatus();
    }

    /** 400 for a malformed body, {@value #NOT_ACCEPTABLE_HERE} otherwise. */
    @Override
    public int sipStatus() {
        return sipStatus;
    }
}

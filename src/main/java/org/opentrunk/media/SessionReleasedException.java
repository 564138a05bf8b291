package org.opentrunk.media;

/**
 * The session was released (by the SIP code, by a media timeout or by the engine stopping) before
 * this offer or answer reached it: the call is being torn down.
 */
public final class SessionReleasedException extends MediaException {
    private static final long serialVersionUID = 1L;

    /** 481 Call/Transaction Does Not Exist: the call's media is gone, so is the call shortly. */
    public static final int SIP_STATUS = 481;

    public SessionReleasedException(String sessionId) {
        super("media session " + sessionId + " is released");
    }

    @Override
    public int sipStatus() {
        return SIP_STATUS;
    }
}

package org.opentrunk.media;

import java.time.Duration;

/**
 * What the media module tells the SIP code about a call. Methods are called on a media thread:
 * they must return quickly and never block (hand work to the SIP container's executor). Each has a
 * default that does nothing, so a listener implements only what it needs.
 */
public interface MediaListener {

    /** A DTMF digit completed (RFC 4733 end packet, reported once however many copies arrive). */
    default void dtmf(DtmfEvent event) {
    }

    /**
     * No RTP (nor UDPTL) came from either leg for {@code idle} while the call was not on hold, or
     * the call was never answered within {@link RelaySession#MAX_SETUP_TIME}. The session is
     * already released when this is called; the SIP code tears the call down with BYE on both legs.
     */
    default void mediaTimeout(MediaSession session, Duration idle) {
    }

    /** The session now relays {@code mode}: T.38 after a fax switch was answered (IC-FAX), or audio again after it. */
    default void modeChanged(MediaSession session, MediaMode mode) {
    }
}

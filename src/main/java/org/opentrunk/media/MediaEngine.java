package org.opentrunk.media;

import java.io.IOException;

/**
 * Media anchoring for calls (IC-DIRECT, per customer): creates one {@link MediaSession} per
 * anchored call. {@link RelayEngine} relays in-process; another engine (a media server driven by
 * its control protocol, say) can be plugged in behind the same interfaces, so the SIP code does not
 * know which one runs.
 */
public interface MediaEngine extends AutoCloseable {

    /**
     * Starts the engine's threads (or connects to the media server). Sessions can only be created after.
     *
     * @throws IOException when the engine cannot run
     */
    void start() throws IOException;

    /**
     * A session for a new call, its ports already open; {@code listener} hears about its DTMF,
     * media timeout and mode changes.
     *
     * @throws NoFreePortsException  when the engine has no ports left (answer 503)
     * @throws IllegalStateException when the engine is not running
     */
    MediaSession createSession(MediaListener listener) throws MediaException;

    /** Releases every session and stops the engine's threads; idempotent. */
    void stop();

    /** {@link #stop()}. */
    @Override
    default void close() {
        stop();
    }
}

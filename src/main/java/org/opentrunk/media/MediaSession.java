package org.opentrunk.media;

/**
 * The media of one anchored call: a {@link NetworkConnection} per leg, relayed into each other.
 * Created by {@link MediaEngine#createSession}; whatever way the call ends (BYE, CANCEL, failure,
 * media timeout, session timer), {@link #release()} frees its ports.
 */
public interface MediaSession {

    /** An identifier for logs, unique within the engine. */
    String id();

    /** The connection facing leg A (conventionally the side the call came from). */
    NetworkConnection legA();

    /** The connection facing leg B (the side the call goes to). */
    NetworkConnection legB();

    /** The connection facing {@code leg}. */
    default NetworkConnection leg(Leg leg) {
        return leg == Leg.A ? legA() : legB();
    }

    /** What is being relayed now. */
    MediaMode mode();

    /** True once released, by {@link #release()}, a media timeout or the engine stopping. */
    boolean isReleased();

    /**
     * Stops relaying and returns the ports; idempotent, callable from any thread (listener
     * callbacks included). The ports are back in the pool within one turn of the relay thread.
     */
    void release();
}

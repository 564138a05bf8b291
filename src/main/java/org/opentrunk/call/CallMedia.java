package org.opentrunk.call;

import java.time.Duration;
import java.util.logging.Logger;
import org.opentrunk.core.sdp.SessionDescription;
import org.opentrunk.media.DtmfEvent;
import org.opentrunk.media.MediaEngine;
import org.opentrunk.media.MediaException;
import org.opentrunk.media.MediaListener;
import org.opentrunk.media.MediaSession;
import org.opentrunk.media.NetworkConnection;
import org.opentrunk.media.RelaySession;

/**
 * The relayed media of one anchored call (IC-DIRECT, customers with {@code anchorMedia}): the
 * call's {@link MediaSession}, seen from the call's two legs, the caller's being the session's leg A.
 * Every SDP that crosses the call goes through the connection of the leg it came from, which
 * returns the SDP for the other leg (OpenTrunk's address and ports).
 *
 * <p>It is also the session's listener. Listener calls come on a relay thread, where the call
 * itself must not be touched (its SIP sessions belong to the container's thread for the call), so
 * they only set fields here; the call polls {@link #timedOut()} from a container timer.
 */
public final class CallMedia implements MediaListener {

    private static final Logger LOG = Logger.getLogger(CallMedia.class.getName());

    /** Shortest and longest interval between two looks at the media timeout flag. */
    static final Duration MIN_POLL = Duration.ofMillis(500);
    static final Duration MAX_POLL = Duration.ofSeconds(5);
    /** Polls per media timeout: a call is hung up at most a tenth of the timeout late. */
    private static final int POLLS_PER_TIMEOUT = 10;

    private final boolean keepDigits;
    private volatile MediaSession session;
    private volatile boolean timedOut;
    private final StringBuilder digits = new StringBuilder();
    private int digitCount;

    private CallMedia(boolean keepDigits) {
        this.keepDigits = keepDigits;
    }

    /**
     * Opens the media session of a new anchored call.
     *
     * @throws MediaException        when the relay has no ports left (503)
     * @throws IllegalStateException when the relay is not running
     */
    static CallMedia open(MediaEngine engine, boolean keepDigits) throws MediaException {
        CallMedia media = new CallMedia(keepDigits);
        media.session = engine.createSession(media);
        return media;
    }

    /** How often the call looks at {@link #timedOut()}, for a relay timing out after {@code timeout}. */
    static Duration pollInterval(Duration timeout) {
        Duration tenth = timeout.dividedBy(POLLS_PER_TIMEOUT);
        return tenth.compareTo(MIN_POLL) < 0 ? MIN_POLL : tenth.compareTo(MAX_POLL) > 0 ? MAX_POLL : tenth;
    }

    private NetworkConnection connection(Leg leg) {
        return session.leg(leg == Leg.CALLER ? org.opentrunk.media.Leg.A : org.opentrunk.media.Leg.B);
    }

    /** {@code leg}'s party offered {@code sdp}: the offer for the other party. */
    byte[] offerFrom(Leg leg, byte[] sdp) throws MediaException {
        return connection(leg).processRemoteOffer(sdp);
    }

    /** {@link #offerFrom(Leg, byte[])} on a parsed offer. */
    byte[] offerFrom(Leg leg, SessionDescription sdp) throws MediaException {
        return connection(leg).processRemoteOffer(sdp).toBytes();
    }

    /** {@code leg}'s party answered the other's offer with {@code sdp}: the answer for the other party. */
    byte[] answerFrom(Leg leg, byte[] sdp) throws MediaException {
        return connection(leg).processRemoteAnswer(sdp);
    }

    /** The offer {@code leg}'s party made was refused (488, 606, any failure): media stays as it was. */
    void offerRejected(Leg leg) {
        connection(leg).offerRejected();
    }

    /** Frees the ports; idempotent, whatever ended the call. */
    void release() {
        session.release();
    }

    /** True once the relay found no media for the media timeout (the session is released then). */
    boolean timedOut() {
        return timedOut;
    }

    /** DTMF digits seen from both parties (IC-DTMF). */
    synchronized int digitCount() {
        return digitCount;
    }

    /** The digits in the order they came, when kept (OT_MEDIA_KEEP_DIGITS); null otherwise. */
    synchronized String digits() {
        return keepDigits ? digits.toString() : null;
    }

    // ---- MediaListener, on a relay thread

    @Override
    public synchronized void dtmf(DtmfEvent event) {
        digitCount++;
        if (keepDigits && !event.isMasked() && digits.length() < RelaySession.MAX_KEPT_DIGITS) {
            digits.append(event.digit());
        }
    }

    @Override
    public void mediaTimeout(MediaSession timedOutSession, Duration idle) {
        LOG.info(() -> "No media on " + timedOutSession.id() + " for " + idle.toMillis() + " ms");
        timedOut = true;
    }
}

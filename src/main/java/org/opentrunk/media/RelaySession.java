package org.opentrunk.media;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.Channel;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.opentrunk.core.sdp.Codec;
import org.opentrunk.core.sdp.SessionDescription;
import org.opentrunk.core.sdp.T38Policy;

/**
 * A call relayed by {@link RelayEngine}: two {@link RelayConnection}s on one relay thread.
 *
 * <p>Offer/answer state (which leg offered what, which descriptions are in force) is kept under
 * this object's lock, for the SIP threads; what the relay needs of it is handed to the relay
 * thread as a task, so that the packet path reads plain fields and takes no lock.
 */
public final class RelaySession implements MediaSession {

    private static final Logger LOG = Logger.getLogger(RelaySession.class.getName());

    /**
     * Longest a session may wait for its first answer before it is released as timed out: an INVITE
     * gives up after 3 minutes (RFC 3261 Timer C), so a session still unanswered after this was
     * forgotten by the SIP code and would otherwise hold its ports for ever.
     */
    public static final Duration MAX_SETUP_TIME = Duration.ofMinutes(5);

    /** Most digits kept per leg when digits are kept: a card number and a PIN fit, a flood does not grow memory. */
    public static final int MAX_KEPT_DIGITS = 64;

    /** An offer made by one leg, and whether the other has answered it. */
    private record Offer(Leg from, int streamIndex, RemoteMedia media, boolean answered) {
    }

    private final String id;
    private final RelayEngine engine;
    private final SelectorLoop loop;
    private final MediaListener listener;
    private final RelayConnection a;
    private final RelayConnection b;
    private final AtomicBoolean released = new AtomicBoolean();
    private final long createdNanos = System.nanoTime();

    // offer/answer state, guarded by this
    private final RemoteMedia[] inForce = new RemoteMedia[2];
    private Offer lastOffer;
    private volatile MediaMode mode = MediaMode.AUDIO;

    // relay thread only
    private MediaMode relayMode = MediaMode.AUDIO;
    private boolean answered;
    private boolean onHold;
    private long lastMediaNanos;
    private boolean portsReturned;

    RelaySession(String id, RelayEngine engine, SelectorLoop loop, MediaListener listener, PortPair legA,
            PortPair legB) throws IOException {
        this.id = id;
        this.engine = engine;
        this.loop = loop;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.a = new RelayConnection(this, Leg.A, legA.rtp(), legA.rtcp());
        this.b = new RelayConnection(this, Leg.B, legB.rtp(), legB.rtcp());
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public NetworkConnection legA() {
        return a;
    }

    @Override
    public NetworkConnection legB() {
        return b;
    }

    RelayConnection connection(Leg leg) {
        return leg == Leg.A ? a : b;
    }

    List<RelayConnection> connections() {
        return List.of(a, b);
    }

    @Override
    public MediaMode mode() {
        return mode;
    }

    @Override
    public boolean isReleased() {
        return released.get();
    }

    @Override
    public void release() {
        if (released.compareAndSet(false, true)) {
            engine.forget(this);
            loop.execute(() -> loop.close(this));
        }
    }

    // ---- offer/answer, SIP threads

    synchronized SessionDescription offer(Leg from, SessionDescription offer) throws MediaException {
        checkNotReleased();
        int index = RemoteMedia.relayedStreamIndex(offer);
        if (index < 0) {
            throw new BadSdpException("the offer has no active audio (RTP) or T.38 (UDPTL) stream to relay");
        }
        SessionDescription enforced = T38Policy.isT38Stream(offer.media().get(index)) ? T38Policy.enforce(offer)
                : offer;
        RemoteMedia media = RemoteMedia.of(enforced, index);
        lastOffer = new Offer(from, index, media, false);
        if (inForce[from.ordinal()] == null) {
            // the leg's first description: media to it (early media) can flow before the answer
            inForce[from.ordinal()] = media;
            loop.execute(() -> connection(from).applyRemote(media));
        }
        return AnchoredSdp.rewrite(enforced, index, engine.address(), connection(from.other()).rtpPort());
    }

    synchronized SessionDescription answer(Leg from, SessionDescription answer) throws MediaException {
        checkNotReleased();
        Offer offer = lastOffer;
        if (offer == null || offer.from() != from.other()) {
            throw new IllegalStateException("leg " + from + " answered, but leg " + from.other() + " made no offer");
        }
        InetAddress address = engine.address();
        int offererPort = connection(offer.from()).rtpPort();
        if (!RemoteMedia.isRelayable(answer, offer.streamIndex())) {
            // the answerer refused the stream (port 0): nothing changes, as after a 488 (IC-FAX)
            lastOffer = new Offer(offer.from(), offer.streamIndex(), offer.media(), true);
            return AnchoredSdp.rewrite(answer, offer.streamIndex(), address, offererPort);
        }
        SessionDescription enforced = offer.media().mode() == MediaMode.T38 ? T38Policy.enforce(answer) : answer;
        RemoteMedia media = RemoteMedia.of(enforced, offer.streamIndex());
        if (media.mode() != offer.media().mode()) {
            throw new BadSdpException("the answer's stream " + (offer.streamIndex() + 1) + " is " + media.mode()
                    + ", the offer's " + offer.media().mode());
        }
        lastOffer = new Offer(offer.from(), offer.streamIndex(), offer.media(), true);
        inForce[offer.from().ordinal()] = offer.media();
        inForce[from.ordinal()] = media;
        RemoteMedia offerer = offer.media();
        MediaMode before = mode;
        mode = media.mode();
        boolean hold = offerer.isHold() || media.isHold();
        loop.execute(() -> {
            connection(offer.from()).applyRemote(offerer);
            connection(from).applyRemote(media);
            applyNegotiated(media.mode(), hold, before);
        });
        return AnchoredSdp.rewrite(enforced, offer.streamIndex(), address, offererPort);
    }

    synchronized void offerRejected(Leg from) {
        if (lastOffer != null && lastOffer.from() == from && !lastOffer.answered()) {
            lastOffer = null;
        }
    }

    private void checkNotReleased() throws SessionReleasedException {
        if (released.get()) {
            throw new SessionReleasedException(id);
        }
    }

    // ---- relay thread

    private void applyNegotiated(MediaMode negotiated, boolean hold, MediaMode before) {
        answered = true;
        a.answered(); // NAT sources may latch from now on, for a few packets (RelayConnection)
        b.answered();
        onHold = hold;
        relayMode = negotiated;
        lastMediaNanos = System.nanoTime(); // a new description, a fresh allowance of silence
        if (negotiated != before && !released.get()) {
            notifyListener(() -> listener.modeChanged(this, negotiated));
        }
    }

    boolean relaysAudio() {
        return relayMode == MediaMode.AUDIO;
    }

    boolean isTelephoneEvent(int payloadType) {
        return payloadType == a.telephoneEventPayloadType() || payloadType == b.telephoneEventPayloadType();
    }

    boolean keepsDigits() {
        return engine.settings().keepDigits();
    }

    void mediaReceived(long now) {
        lastMediaNanos = now;
    }

    boolean isMediaTimedOut(long now) {
        if (!answered) {
            return now - createdNanos > MAX_SETUP_TIME.toNanos();
        }
        if (onHold) {
            lastMediaNanos = now; // silence on hold is normal; the allowance starts again when it ends
            return false;
        }
        return now - lastMediaNanos > loop.timeoutNanos();
    }

    void timedOut(long now) {
        if (released.compareAndSet(false, true)) {
            engine.forget(this);
            loop.close(this);
            Duration idle = Duration.ofNanos(now - (answered ? lastMediaNanos : createdNanos));
            notifyListener(() -> listener.mediaTimeout(this, idle));
        }
    }

    void digit(Leg from, char digit, int durationSamples, int count) {
        loop.counters.digits++;
        char reported = keepsDigits() ? digit : DtmfEvent.MASKED;
        Duration duration = Duration.ofMillis(durationSamples * 1000L / Codec.CLOCK_RATE);
        notifyListener(() -> listener.dtmf(new DtmfEvent(this, from, reported, duration, count)));
    }

    private void notifyListener(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "media listener failed for session " + id, e);
        }
    }

    // ---- closing

    void closeChannels() {
        for (RelayConnection connection : connections()) {
            closeQuietly(connection.rtpChannel);
            closeQuietly(connection.rtcpChannel);
        }
    }

    private static void closeQuietly(Channel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "closing a relay socket", e);
        }
    }

    /** Releases the session after its relay thread stopped: closes and gives the ports back at once. */
    void releaseStopped(PortAllocator ports) {
        released.set(true);
        engine.forget(this);
        closeChannels();
        returnPorts(ports);
    }

    /** Gives the two port pairs back, once; after the channels are closed and unregistered. */
    synchronized void returnPorts(PortAllocator ports) {
        if (!portsReturned) {
            portsReturned = true;
            ports.release(a.rtpPort());
            ports.release(b.rtpPort());
        }
    }

    @Override
    public String toString() {
        return "RelaySession[" + id + ", " + a.localRtpAddress() + " <-> " + b.localRtpAddress() + "]";
    }
}

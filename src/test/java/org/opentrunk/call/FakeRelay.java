package org.opentrunk.call;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.opentrunk.core.sdp.MalformedSdpException;
import org.opentrunk.core.sdp.SessionDescription;
import org.opentrunk.media.Leg;
import org.opentrunk.media.MediaEngine;
import org.opentrunk.media.MediaException;
import org.opentrunk.media.MediaListener;
import org.opentrunk.media.MediaMode;
import org.opentrunk.media.MediaSession;
import org.opentrunk.media.NetworkConnection;

/**
 * A media relay for the call's unit tests: it rewrites every SDP that crosses it to its own address
 * ({@link #RELAY_ADDRESS}), as the real relay does, records what crossed, and lets a test time the
 * media out or run out of ports.
 */
final class FakeRelay implements MediaEngine {

    static final String RELAY_ADDRESS = "127.0.0.99";

    static final class NoPorts extends MediaException {
        private static final long serialVersionUID = 1L;

        NoPorts() {
            super("no free ports");
        }

        @Override
        public int sipStatus() {
            return 503;
        }
    }

    final List<String> crossed = new ArrayList<>();
    boolean outOfPorts;
    int sessions;
    int releases;
    MediaListener listener;
    MediaSession session;

    @Override
    public void start() {
    }

    @Override
    public void stop() {
    }

    @Override
    public MediaSession createSession(MediaListener listener) throws MediaException {
        if (outOfPorts) {
            throw new NoPorts();
        }
        sessions++;
        this.listener = listener;
        this.session = new Session();
        return session;
    }

    /** The relay saw no media for its timeout. */
    void timeOut() {
        listener.mediaTimeout(session, Duration.ofSeconds(30));
    }

    private static byte[] rewritten(byte[] sdp) {
        String text = new String(sdp, StandardCharsets.US_ASCII).replaceAll("IN IP4 127\\.0\\.0\\.\\d+", "IN IP4 " + RELAY_ADDRESS);
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private final class Session implements MediaSession {
        private final Connection a = new Connection(Leg.A);
        private final Connection b = new Connection(Leg.B);

        @Override
        public String id() {
            return "relay-1";
        }

        @Override
        public NetworkConnection legA() {
            return a;
        }

        @Override
        public NetworkConnection legB() {
            return b;
        }

        @Override
        public MediaMode mode() {
            return MediaMode.AUDIO;
        }

        @Override
        public boolean isReleased() {
            return releases > 0;
        }

        @Override
        public void release() {
            releases++;
        }
    }

    private final class Connection implements NetworkConnection {
        private final Leg leg;

        Connection(Leg leg) {
            this.leg = leg;
        }

        @Override
        public Leg leg() {
            return leg;
        }

        @Override
        public InetSocketAddress localRtpAddress() {
            return new InetSocketAddress(RELAY_ADDRESS, 30000);
        }

        @Override
        public InetSocketAddress localRtcpAddress() {
            return new InetSocketAddress(RELAY_ADDRESS, 30001);
        }

        @Override
        public Optional<InetSocketAddress> remoteRtpAddress() {
            return Optional.empty();
        }

        @Override
        public SessionDescription processRemoteOffer(SessionDescription offer) throws MediaException {
            try {
                return SessionDescription.parse(processRemoteOffer(offer.toBytes()));
            } catch (MalformedSdpException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public SessionDescription processRemoteAnswer(SessionDescription answer) throws MediaException {
            try {
                return SessionDescription.parse(processRemoteAnswer(answer.toBytes()));
            } catch (MalformedSdpException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public byte[] processRemoteOffer(byte[] offer) {
            crossed.add("offer from " + leg);
            return rewritten(offer);
        }

        @Override
        public byte[] processRemoteAnswer(byte[] answer) {
            crossed.add("answer from " + leg);
            return rewritten(answer);
        }

        @Override
        public void offerRejected() {
            crossed.add("offer of " + leg + " rejected");
        }

        @Override
        public long packetsRelayed() {
            return 0;
        }

        @Override
        public int digitCount() {
            return 0;
        }

        @Override
        public String digits() {
            return null;
        }
    }
}

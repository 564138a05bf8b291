package org.opentrunk.media;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Optional;
import org.opentrunk.core.sdp.MalformedSdpException;
import org.opentrunk.core.sdp.SessionDescription;

/**
 * One leg of a relayed call: the RTP and RTCP sockets that leg's endpoint sends to (and receives
 * from: symmetric RTP), where that endpoint is, and the DTMF detector for what it sends.
 *
 * <p>Latching: the first packet from the endpoint fixes where the relay sends to it, whatever its
 * SDP said (an endpoint behind NAT writes its private address there). After that, packets from
 * any other source are dropped, so that nobody can take over the stream, with one exception: a
 * packet from exactly the address the endpoint's SDP gives moves the latch there (after a re-INVITE
 * to another port, the first packets may still come from the old one). When the endpoint's SDP
 * moves the stream, the latch is reset.
 *
 * <p>The relay fields are only touched by the session's relay thread; the SIP-facing methods go
 * through {@link RelaySession}.
 */
final class RelayConnection implements NetworkConnection {

    private final RelaySession session;
    private final Leg leg;
    final DatagramChannel rtpChannel;
    final DatagramChannel rtcpChannel;
    private final InetSocketAddress localRtp;
    private final InetSocketAddress localRtcp;
    private final DtmfDetector dtmf;

    // relay thread only
    private RemoteMedia remote;
    private InetSocketAddress rtpLatch;
    private InetSocketAddress rtcpLatch;

    // written by the relay thread, read by anyone
    private volatile InetSocketAddress rtpDestination;
    private volatile long packetsRelayed;
    private volatile int digitCount;
    private volatile String digits = "";

    RelayConnection(RelaySession session, Leg leg, DatagramChannel rtpChannel, DatagramChannel rtcpChannel)
            throws IOException {
        this.session = session;
        this.leg = leg;
        this.rtpChannel = rtpChannel;
        this.rtcpChannel = rtcpChannel;
        this.localRtp = (InetSocketAddress) rtpChannel.getLocalAddress();
        this.localRtcp = (InetSocketAddress) rtcpChannel.getLocalAddress();
        this.dtmf = new DtmfDetector(this::digit);
    }

    @Override
    public Leg leg() {
        return leg;
    }

    @Override
    public InetSocketAddress localRtpAddress() {
        return localRtp;
    }

    @Override
    public InetSocketAddress localRtcpAddress() {
        return localRtcp;
    }

    @Override
    public Optional<InetSocketAddress> remoteRtpAddress() {
        return Optional.ofNullable(rtpDestination);
    }

    @Override
    public SessionDescription processRemoteOffer(SessionDescription offer) throws MediaException {
        return session.offer(leg, offer);
    }

    @Override
    public SessionDescription processRemoteAnswer(SessionDescription answer) throws MediaException {
        return session.answer(leg, answer);
    }

    @Override
    public byte[] processRemoteOffer(byte[] offer) throws MediaException {
        return processRemoteOffer(parse(offer)).toBytes();
    }

    @Override
    public byte[] processRemoteAnswer(byte[] answer) throws MediaException {
        return processRemoteAnswer(parse(answer)).toBytes();
    }

    private static SessionDescription parse(byte[] body) throws BadSdpException {
        try {
            return SessionDescription.parse(body);
        } catch (MalformedSdpException e) {
            throw new BadSdpException(e);
        }
    }

    @Override
    public void offerRejected() {
        session.offerRejected(leg);
    }

    @Override
    public long packetsRelayed() {
        return packetsRelayed;
    }

    @Override
    public int digitCount() {
        return digitCount;
    }

    @Override
    public String digits() {
        return digits;
    }

    int rtpPort() {
        return localRtp.getPort();
    }

    /** The telephone-event payload type this leg's SDP gives, -1 before it has one; relay thread. */
    int telephoneEventPayloadType() {
        return remote == null ? -1 : remote.telephoneEventPayloadType();
    }

    /** Where this endpoint now receives; relay thread. A new place resets the latches. */
    void applyRemote(RemoteMedia media) {
        if (media.movedFrom(remote)) {
            rtpLatch = null;
            rtcpLatch = null;
        }
        remote = media;
        rtpDestination = rtpLatch != null ? rtpLatch : media.rtp();
    }

    /** A datagram from this leg's endpoint, in {@code packet} from 0 to {@code length}; relay thread. */
    void received(ByteBuffer packet, int length, InetSocketAddress source, boolean rtcp, SelectorLoop loop) {
        if (!(rtcp ? acceptRtcpSource(source) : acceptRtpSource(source))) {
            loop.counters.droppedUnlatched++;
            return;
        }
        if (!rtcp) {
            session.mediaReceived(loop.now());
            if (session.relaysAudio()) {
                observeDtmf(packet, length);
            }
        }
        if (session.connection(leg.other()).send(packet, length, rtcp, loop)) {
            packetsRelayed++;
        }
    }

    private boolean acceptRtpSource(InetSocketAddress source) {
        if (source.equals(rtpLatch)) {
            return true;
        }
        if (rtpLatch == null || (remote != null && source.equals(remote.rtp()))) {
            rtpLatch = source;
            rtpDestination = source;
            return true;
        }
        return false;
    }

    private boolean acceptRtcpSource(InetSocketAddress source) {
        if (source.equals(rtcpLatch)) {
            return true;
        }
        if (rtcpLatch == null || (remote != null && source.equals(remote.rtcp()))) {
            rtcpLatch = source;
            return true;
        }
        return false;
    }

    /** Sends a packet from the other leg to this leg's endpoint, from this leg's socket; relay thread. */
    private boolean send(ByteBuffer packet, int length, boolean rtcp, SelectorLoop loop) {
        InetSocketAddress destination = rtcp ? (rtcpLatch != null ? rtcpLatch : remote == null ? null : remote.rtcp())
                : (rtpLatch != null ? rtpLatch : remote == null ? null : remote.rtp());
        if (destination == null) {
            loop.counters.droppedNoDestination++;
            return false;
        }
        packet.limit(length).position(0);
        try {
            if ((rtcp ? rtcpChannel : rtpChannel).send(packet, destination) == 0) {
                loop.counters.droppedSendFailed++;
                return false;
            }
            loop.counters.relayed(length);
            return true;
        } catch (IOException e) {
            loop.counters.droppedSendFailed++; // unreachable network, ICMP errors: UDP is lossy anyway
            return false;
        }
    }

    private void observeDtmf(ByteBuffer packet, int length) {
        if (!RtpHeader.isRtp(packet, 0, length) || !session.isTelephoneEvent(RtpHeader.payloadType(packet, 0))) {
            return;
        }
        int payload = RtpHeader.payloadOffset(packet, 0, length);
        if (payload < 0 || RtpHeader.payloadLength(packet, 0, length, payload) < TelephoneEvent.BYTES) {
            return;
        }
        dtmf.accept(RtpHeader.ssrc(packet, 0), RtpHeader.timestamp(packet, 0), TelephoneEvent.event(packet, payload),
                TelephoneEvent.isEnd(packet, payload), TelephoneEvent.duration(packet, payload));
    }

    private void digit(char digit, int durationSamples) {
        digitCount++;
        if (session.keepsDigits() && digits.length() < RelaySession.MAX_KEPT_DIGITS) {
            digits = digits + digit;
        }
        session.digit(leg, digit, durationSamples, digitCount);
    }
}

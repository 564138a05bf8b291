package org.opentrunk.media;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.opentrunk.core.sdp.MalformedSdpException;
import org.opentrunk.core.sdp.SessionDescription;

/**
 * One leg of a relayed call: the RTP and RTCP sockets that leg's endpoint sends to (and receives
 * from: symmetric RTP), where that endpoint is, and the DTMF detector for what it sends.
 *
 * <p>Latching (issue 25, RTP bleed): where the relay sends to this leg's endpoint is fixed by the
 * first accepted packet, and only these sources are accepted:
 * <ul>
 * <li>the latched source, once there is one;
 * <li>exactly the address the endpoint's SDP gives (RTP, or RTCP per RFC 3605). It may move an
 *     established latch: after a re-INVITE to another port the first packets may still come from
 *     the old one, and the SDP is the endpoint's own word;
 * <li>for NAT, while nothing is latched, only within {@link #NAT_WINDOW} after an answer took
 *     effect, and only packets of the socket's kind (RTP version 2 on the RTP socket, RTCP on the
 *     RTCP one): a source at the SDP's IP address on another port (port-translating NAT; for RTCP
 *     also at the IP address RTP latched to), or, when the SDP gives a private address (RFC 1918,
 *     RFC 6598, link-local: an endpoint behind NAT writes its own), any source that sends
 *     {@link #NAT_CONFIRM_PACKETS} packets in a row with one SSRC (and, for RTP, consecutive
 *     sequence numbers) within the window. Other packets do not
 *     shorten the window: a sprayer cannot use it up before the endpoint's first packet.
 * </ul>
 * Everything else is dropped (and counted): before the answer, a spray of the port range latches
 * nothing; a latch is never moved to another source unless the SDP names it; a leg whose window
 * has passed unlatched waits for its SDP's address. When the endpoint's SDP moves the stream, the
 * latch is reset and the next answer opens a new window.
 *
 * <p>The relay fields are only touched by the session's relay thread; the SIP-facing methods go
 * through {@link RelaySession}.
 */
final class RelayConnection implements NetworkConnection {

    /**
     * How long after the answer a NAT source may latch. An endpoint sends its first packets within
     * milliseconds of the answer (and then 50 a second), so this is plenty; a time, not a number of
     * packets, so that a spray of the range cannot use the window up before the endpoint's first
     * packet arrives and leave a NATed phone without audio.
     */
    static final Duration NAT_WINDOW = Duration.ofSeconds(3);

    /**
     * Packets a source at another address than a private SDP address must send within the window
     * before it latches, with one SSRC and, for RTP, consecutive sequence numbers (RFC 3550 A.1's
     * probation, MIN_SEQUENTIAL): an endpoint sends a stream (50 a second, numbered one by one), a
     * spray of the range one packet per port and sweep, numbered across all ports (the probation
     * Asterisk added against RTP bleed, AST-2017-005, is the same idea).
     */
    static final int NAT_CONFIRM_PACKETS = 2;

    /** Candidate sources remembered in the window (the oldest is forgotten first): bounds the memory a spray costs. */
    static final int NAT_CANDIDATES = 16;

    /** One socket's latch: the accepted source, and the NAT window; relay thread only. */
    private static final class Latch {
        InetSocketAddress source;
        /** System.nanoTime() when the NAT window closes; 0 while none is open. */
        long natWindowEnds;
        /** Sources seen in the window with their SSRC, and the probation of each, oldest first; at most NAT_CANDIDATES. */
        final java.util.LinkedHashMap<Candidate, Probation> candidates = new java.util.LinkedHashMap<>();

        /** A candidate's packets in a row so far, and the last one's sequence number (-1: RTCP, none). */
        static final class Probation {
            int inARow = 1;
            int lastSequence;

            Probation(int sequence) {
                lastSequence = sequence;
            }

            /** Counts a packet: in a row when RTCP, or when its sequence number follows the last one. */
            int next(int sequence) {
                boolean follows = sequence < 0 || sequence == ((lastSequence + 1) & 0xFFFF);
                inARow = follows ? inARow + 1 : 1;
                lastSequence = sequence;
                return inARow;
            }
        }

        /** A source sending one stream. */
        record Candidate(InetSocketAddress address, long ssrc) {
        }

        void reset() {
            source = null;
            natWindowEnds = 0;
            candidates.clear();
        }

        /** Opens the NAT window when nothing is latched yet. */
        void open(long nowNanos) {
            if (source == null) {
                natWindowEnds = nowNanos + NAT_WINDOW.toNanos();
                candidates.clear();
            }
        }

        private boolean latch(InetSocketAddress candidate) {
            source = candidate;
            natWindowEnds = 0;
            candidates.clear();
            return true;
        }

        /**
         * Whether {@code candidate} is the source, {@code signalled} being the SDP's address and
         * {@code knownIp} an address this endpoint already sends from (its RTP source, for RTCP).
         *
         * @param ssrc     the packet's SSRC, or -1 when the packet is not of the kind this socket
         *                 carries (not RTP, not RTCP): such a packet could not be the endpoint's and
         *                 never latches a NAT source
         * @param sequence an RTP packet's sequence number; -1 for RTCP
         */
        boolean accept(InetSocketAddress candidate, InetSocketAddress signalled, InetAddress knownIp, long ssrc, int sequence,
                       long nowNanos) {
            if (candidate.equals(source)) {
                return true;
            }
            if (candidate.equals(signalled)) {
                return latch(candidate); // the SDP's own word may move a latch
            }
            if (source != null || natWindowEnds == 0 || signalled == null || ssrc < 0) {
                return false;
            }
            if (nowNanos - natWindowEnds >= 0) {
                natWindowEnds = 0; // the window has passed: the leg waits for its SDP's address
                candidates.clear();
                return false;
            }
            InetAddress ip = candidate.getAddress();
            if (ip.equals(signalled.getAddress()) || ip.equals(knownIp)) {
                return latch(candidate); // the endpoint's own address, another port: a port-translating NAT
            }
            if (!isPrivate(signalled.getAddress())) {
                return false; // a public SDP address is where the endpoint is: others are not it
            }
            Candidate seen = new Candidate(candidate, ssrc);
            Probation probation = candidates.get(seen);
            if (probation == null) {
                candidates.put(seen, new Probation(sequence));
            } else if (probation.next(sequence) >= NAT_CONFIRM_PACKETS) {
                return latch(candidate);
            }
            if (candidates.size() > NAT_CANDIDATES) {
                Candidate oldest = candidates.keySet().iterator().next();
                candidates.remove(oldest);
            }
            return false;
        }
    }

    private final RelaySession session;
    private final Leg leg;
    final DatagramChannel rtpChannel;
    final DatagramChannel rtcpChannel;
    private final InetSocketAddress localRtp;
    private final InetSocketAddress localRtcp;
    private final DtmfDetector dtmf;

    // relay thread only
    private RemoteMedia remote;
    private final Latch rtpLatch = new Latch();
    private final Latch rtcpLatch = new Latch();

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
            rtpLatch.reset();
            rtcpLatch.reset();
        }
        remote = media;
        rtpDestination = rtpLatch.source != null ? rtpLatch.source : media.rtp();
    }

    /** An answer took effect: an unlatched socket may now learn a NAT source; relay thread. */
    void answered() {
        long now = System.nanoTime();
        rtpLatch.open(now);
        rtcpLatch.open(now);
    }

    /**
     * True for the addresses an endpoint behind NAT writes into its SDP: private (RFC 1918),
     * shared (RFC 6598, carrier-grade NAT) and link-local; its packets then come from elsewhere.
     */
    static boolean isPrivate(InetAddress address) {
        byte[] b = address.getAddress();
        boolean sharedCgnat = b.length == 4 && (b[0] & 0xFF) == 100 && (b[1] & 0xC0) == 64; // 100.64.0.0/10
        return address.isSiteLocalAddress() || address.isLinkLocalAddress() || sharedCgnat;
    }

    /** A datagram from this leg's endpoint, in {@code packet} from 0 to {@code length}; relay thread. */
    void received(ByteBuffer packet, int length, InetSocketAddress source, boolean rtcp, SelectorLoop loop) {
        boolean rtp = !rtcp && RtpHeader.isRtp(packet, 0, length);
        long ssrc = rtcp ? rtcpSsrc(packet, length) : rtp ? RtpHeader.ssrc(packet, 0) : -1;
        int sequence = rtp ? RtpHeader.sequenceNumber(packet, 0) : -1;
        if (!(rtcp ? acceptRtcpSource(source, ssrc, loop.now()) : acceptRtpSource(source, ssrc, sequence, loop.now()))) {
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

    /** The sender SSRC of an RTCP packet (RFC 3550 6.4: version 2, packet type 200-204), -1 when it is none. */
    static long rtcpSsrc(ByteBuffer packet, int length) {
        if (length < RTCP_HEADER_BYTES || (packet.get(0) & 0xC0) != 0x80) {
            return -1;
        }
        int type = packet.get(1) & 0xFF;
        return type < 200 || type > 204 ? -1 : packet.getInt(4) & 0xFFFF_FFFFL;
    }

    /** An RTCP header with its sender's SSRC. */
    private static final int RTCP_HEADER_BYTES = 8;

    private boolean acceptRtpSource(InetSocketAddress source, long ssrc, int sequence, long now) {
        if (!rtpLatch.accept(source, remote == null ? null : remote.rtp(), null, ssrc, sequence, now)) {
            return false;
        }
        rtpDestination = rtpLatch.source;
        return true;
    }

    private boolean acceptRtcpSource(InetSocketAddress source, long ssrc, long now) {
        InetAddress rtpSource = rtpLatch.source == null ? null : rtpLatch.source.getAddress();
        return rtcpLatch.accept(source, remote == null ? null : remote.rtcp(), rtpSource, ssrc, -1, now);
    }

    /** Sends a packet from the other leg to this leg's endpoint, from this leg's socket; relay thread. */
    private boolean send(ByteBuffer packet, int length, boolean rtcp, SelectorLoop loop) {
        InetSocketAddress latched = rtcp ? rtcpLatch.source : rtpLatch.source;
        InetSocketAddress destination = latched != null ? latched : remote == null ? null : rtcp ? remote.rtcp() : remote.rtp();
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

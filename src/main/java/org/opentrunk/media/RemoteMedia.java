package org.opentrunk.media;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.opentrunk.core.sdp.CodecPolicy;
import org.opentrunk.core.sdp.MediaDescription;
import org.opentrunk.core.sdp.SdpLine;
import org.opentrunk.core.sdp.SessionDescription;
import org.opentrunk.core.sdp.T38Policy;
import org.opentrunk.core.text.UntrustedText;

/**
 * What one endpoint's SDP tells the relay: which stream is relayed, where that endpoint receives
 * it, and how to read it. The relay carries one stream per call: the active T.38 stream when there
 * is one (a fax switch, IC-FAX), the first active audio stream over RTP otherwise.
 *
 * @param mode                   AUDIO for RTP, T38 for UDPTL
 * @param streamIndex            the relayed stream's position among the {@code m=} lines
 * @param rtp                    where the endpoint receives the stream; null on hold with {@code c=0.0.0.0}
 * @param rtcp                   where it receives RTCP ({@code a=rtcp}, RFC 3605, else the next port); null as {@code rtp}
 * @param direction              the stream's direction attribute
 * @param telephoneEventPayloadType the RFC 4733 payload type, {@value CodecPolicy#DEFAULT_TELEPHONE_EVENT_PAYLOAD_TYPE} when the SDP names none,
 *                               {@link #NO_TELEPHONE_EVENTS} for SRTP (IC-SRTP: encrypted, not read)
 */
record RemoteMedia(MediaMode mode, int streamIndex, InetSocketAddress rtp, InetSocketAddress rtcp,
        MediaDirection direction, int telephoneEventPayloadType) {

    /** Longest quoted SDP value in an exception message. */
    private static final int MAX_QUOTED_CHARS = 40;

    /** The telephone-event payload type of a stream whose events cannot be read (SRTP): none. */
    static final int NO_TELEPHONE_EVENTS = -1;

    /** A secure RTP profile (RTP/SAVP, RTP/SAVPF ...) or crypto lines: the payloads are encrypted end to end. */
    static boolean isSrtp(MediaDescription m) {
        return m.proto().toUpperCase(java.util.Locale.ROOT).contains("SAVP") || !m.attributes("crypto").isEmpty();
    }

    /** The address of the RFC 2543 way to put a call on hold, {@code c=IN IP4 0.0.0.0}. */
    static final String HOLD_ADDRESS = "0.0.0.0";

    /** The position of the stream the relay carries, or -1 when there is none it can. */
    static int relayedStreamIndex(SessionDescription sdp) {
        List<MediaDescription> media = sdp.media();
        for (int i = 0; i < media.size(); i++) {
            if (media.get(i).isActive() && T38Policy.isT38Stream(media.get(i))) {
                return i;
            }
        }
        for (int i = 0; i < media.size(); i++) {
            MediaDescription m = media.get(i);
            if (m.isActive() && m.isAudio() && m.isRtp()) {
                return i;
            }
        }
        return -1;
    }

    /** True when stream {@code index} exists, is active and is one the relay carries. */
    static boolean isRelayable(SessionDescription sdp, int index) {
        if (index < 0 || index >= sdp.media().size()) {
            return false;
        }
        MediaDescription m = sdp.media().get(index);
        return m.isActive() && (T38Policy.isT38Stream(m) || (m.isAudio() && m.isRtp()));
    }

    /**
     * Reads stream {@code index} of {@code sdp}.
     *
     * @throws BadSdpException when that stream is not relayable or has no usable IPv4 address
     */
    static RemoteMedia of(SessionDescription sdp, int index) throws BadSdpException {
        if (!isRelayable(sdp, index)) {
            throw new BadSdpException("no active audio (RTP) or T.38 (UDPTL) stream to relay");
        }
        MediaDescription m = sdp.media().get(index);
        MediaMode mode = T38Policy.isT38Stream(m) ? MediaMode.T38 : MediaMode.AUDIO;
        String connection = connectionAddress(sdp, m);
        InetSocketAddress rtp = null;
        InetSocketAddress rtcp = null;
        if (!connection.equals(HOLD_ADDRESS)) {
            InetAddress address = ipv4(connection);
            rtp = new InetSocketAddress(address, m.port());
            rtcp = rtcpAddress(m, address);
        }
        // IC-SRTP: an SRTP stream is relayed as is, and its events' payload is encrypted: no DTMF
        // is read from it (NO_TELEPHONE_EVENTS matches no payload type).
        int telephoneEvents = isSrtp(m) ? NO_TELEPHONE_EVENTS
                : CodecPolicy.telephoneEventPayloadType(sdp.withMedia(List.of(m)))
                .orElse(CodecPolicy.DEFAULT_TELEPHONE_EVENT_PAYLOAD_TYPE);
        return new RemoteMedia(mode, index, rtp, rtcp, direction(sdp, m), telephoneEvents);
    }

    /** The address of the media-level {@code c=} line, else the session-level one. */
    private static String connectionAddress(SessionDescription sdp, MediaDescription m) throws BadSdpException {
        Optional<SdpLine> line = m.lines().stream().filter(l -> l.type() == 'c').findFirst();
        if (line.isEmpty()) {
            line = sdp.sessionLines().stream().filter(l -> l.type() == 'c').findFirst();
        }
        if (line.isEmpty()) {
            throw new BadSdpException("no c= line for the relayed stream");
        }
        String[] fields = line.get().value().strip().split("[ \t]+");
        if (fields.length != 3 || !fields[0].equals("IN") || !fields[1].equals("IP4")) {
            throw new BadSdpException("c=" + UntrustedText.quote(line.get().value(), MAX_QUOTED_CHARS)
                    + " is not IN IP4 <address> (IC-IPV4)");
        }
        int ttl = fields[2].indexOf('/');
        return ttl < 0 ? fields[2] : fields[2].substring(0, ttl);
    }

    /** An IPv4 literal; never a host name, which would mean a DNS lookup on a SIP thread. */
    static InetAddress ipv4(String literal) throws BadSdpException {
        String[] parts = literal.split("\\.", -1);
        byte[] bytes = new byte[4];
        boolean valid = parts.length == 4;
        for (int i = 0; valid && i < 4; i++) {
            String part = parts[i];
            valid = !part.isEmpty() && part.length() <= 3 && part.chars().allMatch(c -> c >= '0' && c <= '9')
                    && Integer.parseInt(part) <= 255;
            bytes[i] = valid ? (byte) Integer.parseInt(part) : 0;
        }
        if (!valid) {
            throw new BadSdpException("the connection address " + UntrustedText.quote(literal, MAX_QUOTED_CHARS)
                    + " is not an IPv4 address");
        }
        try {
            return Inet4Address.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException("four bytes are an IPv4 address", impossible);
        }
    }

    private static InetSocketAddress rtcpAddress(MediaDescription m, InetAddress connection) throws BadSdpException {
        Optional<String> attribute = m.attribute("rtcp");
        if (attribute.isPresent()) {
            String[] fields = attribute.get().strip().split("[ \t]+");
            boolean port = fields[0].chars().allMatch(c -> c >= '0' && c <= '9') && fields[0].length() <= 5
                    && !fields[0].isEmpty() && Integer.parseInt(fields[0]) <= PortRange.MAX_PORT;
            if (port && fields.length == 1) {
                return new InetSocketAddress(connection, Integer.parseInt(fields[0]));
            }
            if (port && fields.length == 4 && fields[1].equals("IN") && fields[2].equals("IP4")) {
                return new InetSocketAddress(ipv4(fields[3]), Integer.parseInt(fields[0]));
            }
            // unreadable: RTCP goes where RFC 3550 puts it
        }
        return new InetSocketAddress(connection, Math.min(m.port() + 1, PortRange.MAX_PORT));
    }

    private static MediaDirection direction(SessionDescription sdp, MediaDescription m) {
        for (SdpLine line : m.lines()) {
            Optional<MediaDirection> direction = line.isAttribute() ? MediaDirection.ofAttribute(line.value())
                    : Optional.empty();
            if (direction.isPresent()) {
                return direction.get();
            }
        }
        for (SdpLine line : sdp.sessionLines()) {
            Optional<MediaDirection> direction = line.isAttribute() ? MediaDirection.ofAttribute(line.value())
                    : Optional.empty();
            if (direction.isPresent()) {
                return direction.get();
            }
        }
        return MediaDirection.SENDRECV;
    }

    /** True when the endpoint neither sends nor receives both ways: the call is on hold. */
    boolean isHold() {
        return direction.isHold() || rtp == null;
    }

    /** True when the relay would send to a different place than under {@code before}. */
    boolean movedFrom(RemoteMedia before) {
        return before == null || !Objects.equals(rtp, before.rtp) || !Objects.equals(rtcp, before.rtcp);
    }
}

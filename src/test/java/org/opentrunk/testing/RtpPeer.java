package org.opentrunk.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One media endpoint of a test call: a UDP socket on a loopback address that sends hand-built RTP
 * (or UDPTL) packets and receives what the trunk relays, with where each came from.
 */
public final class RtpPeer implements AutoCloseable {

    /** A datagram and its source. */
    public record Received(byte[] data, InetSocketAddress source) {
    }

    private static final int MAX_DATAGRAM = 2048;
    private static final Pattern CONNECTION = Pattern.compile("(?m)^c=IN IP4 (\\S+)");

    private final DatagramSocket socket;

    public RtpPeer(String address, int port) throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), port));
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    public void send(byte[] packet, InetSocketAddress to) throws IOException {
        socket.send(new DatagramPacket(packet, packet.length, to));
    }

    /** The next datagram, or empty when none arrives within {@code timeout}. */
    public Optional<Received> receive(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        DatagramPacket p = new DatagramPacket(new byte[MAX_DATAGRAM], MAX_DATAGRAM);
        try {
            socket.receive(p);
        } catch (SocketTimeoutException e) {
            return Optional.empty();
        }
        return Optional.of(new Received(Arrays.copyOf(p.getData(), p.getLength()),
                (InetSocketAddress) p.getSocketAddress()));
    }

    /** Drops whatever is queued. */
    public void drain() throws IOException {
        while (receive(Duration.ofMillis(50)).isPresent()) {
            // discard
        }
    }

    /** An RTP packet (RFC 3550, version 2, no CSRC, no extension). */
    public static byte[] rtp(int payloadType, boolean marker, int sequence, long timestamp, long ssrc, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(12 + payload.length);
        b.put((byte) 0x80).put((byte) ((marker ? 0x80 : 0) | payloadType)).putShort((short) sequence)
                .putInt((int) timestamp).putInt((int) ssrc).put(payload);
        return b.array();
    }

    /** An RFC 4733 telephone-event payload: event, E bit, volume 10, duration in samples. */
    public static byte[] telephoneEvent(int event, boolean end, int duration) {
        return new byte[] {(byte) event, (byte) ((end ? 0x80 : 0) | 10), (byte) (duration >> 8), (byte) duration};
    }

    /** The address of the first {@code c=} line of an SDP body. */
    public static String connectionAddress(String sdp) {
        Matcher m = CONNECTION.matcher(sdp);
        if (!m.find()) {
            throw new AssertionError("no c= line in " + sdp);
        }
        return m.group(1);
    }

    /** The port of the first {@code m=<media>} line of an SDP body. */
    public static int mediaPort(String sdp, String media) {
        Matcher m = Pattern.compile("(?m)^m=" + media + " (\\d+) ").matcher(sdp);
        if (!m.find()) {
            throw new AssertionError("no m=" + media + " line in " + sdp);
        }
        return Integer.parseInt(m.group(1));
    }

    @Override
    public void close() {
        socket.close();
    }
}

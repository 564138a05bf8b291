package org.opentrunk.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * A UDP socket that stands where a carrier's media gateway would, to see what RTP a real user
 * agent sends there: in particular RFC 4733 telephone-events (DTMF).
 */
public final class RtpSink implements AutoCloseable {

    static final int RTP_HEADER_BYTES = 12;
    static final int PAYLOAD_TYPE_MASK = 0x7f;
    private static final int MAX_PACKET = 2048;

    private final DatagramSocket socket;
    private int packets;

    public RtpSink(String address, int port) throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(address, port));
    }

    /** RTP packets received so far, of any payload type. */
    public int packets() {
        return packets;
    }

    /**
     * Waits for an RTP packet of {@code payloadType} (the telephone-event type agreed in SDP) and
     * returns its event code (RFC 4733 §2.3: 0-9 digits, 10 '*', 11 '#'); -1 if none came in time.
     */
    public int awaitTelephoneEvent(int payloadType, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] buffer = new byte[MAX_PACKET];
        while (System.nanoTime() < deadline) {
            socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException late) {
                break;
            }
            packets++;
            if (packet.getLength() > RTP_HEADER_BYTES && (buffer[1] & PAYLOAD_TYPE_MASK) == payloadType) {
                return buffer[RTP_HEADER_BYTES] & 0xff;
            }
        }
        return -1;
    }

    @Override
    public void close() {
        socket.close();
    }
}

package org.opentrunk.media;

import java.nio.ByteBuffer;

/** RTP packets as endpoints send them, for the tests. */
final class RtpPackets {

    static final int PCMU = 0;
    static final int TELEPHONE_EVENT = 101;

    private RtpPackets() {
    }

    /** A G.711 packet: 12-byte header and 160 bytes of payload (20 ms), payload bytes set to {@code fill}. */
    static byte[] audio(int sequence, long timestamp, long ssrc, int fill) {
        ByteBuffer b = header(PCMU, false, sequence, timestamp, ssrc, 160);
        while (b.hasRemaining()) {
            b.put((byte) fill);
        }
        return b.array();
    }

    /** An RFC 4733 packet for {@code event}; the event's start timestamp, its duration so far. */
    static byte[] event(int payloadType, int sequence, long timestamp, long ssrc, int event, boolean end,
            int duration) {
        ByteBuffer b = header(payloadType, false, sequence, timestamp, ssrc, 4);
        b.put((byte) event).put((byte) ((end ? 0x80 : 0) | 10)).putShort((short) duration);
        return b.array();
    }

    /** The packets a sender emits for one key press: start, two updates, three end packets. */
    static byte[][] keyPress(int sequence, long timestamp, long ssrc, int event) {
        byte[][] packets = new byte[6][];
        packets[0] = event(TELEPHONE_EVENT, sequence, timestamp, ssrc, event, false, 160);
        packets[1] = event(TELEPHONE_EVENT, sequence + 1, timestamp, ssrc, event, false, 320);
        packets[2] = event(TELEPHONE_EVENT, sequence + 2, timestamp, ssrc, event, false, 480);
        for (int i = 3; i < 6; i++) {
            packets[i] = event(TELEPHONE_EVENT, sequence + i, timestamp, ssrc, event, true, 800);
        }
        return packets;
    }

    private static ByteBuffer header(int payloadType, boolean marker, int sequence, long timestamp, long ssrc,
            int payloadBytes) {
        ByteBuffer b = ByteBuffer.allocate(RtpHeader.FIXED_BYTES + payloadBytes);
        b.put((byte) 0x80).put((byte) ((marker ? 0x80 : 0) | payloadType)).putShort((short) sequence)
                .putInt((int) timestamp).putInt((int) ssrc);
        return b;
    }
}

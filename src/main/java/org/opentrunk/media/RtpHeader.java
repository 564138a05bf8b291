package org.opentrunk.media;

import java.nio.ByteBuffer;

/**
 * Reads the fixed RTP header (RFC 3550 section 5.1) straight from a received datagram, without
 * copying or allocating: the relay looks at every packet and forwards it unchanged, so it only
 * ever needs a few fields. Offsets are absolute positions in the buffer; all methods leave the
 * buffer's position and limit alone.
 */
public final class RtpHeader {

    /** Size of the fixed header, before any CSRC list or extension. */
    public static final int FIXED_BYTES = 12;

    /** The RTP version in the first two bits of every RTP packet. */
    public static final int VERSION = 2;

    private RtpHeader() {
    }

    /**
     * True when the {@code length} bytes from {@code offset} can be RTP: version 2 and a payload
     * type that is not in the RTCP range 72-76 (RFC 5761 section 4, so that RTCP multiplexed on the
     * RTP port is not taken for media).
     */
    public static boolean isRtp(ByteBuffer packet, int offset, int length) {
        if (length < FIXED_BYTES || (packet.get(offset) & 0xC0) >>> 6 != VERSION) {
            return false;
        }
        int pt = payloadType(packet, offset);
        return pt < 72 || pt > 76;
    }

    /** The 7-bit payload type. */
    public static int payloadType(ByteBuffer packet, int offset) {
        return packet.get(offset + 1) & 0x7F;
    }

    /** The marker bit. */
    public static boolean marker(ByteBuffer packet, int offset) {
        return (packet.get(offset + 1) & 0x80) != 0;
    }

    public static int sequenceNumber(ByteBuffer packet, int offset) {
        return packet.getShort(offset + 2) & 0xFFFF;
    }

    /** The 32-bit timestamp as an unsigned value. */
    public static long timestamp(ByteBuffer packet, int offset) {
        return packet.getInt(offset + 4) & 0xFFFF_FFFFL;
    }

    /** The 32-bit SSRC as an unsigned value. */
    public static long ssrc(ByteBuffer packet, int offset) {
        return packet.getInt(offset + 8) & 0xFFFF_FFFFL;
    }

    /**
     * Where the payload starts (after the CSRC list and any header extension), relative to
     * {@code offset}; -1 when the header claims more bytes than the packet has.
     */
    public static int payloadOffset(ByteBuffer packet, int offset, int length) {
        int first = packet.get(offset) & 0xFF;
        int headerBytes = FIXED_BYTES + 4 * (first & 0x0F);
        if ((first & 0x10) != 0) {
            if (headerBytes + 4 > length) {
                return -1;
            }
            headerBytes += 4 + 4 * (packet.getShort(offset + headerBytes + 2) & 0xFFFF);
        }
        return headerBytes > length ? -1 : headerBytes;
    }

    /**
     * How many payload bytes there are after {@code payloadOffset}, padding (RFC 3550 section
     * 5.1, P bit) excluded; -1 when the padding count is impossible.
     */
    public static int payloadLength(ByteBuffer packet, int offset, int length, int payloadOffset) {
        int payload = length - payloadOffset;
        if ((packet.get(offset) & 0x20) != 0) {
            int padding = packet.get(offset + length - 1) & 0xFF;
            if (padding == 0 || padding > payload) {
                return -1;
            }
            payload -= padding;
        }
        return payload;
    }
}

package org.opentrunk.hep;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Encodes a {@link HepMessage} as one HEPv3 packet (sipcapture's HEP3 specification): the magic
 * {@code HEP3}, the packet's total length (uint16), then chunks, each {vendor id uint16 = 0
 * (generic), type uint16, length uint16 counting its own 6-byte header, value}, all in network
 * byte order. The chunks sent, by type: 1 IP family, 2 IP protocol, 3/4 IPv4 or 5/6 IPv6 source and
 * destination, 7/8 ports, 9/10 timestamp seconds and microseconds, 11 protocol type (1 = SIP),
 * 12 capture agent id, 14 authentication key (only with a password), 15 payload, 17 correlation id.
 */
public final class HepEncoder {

    static final byte[] MAGIC = {'H', 'E', 'P', '3'};
    /** The largest HEP packet: its length field is 16 bits (and a UDP datagram holds 65,507 bytes). */
    public static final int MAX_PACKET = 65_507;
    static final int CHUNK_HEADER = 6;
    static final int GENERIC_VENDOR = 0;

    static final int IP_FAMILY = 1;
    static final int IP_PROTOCOL = 2;
    static final int IPV4_SOURCE = 3;
    static final int IPV4_DESTINATION = 4;
    static final int IPV6_SOURCE = 5;
    static final int IPV6_DESTINATION = 6;
    static final int SOURCE_PORT = 7;
    static final int DESTINATION_PORT = 8;
    static final int TIME_SECONDS = 9;
    static final int TIME_MICROS = 10;
    static final int PROTOCOL_TYPE = 11;
    static final int CAPTURE_ID = 12;
    static final int AUTH_KEY = 14;
    static final int PAYLOAD = 15;
    static final int CORRELATION_ID = 17;

    /** Address family values, as in the socket API (AF_INET, AF_INET6 on Linux). */
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int PROTO_UDP = 17;
    static final int PROTO_TCP = 6;
    static final int PROTOCOL_SIP = 1;

    private static final byte[] UNSPECIFIED_V4 = new byte[4];
    private static final byte[] UNSPECIFIED_V6 = new byte[16];

    private HepEncoder() {
    }

    /** Thrown when a message does not fit in one HEP packet. */
    public static final class TooLargeException extends Exception {
        private static final long serialVersionUID = 1L;

        TooLargeException(int bytes) {
            super("a HEP packet of " + bytes + " bytes is over " + MAX_PACKET);
        }
    }

    /**
     * The HEPv3 packet of {@code message}.
     *
     * @param captureId the capture agent id Homer shows the node by ({@code OT_HEP_ID})
     * @param password  the collector's authentication key, or null for none ({@code OT_HEP_PASSWORD})
     */
    public static byte[] encode(HepMessage message, int captureId, String password) throws TooLargeException {
        boolean v6 = message.source() instanceof Inet6Address || message.destination() instanceof Inet6Address;
        byte[] source = addressBytes(message.source(), v6);
        byte[] destination = addressBytes(message.destination(), v6);
        byte[] payload = message.text().getBytes(StandardCharsets.UTF_8);
        byte[] correlation = message.callId() == null ? new byte[0] : message.callId().getBytes(StandardCharsets.UTF_8);
        byte[] key = password == null ? null : password.getBytes(StandardCharsets.UTF_8);

        int size = MAGIC.length + 2
                + 2 * (CHUNK_HEADER + 1)                                  // family, protocol
                + 2 * (CHUNK_HEADER + source.length)                      // addresses
                + 2 * (CHUNK_HEADER + 2)                                  // ports
                + 2 * (CHUNK_HEADER + 4)                                  // time
                + (CHUNK_HEADER + 1) + (CHUNK_HEADER + 4)                 // protocol type, capture id
                + (key == null ? 0 : CHUNK_HEADER + key.length)
                + CHUNK_HEADER + payload.length
                + (correlation.length == 0 ? 0 : CHUNK_HEADER + correlation.length);
        if (size > MAX_PACKET) {
            throw new TooLargeException(size);
        }
        long seconds = Math.floorDiv(message.epochMicros(), 1_000_000L);
        long micros = Math.floorMod(message.epochMicros(), 1_000_000L);

        ByteBuffer out = ByteBuffer.allocate(size); // big-endian: network byte order
        out.put(MAGIC).putShort((short) size);
        uint8(out, IP_FAMILY, v6 ? AF_INET6 : AF_INET);
        uint8(out, IP_PROTOCOL, message.tcp() ? PROTO_TCP : PROTO_UDP);
        bytes(out, v6 ? IPV6_SOURCE : IPV4_SOURCE, source);
        bytes(out, v6 ? IPV6_DESTINATION : IPV4_DESTINATION, destination);
        uint16(out, SOURCE_PORT, message.sourcePort());
        uint16(out, DESTINATION_PORT, message.destinationPort());
        uint32(out, TIME_SECONDS, seconds);
        uint32(out, TIME_MICROS, micros);
        uint8(out, PROTOCOL_TYPE, PROTOCOL_SIP);
        uint32(out, CAPTURE_ID, Integer.toUnsignedLong(captureId));
        if (key != null) {
            bytes(out, AUTH_KEY, key);
        }
        bytes(out, PAYLOAD, payload);
        if (correlation.length > 0) {
            bytes(out, CORRELATION_ID, correlation);
        }
        return out.array();
    }

    /** The address in the packet's family: an IPv4 address in an IPv6 packet is written IPv4-mapped. */
    private static byte[] addressBytes(InetAddress address, boolean v6) {
        if (address == null) {
            return v6 ? UNSPECIFIED_V6 : UNSPECIFIED_V4;
        }
        byte[] raw = address.getAddress();
        if (!v6 || raw.length == 16) {
            return raw;
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(raw, 0, mapped, 12, 4);
        return mapped;
    }

    private static void header(ByteBuffer out, int type, int valueLength) {
        out.putShort((short) GENERIC_VENDOR).putShort((short) type).putShort((short) (CHUNK_HEADER + valueLength));
    }

    private static void uint8(ByteBuffer out, int type, int value) {
        header(out, type, 1);
        out.put((byte) value);
    }

    private static void uint16(ByteBuffer out, int type, int value) {
        header(out, type, 2);
        out.putShort((short) value);
    }

    private static void uint32(ByteBuffer out, int type, long value) {
        header(out, type, 4);
        out.putInt((int) value);
    }

    private static void bytes(ByteBuffer out, int type, byte[] value) {
        header(out, type, value.length);
        out.put(value);
    }
}

package org.opentrunk.testing;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A HEPv3 packet as a collector reads it, decoded independently of OpenTrunk's encoder: the
 * generic chunks by type. Throws {@link IllegalArgumentException} for anything that is not HEPv3.
 */
public record HepPacket(Map<Integer, byte[]> chunks) {

    public static HepPacket decode(byte[] packet, int length) {
        ByteBuffer in = ByteBuffer.wrap(packet, 0, length);
        byte[] magic = new byte[4];
        in.get(magic);
        if (!"HEP3".equals(new String(magic, StandardCharsets.US_ASCII))) {
            throw new IllegalArgumentException("not HEP3: " + new String(magic, StandardCharsets.ISO_8859_1));
        }
        int total = Short.toUnsignedInt(in.getShort());
        if (total != length) {
            throw new IllegalArgumentException("length field " + total + ", datagram " + length);
        }
        Map<Integer, byte[]> chunks = new LinkedHashMap<>();
        while (in.position() < length) {
            int vendor = Short.toUnsignedInt(in.getShort());
            int type = Short.toUnsignedInt(in.getShort());
            int chunkLength = Short.toUnsignedInt(in.getShort());
            if (vendor != 0 || chunkLength < 6 || in.position() + chunkLength - 6 > length) {
                throw new IllegalArgumentException("bad chunk: vendor " + vendor + ", type " + type + ", length " + chunkLength);
            }
            byte[] value = new byte[chunkLength - 6];
            in.get(value);
            chunks.put(type, value);
        }
        return new HepPacket(chunks);
    }

    public int uint(int type) {
        byte[] v = require(type);
        long n = 0;
        for (byte b : v) {
            n = (n << 8) | (b & 0xff);
        }
        return (int) n;
    }

    public long uint32(int type) {
        return Integer.toUnsignedLong(uint(type));
    }

    public String text(int type) {
        return new String(require(type), StandardCharsets.UTF_8);
    }

    public InetAddress address(int type) {
        try {
            return InetAddress.getByAddress(require(type));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public boolean has(int type) {
        return chunks.containsKey(type);
    }

    private byte[] require(int type) {
        byte[] v = chunks.get(type);
        if (v == null) {
            throw new IllegalArgumentException("no chunk of type " + type + " in " + chunks.keySet());
        }
        return v;
    }

    /** Source IPv4 address and port, destination likewise, as "a:p > b:q". */
    public String route() {
        return address(3).getHostAddress() + ":" + uint(7) + " > " + address(4).getHostAddress() + ":" + uint(8);
    }

    /** The SIP message's first line. */
    public String firstLine() {
        String payload = text(15);
        int end = payload.indexOf("\r\n");
        return end < 0 ? payload : payload.substring(0, end);
    }
}

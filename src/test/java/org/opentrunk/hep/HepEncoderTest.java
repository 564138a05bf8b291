package org.opentrunk.hep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentrunk.core.settings.InvalidSettingException;
import org.opentrunk.testing.HepPacket;

/** The HEPv3 packet byte by byte (issue 26), the settings, and the export's bounds. */
class HepEncoderTest {

    private static final String SIP = "INVITE sip:+4930123@192.0.2.7 SIP/2.0\r\nCall-ID: abc@x\r\n\r\n";

    private static HepMessage message(String source, int sourcePort, String destination, int destinationPort, boolean tcp)
            throws Exception {
        return new HepMessage(InetAddress.getByName(source), sourcePort, InetAddress.getByName(destination), destinationPort,
                tcp, 1_765_000_000_123_456L, "abc@x", SIP);
    }

    @Test
    void ipv4PacketChunkByChunk() throws Exception {
        byte[] packet = HepEncoder.encode(message("192.0.2.1", 5060, "198.51.100.2", 5080, false), 2001, null);
        ByteBuffer in = ByteBuffer.wrap(packet);
        byte[] magic = new byte[4];
        in.get(magic);
        assertArrayEquals("HEP3".getBytes(StandardCharsets.US_ASCII), magic);
        assertEquals(packet.length, Short.toUnsignedInt(in.getShort()), "total length, header included");

        expectChunk(in, 1, new byte[] {2});                                       // AF_INET
        expectChunk(in, 2, new byte[] {17});                                      // UDP
        expectChunk(in, 3, new byte[] {(byte) 192, 0, 2, 1});
        expectChunk(in, 4, new byte[] {(byte) 198, 51, 100, 2});
        expectChunk(in, 7, new byte[] {0x13, (byte) 0xc4});                       // 5060
        expectChunk(in, 8, new byte[] {0x13, (byte) 0xd8});                       // 5080
        expectChunk(in, 9, ByteBuffer.allocate(4).putInt(1_765_000_000).array());  // seconds
        expectChunk(in, 10, ByteBuffer.allocate(4).putInt(123_456).array());       // microseconds
        expectChunk(in, 11, new byte[] {1});                                      // SIP
        expectChunk(in, 12, new byte[] {0, 0, 0x07, (byte) 0xd1});                // capture id 2001
        expectChunk(in, 15, SIP.getBytes(StandardCharsets.UTF_8));
        expectChunk(in, 17, "abc@x".getBytes(StandardCharsets.UTF_8));            // correlation id = Call-ID
        assertFalse(in.hasRemaining(), "no chunk after the correlation id");
    }

    @Test
    void ipv6TcpWithKeyAndALargeCaptureId() throws Exception {
        byte[] packet = HepEncoder.encode(message("2001:db8::1", 5061, "2001:db8::2", 40000, true), 0xFFFF_FFF0, "s3cret");
        HepPacket hep = HepPacket.decode(packet, packet.length);
        assertEquals(10, hep.uint(1), "AF_INET6");
        assertEquals(6, hep.uint(2), "TCP");
        assertEquals(InetAddress.getByName("2001:db8::1"), hep.address(5));
        assertEquals(InetAddress.getByName("2001:db8::2"), hep.address(6));
        assertFalse(hep.has(3) || hep.has(4), "no IPv4 chunks in an IPv6 packet");
        assertEquals(40000, hep.uint(8));
        assertEquals(0xFFFF_FFF0L, hep.uint32(12), "capture ids are unsigned 32-bit");
        assertEquals("s3cret", hep.text(14));
        assertEquals(SIP, hep.text(15));
    }

    @Test
    void mixedFamiliesAreSentAsIpv6WithTheIpv4AddressMapped() throws Exception {
        byte[] packet = HepEncoder.encode(message("192.0.2.1", 5060, "2001:db8::2", 5060, false), 1, null);
        HepPacket hep = HepPacket.decode(packet, packet.length);
        assertEquals(10, hep.uint(1));
        assertEquals(InetAddress.getByName("::ffff:192.0.2.1"), hep.address(5));
    }

    @Test
    void unknownAddressesAreTheUnspecifiedAddress() throws Exception {
        byte[] packet = HepEncoder.encode(new HepMessage(null, 0, InetAddress.getByName("192.0.2.9"), 5060, false, 0, null, SIP), 1, null);
        HepPacket hep = HepPacket.decode(packet, packet.length);
        assertEquals(InetAddress.getByName("0.0.0.0"), hep.address(3));
        assertEquals(0, hep.uint(7));
        assertFalse(hep.has(17), "no correlation chunk without a Call-ID");
    }

    @Test
    void aMessageOverOneDatagramIsRefused() throws Exception {
        HepMessage huge = new HepMessage(null, 0, null, 0, false, 0, "c", "x".repeat(HepEncoder.MAX_PACKET));
        assertThrows(HepEncoder.TooLargeException.class, () -> HepEncoder.encode(huge, 1, null));
    }

    @Test
    void settingsNameTheBadValue() {
        assertFalse(HepSettings.from(Map.<String, String>of()::get).enabled());
        HepSettings ok = HepSettings.from(Map.of("OT_HEP_ADDRESS", "127.0.0.1:9060", "OT_HEP_ID", "77")::get);
        assertEquals(new InetSocketAddress("127.0.0.1", 9060), ok.collector());
        assertEquals(77, ok.captureId());
        assertEquals(9060, HepSettings.from(Map.of("OT_HEP_ADDRESS", "[::1]:9060")::get).collector().getPort());
        for (String bad : new String[] {"127.0.0.1", "127.0.0.1:", ":9060", "127.0.0.1:0", "127.0.0.1:70000",
                                        "::1:9060", "127.0.0.1:x", "no-such-host.invalid:9060"}) {
            InvalidSettingException e = assertThrows(InvalidSettingException.class,
                    () -> HepSettings.from(Map.of("OT_HEP_ADDRESS", bad)::get), bad);
            assertTrue(e.getMessage().startsWith("OT_HEP_ADDRESS=" + bad), e.getMessage());
        }
        InvalidSettingException id = assertThrows(InvalidSettingException.class,
                () -> HepSettings.from(Map.of("OT_HEP_ADDRESS", "127.0.0.1:9060", "OT_HEP_ID", "-1")::get));
        assertTrue(id.getMessage().startsWith("OT_HEP_ID=-1"), id.getMessage());
    }

    @Test
    void theExportSendsOverUdpAndDropsRatherThanWaitWhenItsQueueIsFull() throws Exception {
        try (DatagramSocket collector = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            collector.setSoTimeout(5_000);
            HepSettings settings = new HepSettings(new InetSocketAddress(InetAddress.getLoopbackAddress(), collector.getLocalPort()), 9, null);
            // a sender thread that is never started: the queue fills, offer() must drop, not wait
            HepExport stalled = HepExport.start(settings, r -> new Thread(() -> { }));
            long started = System.nanoTime();
            for (int i = 0; i < HepExport.QUEUE_MESSAGES + 100; i++) {
                stalled.offer(message("192.0.2.1", 5060, "192.0.2.2", 5060, false));
            }
            assertTrue(System.nanoTime() - started < 2_000_000_000L, "offers never wait");
            assertEquals(100, stalled.counters().dropped(), "what the queue cannot hold is dropped and counted");
            stalled.close();

            HepMessage big = new HepMessage(null, 0, null, 0, false, 0, "c", "y".repeat(60_000));
            HepExport byBytes = HepExport.start(settings, r -> new Thread(() -> { }));
            int queued = 0;
            while (byBytes.offer(big)) {
                queued++;
            }
            assertEquals(HepExport.QUEUE_BYTES / 60_000, queued, "the queue is bounded in bytes too");
            byBytes.close();

            try (HepExport export = HepExport.start(settings, Thread::new)) {
                assertTrue(export.offer(message("192.0.2.1", 5060, "192.0.2.2", 5080, false)));
                byte[] buffer = new byte[65_535];
                DatagramPacket received = new DatagramPacket(buffer, buffer.length);
                collector.receive(received);
                HepPacket hep = HepPacket.decode(buffer, received.getLength());
                assertEquals("192.0.2.1:5060 > 192.0.2.2:5080", hep.route());
                assertEquals(9, hep.uint(12));
                assertEquals("abc@x", hep.text(17));
            }
        }
    }

    private static void expectChunk(ByteBuffer in, int type, byte[] value) {
        assertEquals(0, in.getShort(), "vendor of chunk " + type);
        assertEquals(type, in.getShort(), "chunk type");
        assertEquals(6 + value.length, in.getShort(), "length of chunk " + type + " counts its header");
        byte[] actual = new byte[value.length];
        in.get(actual);
        assertArrayEquals(value, actual, "value of chunk " + type);
    }
}

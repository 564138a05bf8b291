package org.opentrunk.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** IC-DTMF: RFC 4733 payloads and the RTP headers around them. */
@Tag("IC-DTMF")
class TelephoneEventTest {

    @Test
    void readsEventEndBitVolumeAndDuration() {
        ByteBuffer packet = ByteBuffer.wrap(RtpPackets.event(101, 7, 16000, 0x1234, 11, true, 1280));
        assertTrue(RtpHeader.isRtp(packet, 0, packet.limit()));
        assertEquals(101, RtpHeader.payloadType(packet, 0));
        assertEquals(7, RtpHeader.sequenceNumber(packet, 0));
        assertEquals(16000, RtpHeader.timestamp(packet, 0));
        assertEquals(0x1234, RtpHeader.ssrc(packet, 0));
        int payload = RtpHeader.payloadOffset(packet, 0, packet.limit());
        assertEquals(12, payload);
        assertEquals(Optional.of(new TelephoneEvent(11, true, 10, 1280)),
                TelephoneEvent.read(packet, payload, RtpHeader.payloadLength(packet, 0, packet.limit(), payload)));
        assertEquals(Optional.of('#'), new TelephoneEvent(11, true, 10, 1280).digit());
    }

    @Test
    void mapsTheSixteenDtmfEventsAndNothingElse() {
        StringBuilder digits = new StringBuilder();
        for (int event = 0; event <= 15; event++) {
            digits.append(TelephoneEvent.digitOf(event));
        }
        assertEquals("0123456789*#ABCD", digits.toString());
        assertEquals(0, TelephoneEvent.digitOf(16)); // flash
        assertEquals(Optional.empty(), new TelephoneEvent(16, true, 0, 0).digit());
    }

    @Test
    void skipsCsrcsAndHeaderExtensionAndPadding() {
        ByteBuffer packet = ByteBuffer.allocate(12 + 8 + 8 + 4 + 4);
        packet.put((byte) (0x80 | 0x20 | 0x10 | 2)).put((byte) 101).putShort((short) 1).putInt(0).putInt(1);
        packet.putInt(111).putInt(222); // two CSRCs
        packet.putShort((short) 0xBEDE).putShort((short) 1).putInt(0); // extension of one word
        packet.put((byte) 5).put((byte) 0x80).putShort((short) 400); // the event
        packet.put(new byte[] {0, 0, 0, 4}); // four bytes of padding
        int length = packet.position();
        int payload = RtpHeader.payloadOffset(packet, 0, length);
        assertEquals(28, payload);
        assertEquals(4, RtpHeader.payloadLength(packet, 0, length, payload));
        assertEquals(5, TelephoneEvent.event(packet, payload));
        assertTrue(TelephoneEvent.isEnd(packet, payload));
        assertEquals(400, TelephoneEvent.duration(packet, payload));
    }

    @Test
    void refusesWhatIsNotRtpOrIsCutShort() {
        ByteBuffer rtcp = ByteBuffer.wrap(new byte[] {(byte) 0x80, (byte) 200, 0, 6, 0, 0, 0, 1, 0, 0, 0, 0});
        assertFalse(RtpHeader.isRtp(rtcp, 0, 12)); // a sender report multiplexed on the RTP port
        assertFalse(RtpHeader.isRtp(ByteBuffer.wrap(new byte[] {0x40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}), 0, 12));
        assertFalse(RtpHeader.isRtp(ByteBuffer.wrap(new byte[] {(byte) 0x80, 0}), 0, 2));
        ByteBuffer claimsCsrcs = ByteBuffer.wrap(new byte[] {(byte) 0x8F, 101, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2});
        assertEquals(-1, RtpHeader.payloadOffset(claimsCsrcs, 0, 14));
        ByteBuffer badPadding = ByteBuffer.wrap(new byte[] {(byte) 0xA0, 101, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 9});
        assertEquals(-1, RtpHeader.payloadLength(badPadding, 0, 14, 12));
        assertEquals(Optional.empty(), TelephoneEvent.read(ByteBuffer.wrap(new byte[3]), 0, 3));
    }
}

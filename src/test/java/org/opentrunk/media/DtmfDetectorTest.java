package org.opentrunk.media;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** IC-DTMF: one digit per key press, however many end packets arrive. */
@Tag("IC-DTMF")
class DtmfDetectorTest {

    private final StringBuilder digits = new StringBuilder();
    private final DtmfDetector detector = new DtmfDetector((digit, duration) -> digits.append(digit));

    private void feed(byte[] packet) {
        ByteBuffer b = ByteBuffer.wrap(packet);
        int payload = RtpHeader.payloadOffset(b, 0, packet.length);
        detector.accept(RtpHeader.ssrc(b, 0), RtpHeader.timestamp(b, 0), TelephoneEvent.event(b, payload),
                TelephoneEvent.isEnd(b, payload), TelephoneEvent.duration(b, payload));
    }

    @Test
    void reportsADigitOnceAtItsFirstEndPacket() {
        byte[][] press = RtpPackets.keyPress(1, 8000, 42, 5);
        for (int i = 0; i < 3; i++) {
            feed(press[i]);
        }
        assertEquals("", digits.toString());
        assertEquals(DtmfDetector.State.IN_EVENT, detector.state());
        feed(press[3]);
        assertEquals("5", digits.toString());
        feed(press[4]);
        feed(press[5]);
        feed(press[2]); // a late update of the finished event
        assertEquals("5", digits.toString());
        assertEquals(DtmfDetector.State.ENDED, detector.state());
    }

    @Test
    void theSameDigitTwiceIsTwoDigits() {
        for (byte[] packet : RtpPackets.keyPress(1, 8000, 42, 1)) {
            feed(packet);
        }
        for (byte[] packet : RtpPackets.keyPress(10, 9600, 42, 1)) {
            feed(packet);
        }
        assertEquals("11", digits.toString());
    }

    @Test
    void anEventWhoseEndPacketsWereLostCompletesWhenTheNextStarts() {
        byte[][] first = RtpPackets.keyPress(1, 8000, 42, 9);
        feed(first[0]);
        feed(first[1]);
        for (byte[] packet : RtpPackets.keyPress(10, 9600, 42, 10)) {
            feed(packet);
        }
        assertEquals("9*", digits.toString());
    }

    @Test
    void onlyEndPacketsStillMakeADigit() {
        byte[][] press = RtpPackets.keyPress(1, 8000, 42, 12);
        feed(press[4]);
        feed(press[5]);
        assertEquals("A", digits.toString());
    }

    @Test
    void aNewSsrcWithTheSameTimestampIsANewEvent() {
        for (byte[] packet : RtpPackets.keyPress(1, 8000, 42, 3)) {
            feed(packet);
        }
        for (byte[] packet : RtpPackets.keyPress(1, 8000, 43, 3)) {
            feed(packet);
        }
        assertEquals("33", digits.toString());
    }

    @Test
    void eventsThatAreNotDigitsAreIgnored() {
        for (byte[] packet : RtpPackets.keyPress(1, 8000, 42, 16)) {
            feed(packet);
        }
        assertEquals("", digits.toString());
    }
}

package org.opentrunk.media;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * One RFC 4733 telephone-event payload (section 2.3): event code, end bit, volume and duration,
 * four bytes at the start of the RTP payload. {@link #read} gives a record for tests and logs; the
 * static accessors read the same fields in place, for the relay path that must not allocate.
 *
 * @param event    0-255; 0-15 are the DTMF digits (RFC 4733 section 3.2)
 * @param end      the E bit: the last packets of an event (sent three times) have it
 * @param volume   0-63, power level in -dBm0
 * @param duration in RTP timestamp units (1/8000 s here), from the event's start
 */
public record TelephoneEvent(int event, boolean end, int volume, int duration) {

    /** Size of one event in the payload. */
    public static final int BYTES = 4;

    /** Highest event code that is a DTMF digit. */
    public static final int LAST_DTMF_EVENT = 15;

    private static final String DIGITS = "0123456789*#ABCD";

    /** The event at {@code payloadOffset}, or empty when fewer than {@value #BYTES} bytes remain. */
    public static Optional<TelephoneEvent> read(ByteBuffer packet, int payloadOffset, int payloadLength) {
        if (payloadLength < BYTES) {
            return Optional.empty();
        }
        return Optional.of(new TelephoneEvent(event(packet, payloadOffset), isEnd(packet, payloadOffset),
                volume(packet, payloadOffset), duration(packet, payloadOffset)));
    }

    public static int event(ByteBuffer packet, int payloadOffset) {
        return packet.get(payloadOffset) & 0xFF;
    }

    public static boolean isEnd(ByteBuffer packet, int payloadOffset) {
        return (packet.get(payloadOffset + 1) & 0x80) != 0;
    }

    public static int volume(ByteBuffer packet, int payloadOffset) {
        return packet.get(payloadOffset + 1) & 0x3F;
    }

    public static int duration(ByteBuffer packet, int payloadOffset) {
        return packet.getShort(payloadOffset + 2) & 0xFFFF;
    }

    /** The DTMF digit of an event code: {@code 0-9 * # A-D} for 0-15, 0 (no digit) for anything else. */
    public static char digitOf(int event) {
        return event >= 0 && event <= LAST_DTMF_EVENT ? DIGITS.charAt(event) : 0;
    }

    /** This event's digit, when it is a DTMF one. */
    public Optional<Character> digit() {
        char digit = digitOf(event);
        return digit == 0 ? Optional.empty() : Optional.of(digit);
    }
}

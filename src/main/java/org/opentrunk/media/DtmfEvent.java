package org.opentrunk.media;

import java.time.Duration;

/**
 * A completed DTMF digit seen in the relayed RTP (IC-DTMF).
 *
 * @param session  the call's media session
 * @param from     the leg that sent it
 * @param digit    {@code 0-9 * # A-D}, or {@link #MASKED} when digits are not kept ({@link MediaSettings#keepDigits})
 * @param duration how long the key was down
 * @param count    how many digits this leg has sent so far, this one included
 */
public record DtmfEvent(MediaSession session, Leg from, char digit, Duration duration, int count) {

    /** Stands for the digit when digits are not kept: they can be card numbers and PINs. */
    public static final char MASKED = '?';

    public boolean isMasked() {
        return digit == MASKED;
    }
}

package org.opentrunk.media;

/**
 * Turns the telephone-event packets of one direction of one call into completed DTMF digits
 * (RFC 4733 section 2.5). A sender repeats each event every few tens of milliseconds while the key
 * is down, all with the event's start timestamp, and sends the final packet, with the E bit, three
 * times; the digit is complete at the first end packet and the two copies are dropped by
 * remembering the timestamp of the last completed event. An event whose end packets are all lost
 * is completed when the next one starts. Events above 15 (flash, tones) are not digits and ignored.
 *
 * <p>Not thread-safe: one detector per leg, fed by that leg's relay thread. No allocation per packet.
 */
public final class DtmfDetector {

    /** Receives each completed digit. */
    @FunctionalInterface
    public interface DigitSink {
        /**
         * @param digit           {@code 0-9 * # A-D}
         * @param durationSamples the event's duration in RTP timestamp units
         */
        void digit(char digit, int durationSamples);
    }

    /** Where the detector is in the event stream. */
    enum State {
        /** No event seen yet. */
        IDLE,
        /** Packets of an event without the E bit have arrived; its digit is not reported yet. */
        IN_EVENT,
        /** The event with {@link #timestamp} is complete and reported; its copies are ignored. */
        ENDED
    }

    private final DigitSink sink;
    private State state = State.IDLE;
    private long ssrc;
    private long timestamp;
    private int event;
    private int duration;

    public DtmfDetector(DigitSink sink) {
        this.sink = sink;
    }

    /** One telephone-event packet: its SSRC and timestamp from the RTP header, the rest from the payload. */
    public void accept(long ssrc, long timestamp, int event, boolean end, int duration) {
        boolean sameEvent = state != State.IDLE && ssrc == this.ssrc && timestamp == this.timestamp;
        if (state == State.ENDED && sameEvent) {
            return; // a copy of an end packet, or a late packet of the finished event
        }
        if (state == State.IN_EVENT && !sameEvent) {
            complete(); // the previous event lost all its end packets
        }
        this.state = State.IN_EVENT;
        this.ssrc = ssrc;
        this.timestamp = timestamp;
        this.event = event;
        this.duration = duration;
        if (end) {
            complete();
        }
    }

    private void complete() {
        state = State.ENDED;
        char digit = TelephoneEvent.digitOf(event);
        if (digit != 0) {
            sink.digit(digit, duration);
        }
    }

    State state() {
        return state;
    }
}

package org.opentrunk.core.sdp;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * The RTP payload formats OpenTrunk carries (IC-CODEC, IC-DTMF): three voice codecs and
 * telephone-events, all at an 8000 Hz clock.
 *
 * <p>How a format is recognised ({@link #of}): by its {@code a=rtpmap} when it has one, so that a
 * dynamic payload type mapped to {@code PCMU/8000} is PCMU and a static number remapped to another
 * codec is that other codec; by the static payload type of RFC 3551 otherwise. Telephone-event has
 * no static number, so it is only ever recognised by its rtpmap, {@code telephone-event/8000},
 * whatever number it is given.
 */
public enum Codec {

    /** G.711 u-law, RFC 3551 static payload type 0. */
    PCMU("PCMU", 0, "G.711 u-law"),

    /** G.711 A-law, RFC 3551 static payload type 8. */
    PCMA("PCMA", 8, "G.711 A-law"),

    /**
     * G.729, RFC 3551 static payload type 18. Annex A is an encoder simplification with the same
     * bit stream, so "G.729a" is signalled as plain {@code G729}; Annex B (silence suppression)
     * is an {@code a=fmtp} parameter, left as the endpoints negotiate it.
     */
    G729("G729", 18, "G.729a"),

    /** RFC 4733 telephone-events (DTMF, IC-DTMF); dynamic payload type, usually 101. Not a voice codec. */
    TELEPHONE_EVENT("telephone-event", -1, "telephone-event");

    /** The RTP clock rate of every format OpenTrunk carries, in Hz. */
    public static final long CLOCK_RATE = 8000;

    private final String encodingName;
    private final int staticPayloadType;
    private final String displayName;

    Codec(String encodingName, int staticPayloadType, String displayName) {
        this.encodingName = encodingName;
        this.staticPayloadType = staticPayloadType;
        this.displayName = displayName;
    }

    /** The rtpmap encoding name: {@code PCMU}, {@code PCMA}, {@code G729}, {@code telephone-event}; also what a CDR records. */
    public String encodingName() {
        return encodingName;
    }

    /** The RFC 3551 static payload type; empty for telephone-event. */
    public OptionalInt staticPayloadType() {
        return staticPayloadType < 0 ? OptionalInt.empty() : OptionalInt.of(staticPayloadType);
    }

    /** How operators and PBX owners know it: {@code G.711 u-law (PCMU)}. */
    public String displayName() {
        return this == TELEPHONE_EVENT ? displayName : displayName + " (" + encodingName + ")";
    }

    /** True for PCMU, PCMA and G729; telephone-events carry no voice. */
    public boolean isVoice() {
        return this != TELEPHONE_EVENT;
    }

    /** The codec of {@code format} in an RTP media description, or empty for anything else (or a non-RTP stream). */
    public static Optional<Codec> of(MediaDescription media, String format) {
        if (!media.isRtp()) {
            return Optional.empty();
        }
        if (media.hasRtpMap(format)) {
            return media.rtpmap(format).flatMap(Codec::of);
        }
        for (Codec codec : values()) {
            if (codec.staticPayloadType >= 0 && format.equals(String.valueOf(codec.staticPayloadType))) {
                return Optional.of(codec);
            }
        }
        return Optional.empty();
    }

    /**
     * The codec an rtpmap names: the encoding name (ignoring case) at {@value #CLOCK_RATE} Hz,
     * mono. {@code telephone-event/48000} (offered next to Opus) is not it: its events are timed on
     * a clock none of the voice codecs here use.
     */
    public static Optional<Codec> of(RtpMap rtpmap) {
        if (rtpmap.clockRate() != CLOCK_RATE) {
            return Optional.empty();
        }
        String channels = rtpmap.encodingParameters();
        for (Codec codec : values()) {
            if (codec.encodingName.equalsIgnoreCase(rtpmap.encodingName())) {
                boolean mono = channels.isEmpty() || (codec.isVoice() && channels.equals("1"));
                return mono ? Optional.of(codec) : Optional.empty();
            }
        }
        return Optional.empty();
    }
}

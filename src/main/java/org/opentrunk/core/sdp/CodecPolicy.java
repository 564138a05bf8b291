package org.opentrunk.core.sdp;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The codec policy (IC-CODEC, IC-DTMF): OpenTrunk carries G.711 u-law, G.711 A-law, G.729a and
 * RFC 4733 telephone-events, nothing else, and refuses with 488 an offer that has none of the
 * three voice codecs.
 *
 * <p>Offers and answers are edited, never rebuilt: formats OpenTrunk does not carry leave the
 * format list of each audio {@code m=} line together with their {@code a=rtpmap}, {@code a=fmtp}
 * and {@code a=rtcp-fb} lines; every other line, connection addresses and ports included, stays as
 * sent, so media still flows directly between the endpoints (IC-DIRECT). Streams other than audio
 * are disabled (port 0), not removed, because offer/answer pairs {@code m=} lines by position
 * (RFC 3264 sections 6 and 8); T.38 streams ({@code m=image ... udptl t38}) are left to
 * {@link T38Policy}.
 *
 * <p>A T.38 re-offer (IC-FAX) has no voice codec and would be refused here: the SIP code sends a
 * description for which {@link T38Policy#isT38Offer} holds through {@link T38Policy#enforce}
 * instead.
 */
public final class CodecPolicy {

    /** 488 Not Acceptable Here: the status for an offer without a codec OpenTrunk carries. */
    public static final int NOT_ACCEPTABLE_HERE = 488;

    /**
     * Warn-code 305 Incompatible media format (RFC 3261 section 20.43): the offer has a media type
     * OpenTrunk takes (audio) but none of its formats; 304 "Media type not available" would say
     * that audio itself is refused.
     */
    public static final int INCOMPATIBLE_MEDIA_FORMAT = 305;

    /** The payload type OpenTrunk uses for telephone-events when it chooses one (IC-DTMF). */
    public static final int DEFAULT_TELEPHONE_EVENT_PAYLOAD_TYPE = 101;

    /** Everything OpenTrunk carries. */
    public static final Set<Codec> ALLOWED = EnumSet.allOf(Codec.class);

    /** Most offered codec names quoted in a warning text. */
    static final int MAX_CODECS_IN_WARNING = 6;

    /** The voice codecs as PBX owners are told: {@code G.711 u-law (PCMU), G.711 A-law (PCMA) or G.729a (G729)}. */
    static final String VOICE_CODECS = "G.711 u-law (PCMU), G.711 A-law (PCMA) or G.729a (G729)";

    /** RFC 3551 static audio payload types, to name removed formats that have no rtpmap. */
    private static final Map<String, String> STATIC_AUDIO = Map.ofEntries(
            Map.entry("0", "PCMU/8000"), Map.entry("3", "GSM/8000"), Map.entry("4", "G723/8000"),
            Map.entry("5", "DVI4/8000"), Map.entry("6", "DVI4/16000"), Map.entry("7", "LPC/8000"),
            Map.entry("8", "PCMA/8000"), Map.entry("9", "G722/8000"), Map.entry("10", "L16/44100/2"),
            Map.entry("11", "L16/44100"), Map.entry("12", "QCELP/8000"), Map.entry("13", "CN/8000"),
            Map.entry("14", "MPA/90000"), Map.entry("15", "G728/8000"), Map.entry("16", "DVI4/11025"),
            Map.entry("17", "DVI4/22050"), Map.entry("18", "G729/8000"));

    /** How the policy treats a media description. */
    enum StreamKind {
        /** {@code m=audio} over RTP: filtered by codec. */
        AUDIO,
        /** {@code m=image <port> udptl t38}: passed as is, see {@link T38Policy}. */
        T38,
        /** Anything else (video, text, application, audio over another transport): disabled. */
        OTHER;

        static StreamKind of(MediaDescription m) {
            if (m.isAudio() && m.isRtp()) {
                return AUDIO;
            }
            return T38Policy.isT38Stream(m) ? T38 : OTHER;
        }
    }

    private CodecPolicy() {
    }

    /**
     * Filters an offer (from a customer or a carrier) before it is sent to the other side.
     * Each audio stream keeps only PCMU, PCMA, G729 and telephone-event/8000, in the offerer's
     * order; an audio stream left with no voice codec is disabled (port 0, one format kept, since
     * an {@code m=} line needs one). Active non-audio streams other than T.38 are disabled the
     * same way. Streams the offerer already disabled are filtered but not otherwise touched.
     *
     * @return {@link FilterResult.Filtered}, or {@link FilterResult.Rejected} (488, warn-code 305)
     *         when no active audio stream keeps a voice codec; telephone-events alone do not count
     */
    public static FilterResult filterOffer(SessionDescription offer) {
        SessionDescription filtered = offer;
        List<String> removed = new ArrayList<>();
        List<String> disabled = new ArrayList<>();
        Set<String> offeredAudio = new LinkedHashSet<>();
        boolean anyAudio = false;
        boolean voice = false;
        for (int i = 0; i < offer.media().size(); i++) {
            MediaDescription m = offer.media().get(i);
            MediaDescription result = m;
            switch (StreamKind.of(m)) {
                case AUDIO -> {
                    anyAudio = true;
                    m.formats().forEach(format -> offeredAudio.add(encoding(m, format)));
                    List<String> keep = new ArrayList<>();
                    boolean streamVoice = false;
                    for (String format : m.formats()) {
                        Optional<Codec> codec = Codec.of(m, format);
                        if (codec.isPresent()) {
                            keep.add(format);
                            streamVoice |= codec.get().isVoice();
                        } else {
                            removed.add(describe(m, format));
                        }
                    }
                    result = m.retainFormats(keep.isEmpty() ? m.formats().subList(0, 1) : keep);
                    if (m.isActive() && !streamVoice) {
                        result = result.withPort(0);
                        disabled.add(describeStream(m, i));
                    }
                    voice |= result.isActive();
                }
                case T38 -> {
                }
                case OTHER -> {
                    if (m.isActive()) {
                        result = disable(m);
                        disabled.add(describeStream(m, i));
                    }
                }
            }
            filtered = filtered.withMedia(i, result);
        }
        if (!voice) {
            return new FilterResult.Rejected(NOT_ACCEPTABLE_HERE, INCOMPATIBLE_MEDIA_FORMAT, anyAudio
                    ? "Incompatible media format: no " + VOICE_CODECS + " on an active audio stream; offered "
                            + listed(offeredAudio)
                    : "Incompatible media format: no audio stream offered; OpenTrunk carries voice as "
                            + VOICE_CODECS);
        }
        return new FilterResult.Filtered(filtered, removed, disabled);
    }

    /**
     * Checks the answer to an offer OpenTrunk sent (RFC 3264 section 6) before it is passed back.
     * The answer must have the offer's {@code m=} lines in the same order and media types. On each
     * accepted audio stream it may use only codecs OpenTrunk carries that the offer had on that
     * stream (matched by codec, not by payload type number, which an answerer may change); other
     * formats are removed as in {@link #filterOffer}. A stream the offer had disabled, or of a kind
     * OpenTrunk does not carry, is disabled in the answer if the answerer accepted it anyway.
     *
     * <p>Like a T.38 re-offer, the answer to one has no voice stream and is not checked here.
     *
     * @param offerSent the offer as OpenTrunk sent it, i.e. after {@link #filterOffer}
     * @return {@link FilterResult.Filtered}, or {@link FilterResult.Rejected} when the answer does
     *         not match the offer's streams, when an accepted audio stream is left with no voice
     *         codec, or when no audio stream is accepted; the call then cannot go on
     */
    public static FilterResult checkAnswer(SessionDescription offerSent, SessionDescription answer) {
        int count = offerSent.media().size();
        if (answer.media().size() != count) {
            return answerRejected("the answer has " + answer.media().size() + " m-lines where the offer had " + count);
        }
        SessionDescription checked = answer;
        List<String> removed = new ArrayList<>();
        List<String> disabled = new ArrayList<>();
        boolean voice = false;
        for (int i = 0; i < count; i++) {
            MediaDescription offered = offerSent.media().get(i);
            MediaDescription a = answer.media().get(i);
            if (!a.media().equalsIgnoreCase(offered.media())) {
                return answerRejected("m-line " + (i + 1) + " of the answer is " + SdpText.name(a.media())
                        + " where the offer had " + SdpText.name(offered.media()));
            }
            if (!a.isActive()) {
                continue;
            }
            StreamKind kind = StreamKind.of(a);
            if (!offered.isActive() || kind != StreamKind.of(offered) || kind == StreamKind.OTHER) {
                checked = checked.withMedia(i, disable(a));
                disabled.add(describeStream(a, i));
                continue;
            }
            if (kind == StreamKind.AUDIO) {
                Set<Codec> offeredCodecs = EnumSet.noneOf(Codec.class);
                offered.formats().forEach(format -> Codec.of(offered, format).ifPresent(offeredCodecs::add));
                List<String> keep = new ArrayList<>();
                Set<String> answered = new LinkedHashSet<>();
                boolean streamVoice = false;
                for (String format : a.formats()) {
                    answered.add(encoding(a, format));
                    Optional<Codec> codec = Codec.of(a, format).filter(offeredCodecs::contains);
                    if (codec.isPresent()) {
                        keep.add(format);
                        streamVoice |= codec.get().isVoice();
                    } else {
                        removed.add(describe(a, format));
                    }
                }
                if (!streamVoice) {
                    return answerRejected("the answer accepts audio on m-line " + (i + 1) + " without any offered "
                            + VOICE_CODECS + "; answered " + listed(answered));
                }
                checked = checked.withMedia(i, a.retainFormats(keep));
                voice = true;
            }
        }
        if (!voice) {
            return answerRejected("the answer accepts no audio stream");
        }
        return new FilterResult.Filtered(checked, removed, disabled);
    }

    private static FilterResult.Rejected answerRejected(String why) {
        return new FilterResult.Rejected(NOT_ACCEPTABLE_HERE, INCOMPATIBLE_MEDIA_FORMAT,
                "Incompatible media format: " + why);
    }

    /**
     * The voice codec of a call, for its CDR (IC-CDR): the first voice codec OpenTrunk carries on
     * the first active audio stream of the answer that has one, or empty when there is none.
     */
    public static Optional<Codec> negotiatedCodec(SessionDescription answer) {
        for (MediaDescription m : activeAudio(answer)) {
            for (String format : m.formats()) {
                Optional<Codec> codec = Codec.of(m, format).filter(Codec::isVoice);
                if (codec.isPresent()) {
                    return codec;
                }
            }
        }
        return Optional.empty();
    }

    /** True when an active audio stream has telephone-events ({@code telephone-event/8000}), IC-DTMF. */
    public static boolean hasTelephoneEvent(SessionDescription sdp) {
        return telephoneEventFormat(sdp).isPresent();
    }

    /**
     * The payload type of the telephone-events on the first active audio stream that has them
     * (IC-DTMF): usually {@value #DEFAULT_TELEPHONE_EVENT_PAYLOAD_TYPE}, but whatever the sender
     * chose. Empty when there are none, or their format is not an RTP payload type number.
     */
    public static OptionalInt telephoneEventPayloadType(SessionDescription sdp) {
        Optional<String> format = telephoneEventFormat(sdp);
        if (format.isPresent() && SdpText.isDigits(format.get()) && format.get().length() <= 3) {
            int pt = Integer.parseInt(format.get());
            if (pt <= 127) {
                return OptionalInt.of(pt);
            }
        }
        return OptionalInt.empty();
    }

    private static Optional<String> telephoneEventFormat(SessionDescription sdp) {
        for (MediaDescription m : activeAudio(sdp)) {
            for (String format : m.formats()) {
                if (Codec.of(m, format).filter(c -> c == Codec.TELEPHONE_EVENT).isPresent()) {
                    return Optional.of(format);
                }
            }
        }
        return Optional.empty();
    }

    static List<MediaDescription> activeAudio(SessionDescription sdp) {
        return sdp.media().stream().filter(m -> m.isActive() && StreamKind.of(m) == StreamKind.AUDIO).toList();
    }

    /** Port 0 and the first format only (RFC 3264 section 6: a disabled stream still lists one). */
    private static MediaDescription disable(MediaDescription m) {
        return m.retainFormats(m.formats().subList(0, 1)).withPort(0);
    }

    /** {@code opus/48000/2}, {@code G722/8000} (static, no rtpmap), or {@code PT 34}; sanitised. */
    private static String encoding(MediaDescription m, String format) {
        if (m.hasRtpMap(format)) {
            return m.rtpmap(format).map(rtpmap -> SdpText.name(rtpmap.encoding()))
                    .orElse("PT " + SdpText.name(format));
        }
        String known = m.isRtp() ? STATIC_AUDIO.get(format) : null;
        return known != null ? known : "PT " + SdpText.name(format);
    }

    /** {@code opus/48000/2 (PT 111)}, or {@code PT 34} when nothing more is known. */
    private static String describe(MediaDescription m, String format) {
        String encoding = encoding(m, format);
        return encoding.startsWith("PT ") ? encoding : encoding + " (PT " + SdpText.name(format) + ")";
    }

    private static String describeStream(MediaDescription m, int index) {
        return SdpText.name(m.media().toLowerCase(Locale.ROOT)) + " (m-line " + (index + 1) + ")";
    }

    private static String listed(Set<String> names) {
        String list = names.stream().limit(MAX_CODECS_IN_WARNING).collect(Collectors.joining(", "));
        return names.size() > MAX_CODECS_IN_WARNING ? list + " ..." : list;
    }
}

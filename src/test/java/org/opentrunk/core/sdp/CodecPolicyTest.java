package org.opentrunk.core.sdp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentrunk.core.sdp.Samples.crlf;
import static org.opentrunk.core.sdp.Samples.sdp;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** IC-CODEC, IC-DTMF and IC-DIRECT: what OpenTrunk passes between customer and carrier, and what it refuses with 488. */
@Tag("IC-CODEC")
class CodecPolicyTest {

    private static FilterResult.Filtered filtered(FilterResult result) {
        return assertInstanceOf(FilterResult.Filtered.class, result, result::toString);
    }

    private static FilterResult.Rejected rejected(FilterResult result) {
        return assertInstanceOf(FilterResult.Rejected.class, result, result::toString);
    }

    private static FilterResult.Filtered offer(String text) {
        return filtered(CodecPolicy.filterOffer(sdp(text)));
    }

    private static String header(String text) {
        return """
                v=0
                o=- 1 1 IN IP4 192.0.2.1
                s=-
                c=IN IP4 192.0.2.1
                t=0 0
                """ + text;
    }

    // --- offers --------------------------------------------------------------------------------

    @Test
    @Tag("IC-DTMF")
    void anAsteriskOfferKeepsG711AndTelephoneEventsAndLosesG722AndOpus() {
        FilterResult.Filtered result = offer(Samples.ASTERISK_OFFER);
        assertEquals(crlf("""
                v=0
                o=- 1913278104 1913278104 IN IP4 192.0.2.10
                s=Asterisk
                c=IN IP4 192.0.2.10
                t=0 0
                m=audio 10954 RTP/AVP 0 8 101
                a=rtpmap:0 PCMU/8000
                a=rtpmap:8 PCMA/8000
                a=rtpmap:101 telephone-event/8000
                a=fmtp:101 0-16
                a=ptime:20
                a=maxptime:150
                a=sendrecv
                """), result.sdp().toString());
        assertEquals(List.of("G722/8000 (PT 9)", "opus/48000/2 (PT 111)"), result.removedCodecs());
        assertEquals(List.of(), result.disabledStreams());
        assertTrue(result.changed());
    }

    @Test
    void pcmuOpusAndTelephoneEventLoseOpusWithItsRtpmapFmtpAndRtcpFb() {
        FilterResult.Filtered result = offer(header("""
                m=audio 5000 RTP/AVP 111 0 101
                a=rtpmap:111 opus/48000/2
                a=fmtp:111 minptime=10;useinbandfec=1
                a=rtcp-fb:111 transport-cc
                a=rtcp-fb:* nack
                a=rtpmap:0 PCMU/8000
                a=rtpmap:101 telephone-event/8000
                a=fmtp:101 0-15
                a=rtcp:5001
                a=ptime:20
                a=sendonly
                """));
        assertEquals(crlf(header("""
                m=audio 5000 RTP/AVP 0 101
                a=rtcp-fb:* nack
                a=rtpmap:0 PCMU/8000
                a=rtpmap:101 telephone-event/8000
                a=fmtp:101 0-15
                a=rtcp:5001
                a=ptime:20
                a=sendonly
                """)), result.sdp().toString());
        assertEquals(List.of("opus/48000/2 (PT 111)"), result.removedCodecs());
    }

    @Test
    void aFreeswitchOfferLosesWidebandCodecsComfortNoiseAnd48kHzEventsAndItsVideoIsDisabledNotRemoved() {
        FilterResult.Filtered result = offer(Samples.FREESWITCH_OFFER);
        SessionDescription s = result.sdp();
        assertEquals(2, s.media().size(), "m-lines keep their count and order (RFC 3264 section 8)");

        MediaDescription audio = s.media().get(0);
        assertEquals("m=audio 24680 RTP/AVP 0 8 18 101", audio.mediaLine().toString());
        assertEquals(List.of("a=rtpmap:0 PCMU/8000", "a=rtpmap:8 PCMA/8000", "a=rtpmap:18 G729/8000",
                "a=fmtp:18 annexb=no", "a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-15", "a=ptime:20",
                "a=sendrecv", "a=rtcp:24681 IN IP4 198.51.100.20"),
                audio.lines().stream().map(SdpLine::toString).toList());

        MediaDescription video = s.media().get(1);
        assertEquals("m=video 0 RTP/AVP 96", video.mediaLine().toString());
        assertEquals(List.of("b=AS:1024", "a=rtpmap:96 H264/90000",
                "a=fmtp:96 profile-level-id=42e01f;packetization-mode=1", "a=rtcp-fb:96 nack", "a=rtcp-fb:96 nack pli",
                "a=sendrecv"), video.lines().stream().map(SdpLine::toString).toList());

        assertEquals(List.of("opus/48000/2 (PT 102)", "G722/8000 (PT 9)", "telephone-event/48000 (PT 103)",
                "CN/8000 (PT 13)"), result.removedCodecs());
        assertEquals(List.of("video (m-line 2)"), result.disabledStreams());
    }

    @Test
    void aG722OnlyOfferIsRefusedWith488AndAWarning() {
        FilterResult.Rejected r = rejected(CodecPolicy.filterOffer(sdp(Samples.G722_ONLY_OFFER)));
        assertEquals(488, r.sipStatus());
        assertEquals("Not Acceptable Here", r.reasonPhrase());
        assertEquals(305, r.warnCode());
        assertEquals("305 trunk.example.net \"Incompatible media format: no G.711 u-law (PCMU), G.711 A-law (PCMA)"
                + " or G.729a (G729) on an active audio stream; offered G722/8000, telephone-event/8000\"",
                r.warningHeaderValue("trunk.example.net"));
        assertThrows(IllegalArgumentException.class, () -> r.warningHeaderValue("bad host"));
        assertThrows(IllegalArgumentException.class, () -> r.warningHeaderValue(""));
    }

    @Test
    void telephoneEventsAloneAreNotAVoiceCodec() {
        rejected(CodecPolicy.filterOffer(sdp(header("""
                m=audio 5000 RTP/AVP 101
                a=rtpmap:101 telephone-event/8000
                """))));
    }

    @Test
    void anOfferWithoutAudioIsRefused() {
        FilterResult.Rejected r = rejected(CodecPolicy.filterOffer(sdp(header("""
                m=video 5002 RTP/AVP 96
                a=rtpmap:96 H264/90000
                """))));
        assertTrue(r.warnText().contains("no audio stream"), r::warnText);
    }

    @Test
    void anOfferWhoseOnlyAudioStreamIsDisabledIsRefused() {
        rejected(CodecPolicy.filterOffer(sdp(header("m=audio 0 RTP/AVP 0\n"))));
    }

    @Test
    void theOfferedCodecNamesInAWarningCannotBreakTheHeader() {
        FilterResult.Rejected r = rejected(CodecPolicy.filterOffer(sdp(header("""
                m=audio 5000 RTP/AVP 96 97 98 99 100 102 103
                a=rtpmap:96 evil"\\codec/8000
                """))));
        assertFalse(r.warnText().contains("\""));
        assertFalse(r.warnText().contains("\\"));
        assertTrue(r.warnText().endsWith(" ..."), r::warnText);
        assertThrows(IllegalArgumentException.class, () -> new FilterResult.Rejected(488, 305, "a \"quote\""));
    }

    @Test
    void aDynamicPayloadTypeMappedToPcmuIsPcmu() {
        String text = header("""
                m=audio 5000 RTP/AVP 96 97
                a=rtpmap:96 pcmu/8000
                a=rtpmap:97 telephone-event/8000
                """);
        FilterResult.Filtered result = offer(text);
        assertEquals(sdp(text), result.sdp());
        assertFalse(result.changed());
        assertEquals(Optional.of(Codec.PCMU), CodecPolicy.negotiatedCodec(result.sdp()));
        assertEquals(OptionalInt.of(97), CodecPolicy.telephoneEventPayloadType(result.sdp()));
    }

    @Test
    void aStaticPayloadTypeIsJudgedByItsRtpmapWhenItHasOne() {
        FilterResult.Filtered result = offer(header("""
                m=audio 5000 RTP/AVP 0 8 18
                a=rtpmap:0 G722/8000
                a=rtpmap:18 G729/16000
                """));
        assertEquals("m=audio 5000 RTP/AVP 8", result.sdp().media().get(0).mediaLine().toString());
        assertEquals(List.of("G722/8000 (PT 0)", "G729/16000 (PT 18)"), result.removedCodecs());
    }

    @Test
    void staticPayloadTypesWithoutRtpmapAreRecognisedByNumber() {
        FilterResult.Filtered result = offer(header("m=audio 5000 RTP/AVP 18 3 0 8 13 101\n"));
        assertEquals("m=audio 5000 RTP/AVP 18 0 8", result.sdp().media().get(0).mediaLine().toString());
        assertEquals(List.of("GSM/8000 (PT 3)", "CN/8000 (PT 13)", "PT 101"), result.removedCodecs(),
                "a dynamic payload type without rtpmap means nothing");
    }

    @Test
    void stereoOrUnreadableMappingsAreNotTheCodec() {
        FilterResult.Filtered result = offer(header("""
                m=audio 5000 RTP/AVP 96 97 98 0
                a=rtpmap:96 PCMU/8000/2
                a=rtpmap:97 PCMA
                a=rtpmap:98 telephone-event/8000/1
                """));
        assertEquals(List.of("0"), result.sdp().media().get(0).formats());
        assertEquals(List.of("PCMU/8000/2 (PT 96)", "PT 97", "telephone-event/8000/1 (PT 98)"),
                result.removedCodecs());
    }

    @Test
    @Tag("IC-SRTP")
    void srtpAudioIsFilteredLikeRtp() {
        FilterResult.Filtered result = offer(header("""
                m=audio 5000 RTP/SAVP 9 0
                a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz
                """));
        assertEquals("m=audio 5000 RTP/SAVP 0", result.sdp().media().get(0).mediaLine().toString());
        assertTrue(result.sdp().toString().contains("a=crypto:1 AES_CM_128_HMAC_SHA1_80"));
    }

    @Test
    void aSecondAudioStreamWithoutVoiceIsDisabledWhileTheFirstCarriesTheCall() {
        FilterResult.Filtered result = offer(header("""
                m=audio 5000 RTP/AVP 0
                m=audio 5002 RTP/AVP 9 101
                a=rtpmap:101 telephone-event/8000
                """));
        assertEquals("m=audio 5000 RTP/AVP 0", result.sdp().media().get(0).mediaLine().toString());
        assertEquals("m=audio 0 RTP/AVP 101", result.sdp().media().get(1).mediaLine().toString());
        assertEquals(List.of("audio (m-line 2)"), result.disabledStreams());
    }

    @Test
    void otherMediaAreDisabledButT38IsLeftForT38Policy() {
        FilterResult.Filtered result = offer(header("""
                m=audio 5000 RTP/AVP 0
                m=image 5004 udptl t38
                a=T38FaxVersion:0
                m=text 5006 RTP/AVP 98 99
                a=rtpmap:98 t140/1000
                a=rtpmap:99 red/1000
                a=fmtp:99 98/98/98
                m=application 5008 TCP/BFCP *
                a=floorctrl:c-s
                m=video 0 RTP/AVP 31 34
                """));
        List<MediaDescription> media = result.sdp().media();
        assertEquals("m=image 5004 udptl t38", media.get(1).mediaLine().toString());
        assertEquals(List.of(new SdpLine('a', "T38FaxVersion:0")), media.get(1).lines());
        assertEquals("m=text 0 RTP/AVP 98", media.get(2).mediaLine().toString());
        assertEquals(List.of(new SdpLine('a', "rtpmap:98 t140/1000")), media.get(2).lines());
        assertEquals("m=application 0 TCP/BFCP *", media.get(3).mediaLine().toString());
        assertEquals("m=video 0 RTP/AVP 31 34", media.get(4).mediaLine().toString(), "already disabled: untouched");
        assertEquals(List.of("text (m-line 3)", "application (m-line 4)"), result.disabledStreams());
        assertEquals(List.of(), result.removedCodecs(), "only audio formats are codecs here");
    }

    // --- IC-DIRECT: addresses, ports and origin pass through ------------------------------------

    @Test
    @Tag("IC-DIRECT")
    void filteringNeverTouchesConnectionLinesPortsOrOrigin() {
        SessionDescription offer = sdp(Samples.FREESWITCH_OFFER.replace("m=audio 24680 RTP/AVP",
                "c=IN IP4 198.51.100.21\nm=audio 24680 RTP/AVP").replace("a=rtcp:24681",
                "c=IN IP4 198.51.100.22\na=rtcp:24681"));
        SessionDescription out = filtered(CodecPolicy.filterOffer(offer)).sdp();
        assertEquals(offer.origin(), out.origin());
        assertEquals(offer.sessionLines(), out.sessionLines());
        assertEquals(offer.media().get(0).port(), out.media().get(0).port());
        assertEquals(connections(offer), connections(out));
        assertEquals(offer.sessionVersion(), out.sessionVersion(), "OpenTrunk's first send of the offer: no bump");
    }

    private static List<SdpLine> connections(SessionDescription s) {
        return s.lines().stream().filter(line -> line.type() == 'c').toList();
    }

    @Test
    @Tag("IC-DIRECT")
    void untouchedLinesPassByteForByte() throws Exception {
        byte[] body = Samples.wire(Samples.ASTERISK_OFFER.replace("s=Asterisk", "s=Asterisk  PBX \t"));
        String out = new String(filtered(CodecPolicy.filterOffer(SessionDescription.parse(body))).sdp().toBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        List<String> in = List.of(new String(body, java.nio.charset.StandardCharsets.UTF_8).split("\r\n"));
        for (String line : out.split("\r\n")) {
            assertTrue(line.startsWith("m=") || in.contains(line), line);
        }
        assertTrue(out.contains("\r\ns=Asterisk  PBX \t\r\n"));
    }

    @Test
    @Tag("IC-DIRECT")
    void aG711OfferPassesUnchanged() {
        FilterResult.Filtered result = offer(Samples.CARRIER_ANSWER);
        assertEquals(sdp(Samples.CARRIER_ANSWER), result.sdp());
        assertArrayEquals(Samples.wire(Samples.CARRIER_ANSWER), result.sdp().toBytes());
    }

    // --- answers -------------------------------------------------------------------------------

    private static SessionDescription sentOffer() {
        return offer(Samples.FREESWITCH_OFFER).sdp();
    }

    private static String answer(String audio, String video) {
        return """
                v=0
                o=gw 4400 4401 IN IP4 198.51.100.77
                s=SBC
                c=IN IP4 198.51.100.77
                t=0 0
                """ + audio + video;
    }

    @Test
    void aGoodAnswerPassesUnchanged() {
        SessionDescription answer = sdp(answer("""
                m=audio 31000 RTP/AVP 0 101
                a=rtpmap:101 telephone-event/8000
                """, "m=video 0 RTP/AVP 96\n"));
        FilterResult.Filtered result = filtered(CodecPolicy.checkAnswer(sentOffer(), answer));
        assertEquals(answer, result.sdp());
        assertFalse(result.changed());
        assertEquals(Optional.of(Codec.PCMU), CodecPolicy.negotiatedCodec(answer));
    }

    @Test
    void aCodecTheOfferDidNotHaveIsRemovedFromTheAnswer() {
        SessionDescription answer = sdp(answer("""
                m=audio 31000 RTP/AVP 9 8 101
                a=rtpmap:9 G722/8000
                a=rtpmap:101 telephone-event/8000
                """, "m=video 0 RTP/AVP 96\n"));
        FilterResult.Filtered result = filtered(CodecPolicy.checkAnswer(sentOffer(), answer));
        assertEquals("m=audio 31000 RTP/AVP 8 101", result.sdp().media().get(0).mediaLine().toString());
        assertEquals(List.of("G722/8000 (PT 9)"), result.removedCodecs());
        assertEquals(Optional.of(Codec.PCMA), CodecPolicy.negotiatedCodec(result.sdp()));
    }

    @Test
    void anAnswerWithOnlyCodecsTheOfferDidNotHaveIsRejected() {
        SessionDescription g711Offer = sdp(Samples.ASTERISK_OFFER);
        SessionDescription sent = offer(Samples.ASTERISK_OFFER).sdp();
        String g729 = """
                v=0
                o=gw 4400 4401 IN IP4 198.51.100.77
                s=SBC
                c=IN IP4 198.51.100.77
                t=0 0
                m=audio 31000 RTP/AVP 18 101
                a=rtpmap:101 telephone-event/8000
                """;
        FilterResult.Rejected r = rejected(CodecPolicy.checkAnswer(sent, sdp(g729)));
        assertEquals(488, r.sipStatus());
        assertTrue(r.warnText().contains("answered G729/8000, telephone-event/8000"), r::warnText);
        rejected(CodecPolicy.checkAnswer(g711Offer, sdp(g729.replace(" 18 101", " 9"))));
    }

    @Test
    void anAnswerMayRenumberACodec() {
        SessionDescription answer = sdp(answer("""
                m=audio 31000 RTP/AVP 0 96
                a=rtpmap:96 telephone-event/8000
                """, "m=video 0 RTP/AVP 96\n"));
        assertFalse(filtered(CodecPolicy.checkAnswer(sentOffer(), answer)).changed());
        assertEquals(OptionalInt.of(96), CodecPolicy.telephoneEventPayloadType(answer));
    }

    @Test
    void anAnswerAcceptingTheDisabledVideoHasItDisabled() {
        SessionDescription answer = sdp(answer("m=audio 31000 RTP/AVP 0\n", """
                m=video 31002 RTP/AVP 96 97
                a=rtpmap:96 H264/90000
                a=rtpmap:97 VP8/90000
                """));
        FilterResult.Filtered result = filtered(CodecPolicy.checkAnswer(sentOffer(), answer));
        assertEquals("m=video 0 RTP/AVP 96", result.sdp().media().get(1).mediaLine().toString());
        assertEquals(List.of("video (m-line 2)"), result.disabledStreams());
        assertEquals(answer.media().get(0), result.sdp().media().get(0));
    }

    @Test
    void anAnswerThatDoesNotMatchTheOffersMLinesIsRejected() {
        rejected(CodecPolicy.checkAnswer(sentOffer(), sdp(answer("m=audio 31000 RTP/AVP 0\n", ""))));
        FilterResult.Rejected r = rejected(CodecPolicy.checkAnswer(sentOffer(),
                sdp(answer("m=audio 31000 RTP/AVP 0\n", "m=text 0 RTP/AVP 98\n"))));
        assertTrue(r.warnText().contains("m-line 2 of the answer is text where the offer had video"), r::warnText);
    }

    @Test
    void anAnswerRejectingAllAudioIsRejected() {
        FilterResult.Rejected r = rejected(CodecPolicy.checkAnswer(sentOffer(),
                sdp(answer("m=audio 0 RTP/AVP 0\n", "m=video 0 RTP/AVP 96\n"))));
        assertTrue(r.warnText().contains("accepts no audio stream"), r::warnText);
    }

    @Test
    void anAnswerAcceptingAudioWithOnlyTelephoneEventsIsRejected() {
        rejected(CodecPolicy.checkAnswer(sentOffer(), sdp(answer("""
                m=audio 31000 RTP/AVP 101
                a=rtpmap:101 telephone-event/8000
                """, "m=video 0 RTP/AVP 96\n"))));
    }

    // --- CDR codec and DTMF ---------------------------------------------------------------------

    @Test
    void theNegotiatedCodecIsTheFirstVoiceCodecOfTheFirstActiveAudioStream() {
        assertEquals(Optional.of(Codec.G729), CodecPolicy.negotiatedCodec(sdp(header("""
                m=audio 0 RTP/AVP 0
                m=audio 5000 RTP/AVP 101 18 0
                a=rtpmap:101 telephone-event/8000
                """))));
        assertEquals("G729", Codec.G729.encodingName());
        assertEquals(Optional.empty(), CodecPolicy.negotiatedCodec(sdp(Samples.ASTERISK_T38_REOFFER)));
        assertEquals(Optional.empty(), CodecPolicy.negotiatedCodec(sdp(header("m=audio 5000 RTP/AVP 9\n"))));
    }

    @Test
    @Tag("IC-DTMF")
    void telephoneEventsAreFoundByRtpmapAtAnyPayloadType() {
        assertTrue(CodecPolicy.hasTelephoneEvent(sdp(Samples.ASTERISK_OFFER)));
        assertEquals(OptionalInt.of(CodecPolicy.DEFAULT_TELEPHONE_EVENT_PAYLOAD_TYPE),
                CodecPolicy.telephoneEventPayloadType(sdp(Samples.ASTERISK_OFFER)));
        assertEquals(OptionalInt.of(101), CodecPolicy.telephoneEventPayloadType(sdp(Samples.FREESWITCH_OFFER)),
                "not 103, which is telephone-event/48000");
        assertFalse(CodecPolicy.hasTelephoneEvent(sdp(header("m=audio 5000 RTP/AVP 0 101\n"))));
        assertFalse(CodecPolicy.hasTelephoneEvent(sdp(header("""
                m=audio 0 RTP/AVP 0 101
                a=rtpmap:101 telephone-event/8000
                """))), "a disabled stream carries no events");
        assertEquals(OptionalInt.empty(), CodecPolicy.telephoneEventPayloadType(sdp(header("""
                m=audio 5000 RTP/AVP 0 te
                a=rtpmap:te telephone-event/8000
                """))));
    }

    @Test
    void codecsDescribeThemselves() {
        assertEquals("G.711 u-law (PCMU)", Codec.PCMU.displayName());
        assertEquals(OptionalInt.of(8), Codec.PCMA.staticPayloadType());
        assertEquals(OptionalInt.empty(), Codec.TELEPHONE_EVENT.staticPayloadType());
        assertFalse(Codec.TELEPHONE_EVENT.isVoice());
        assertEquals(Optional.of(Codec.TELEPHONE_EVENT), Codec.of(new RtpMap("101", "TELEPHONE-EVENT", 8000, "")));
    }
}

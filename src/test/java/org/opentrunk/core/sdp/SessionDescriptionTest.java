package org.opentrunk.core.sdp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentrunk.core.sdp.Samples.crlf;
import static org.opentrunk.core.sdp.Samples.sdp;
import static org.opentrunk.core.sdp.Samples.wire;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentrunk.core.sdp.MalformedSdpException.Problem;

/** IC-RESP (RFC 4566): what OpenTrunk reads as SDP, what it refuses, and that it sends back what it read. */
@Tag("IC-RESP")
class SessionDescriptionTest {

    private static final String MINIMAL = """
            v=0
            o=- 1 1 IN IP4 192.0.2.1
            s=-
            c=IN IP4 192.0.2.1
            t=0 0
            m=audio 4000 RTP/AVP 0
            """;

    private static MalformedSdpException refused(String text) {
        return assertThrows(MalformedSdpException.class, () -> SessionDescription.parse(crlf(text)));
    }

    // --- structure -----------------------------------------------------------------------------

    @Test
    void sessionLinesAndMediaDescriptionsAreSplitAtEachMLine() {
        SessionDescription s = sdp(Samples.FREESWITCH_OFFER);
        assertEquals(5, s.sessionLines().size());
        assertEquals(new SdpLine('v', "0"), s.sessionLines().get(0));
        assertEquals(2, s.media().size());

        MediaDescription audio = s.media().get(0);
        assertEquals("audio", audio.media());
        assertEquals(24680, audio.port());
        assertEquals(OptionalInt.empty(), audio.numberOfPorts());
        assertEquals("RTP/AVP", audio.proto());
        assertEquals(List.of("102", "9", "0", "8", "18", "103", "101", "13"), audio.formats());
        assertTrue(audio.isRtp() && audio.isAudio() && audio.isActive());
        assertEquals("24681 IN IP4 198.51.100.20", audio.attribute("rtcp").orElseThrow());
        assertEquals(new RtpMap("102", "opus", 48000, "2"), audio.rtpmap("102").orElseThrow());

        MediaDescription video = s.media().get(1);
        assertEquals("video", video.media());
        assertEquals(new SdpLine('b', "AS:1024"), video.lines().get(0));
        assertEquals(2, video.attributes("rtcp-fb").stream().filter(l -> l.value().startsWith("rtcp-fb:96")).count());
        assertEquals(s.lines().size(), Samples.FREESWITCH_OFFER.lines().count());
    }

    @Test
    void aPortCountAndExtraSpacesAreRead() throws Exception {
        MediaDescription m = SessionDescription.parse(crlf(MINIMAL.replace("m=audio 4000 RTP/AVP 0",
                "m=audio  4000/2   RTP/SAVP 0  8 "))).media().get(0);
        assertEquals(4000, m.port());
        assertEquals(OptionalInt.of(2), m.numberOfPorts());
        assertEquals("RTP/SAVP", m.proto());
        assertEquals(List.of("0", "8"), m.formats());
        assertTrue(m.isRtp());
        assertEquals("audio  4000/2   RTP/SAVP 0  8 ", m.mediaLine().value(), "kept as received");
    }

    @Test
    void transportsAreRecognisedAsRtpOrNot() throws Exception {
        assertTrue(media("m=audio 9 UDP/TLS/RTP/SAVPF 0").isRtp());
        assertTrue(media("m=audio 9 rtp/avp 0").isRtp());
        assertFalse(media("m=image 9 udptl t38").isRtp());
        assertFalse(media("m=application 9 TCP/BFCP *").isRtp());
    }

    private static MediaDescription media(String mLine) throws MalformedSdpException {
        return SessionDescription.parse(crlf(MINIMAL.replace("m=audio 4000 RTP/AVP 0", mLine))).media().get(0);
    }

    // --- passthrough ---------------------------------------------------------------------------

    @Test
    void aCrlfBodyComesBackByteForByte() throws Exception {
        for (String sample : Samples.ALL) {
            byte[] body = wire(sample);
            assertArrayEquals(body, SessionDescription.parse(body).toBytes(), sample);
            assertEquals(crlf(sample), SessionDescription.parse(crlf(sample)).toString());
        }
    }

    @Test
    void lfOnlyInputIsAcceptedAndSentWithCrlf() throws Exception {
        SessionDescription s = SessionDescription.parse(Samples.ASTERISK_OFFER);
        assertEquals(crlf(Samples.ASTERISK_OFFER), s.toString());
        assertEquals(sdp(Samples.ASTERISK_OFFER), s);
    }

    @Test
    void aMissingFinalLineEndingAndEmptyLinesAreTolerated() throws Exception {
        String sloppy = crlf(MINIMAL).replace("s=-\r\n", "s=-\r\n\r\n").stripTrailing() + "\r\n\r\n";
        assertEquals(crlf(MINIMAL), SessionDescription.parse(sloppy).toString());
        assertEquals(crlf(MINIMAL), SessionDescription.parse(crlf(MINIMAL).stripTrailing()).toString());
    }

    @Test
    void unknownLinesAndAttributesAndOddSpacingPassUntouched() throws Exception {
        String odd = MINIMAL.replace("t=0 0\n", "t=0 0\nx=vendor thing\na=X-cisco-media:umoh\n")
                + "a=rtpmap:0  PCMU/8000 \nk=prompt\ni=main  audio\n";
        assertEquals(crlf(odd), SessionDescription.parse(odd).toString());
    }

    @Test
    void utf8TextRoundTrips() throws Exception {
        byte[] body = wire(MINIMAL.replace("s=-", "s=Sessão — 通话"));
        SessionDescription s = SessionDescription.parse(body);
        assertEquals(StandardCharsets.UTF_8, s.charset());
        assertEquals(new SdpLine('s', "Sessão — 通话"), s.sessionLines().get(2));
        assertArrayEquals(body, s.toBytes());
    }

    @Test
    void bytesThatAreNotUtf8RoundTripAsIso88591() throws Exception {
        byte[] latin1 = crlf(MINIMAL.replace("s=-", "s=caf\u00e9")).getBytes(StandardCharsets.ISO_8859_1);
        SessionDescription s = SessionDescription.parse(latin1);
        assertEquals(StandardCharsets.ISO_8859_1, s.charset());
        assertEquals(new SdpLine('s', "caf\u00e9"), s.sessionLines().get(2));
        assertArrayEquals(latin1, s.toBytes());
        FilterResult.Filtered filtered = (FilterResult.Filtered) CodecPolicy.filterOffer(s);
        assertArrayEquals(latin1, filtered.sdp().toBytes(), "filtering a G.711 offer changes nothing");
    }

    // --- origin version (RFC 3264 section 8) ---------------------------------------------------

    @Test
    void theSessionVersionIsIncrementedAndNothingElse() {
        SessionDescription s = sdp(Samples.ASTERISK_OFFER);
        SessionDescription next = s.withIncrementedVersion();
        assertEquals(BigInteger.valueOf(1913278104L), s.sessionVersion());
        assertEquals(BigInteger.valueOf(1913278105L), next.sessionVersion());
        assertEquals(crlf(Samples.ASTERISK_OFFER).replace("1913278104 1913278104", "1913278104 1913278105"),
                next.toString());
        assertEquals(BigInteger.valueOf(1913278106L), next.withIncrementedVersion().sessionVersion());
    }

    @Test
    void aHugeVersionDoesNotOverflowAndSpacingIsKept() throws Exception {
        SessionDescription s = SessionDescription.parse(MINIMAL.replace("o=- 1 1 IN",
                "o=user  77   18446744073709551615  IN"));
        assertEquals("user  77   18446744073709551616  IN IP4 192.0.2.1",
                s.withIncrementedVersion().origin().value());
    }

    // --- refusals ------------------------------------------------------------------------------

    @Test
    void emptyBodiesAreRefused() {
        assertEquals(Problem.EMPTY, assertThrows(MalformedSdpException.class,
                () -> SessionDescription.parse((String) null)).problem());
        assertEquals(Problem.EMPTY, assertThrows(MalformedSdpException.class,
                () -> SessionDescription.parse((byte[]) null)).problem());
        assertEquals(Problem.EMPTY, assertThrows(MalformedSdpException.class,
                () -> SessionDescription.parse(new byte[0])).problem());
        assertEquals(Problem.EMPTY, refused("\n\n\n").problem());
    }

    @ParameterizedTest
    @ValueSource(strings = {"v=1", "v=", "o=- 1 1 IN IP4 192.0.2.1", "\uFEFFv=0", "V=0", " v=0", "hello"})
    void aBodyThatDoesNotStartWithVersion0IsRefused(String first) {
        MalformedSdpException e = refused(MINIMAL.replace("v=0", first));
        assertTrue(e.problem() == Problem.NO_VERSION || e.problem() == Problem.BAD_LINE, e::getMessage);
        assertEquals(1, e.lineNumber());
        assertEquals(400, e.sipStatus());
    }

    @Test
    void aBodyWithoutMediaIsRefused() {
        MalformedSdpException e = refused(MINIMAL.replace("m=audio 4000 RTP/AVP 0\n", ""));
        assertEquals(Problem.NO_MEDIA, e.problem());
    }

    @ParameterizedTest
    @ValueSource(strings = {"o=- 1 IN IP4 192.0.2.1", "o=- 1 v2 IN IP4 192.0.2.1", "o=", "o=- 1 1 IN IP4 192.0.2.1 x"})
    void aBadOriginIsRefused(String origin) {
        assertEquals(Problem.BAD_ORIGIN, refused(MINIMAL.replace("o=- 1 1 IN IP4 192.0.2.1", origin)).problem());
    }

    @Test
    void aMissingOrRepeatedOriginIsRefused() {
        assertEquals(Problem.BAD_ORIGIN, refused(MINIMAL.replace("o=- 1 1 IN IP4 192.0.2.1\n", "")).problem());
        assertEquals(Problem.BAD_ORIGIN, refused(MINIMAL.replace("s=-", "o=- 2 2 IN IP4 192.0.2.1")).problem());
        assertEquals(Problem.BAD_ORIGIN, refused(MINIMAL + "o=- 2 2 IN IP4 192.0.2.1\n").problem());
    }

    @ParameterizedTest
    @ValueSource(strings = {"m=audio", "m=", "m=audio 4000 RTP/AVP", "m=audio x RTP/AVP 0", "m=audio 70000 RTP/AVP 0",
            "m=audio -1 RTP/AVP 0", "m=audio 4000/0 RTP/AVP 0", "m=audio 4000/2/2 RTP/AVP 0", "m=audio 4000 RTP//AVP 0",
            "m=au\"dio 4000 RTP/AVP 0", "m=audio 4000 RTP/AVP 0 \"8\"", "m=audio 040000 RTP/AVP 0",
            "m=audio 4000 RTP/AVP 0 é"})
    void aMalformedMediaLineIsRefused(String mLine) {
        MalformedSdpException e = refused(MINIMAL.replace("m=audio 4000 RTP/AVP 0", mLine));
        assertEquals(Problem.BAD_MEDIA_LINE, e.problem(), e::getMessage);
        assertEquals(6, e.lineNumber());
    }

    @ParameterizedTest
    @ValueSource(strings = {"A=foo", " a=foo", "a", "1=x", "a:foo", "=x", "a=x\u0000y", "a=x\ry", "v=0"})
    void aLineThatIsNotTypeEqualsValueIsRefused(String line) {
        MalformedSdpException e = refused(MINIMAL.replace("t=0 0", line));
        assertEquals(Problem.BAD_LINE, e.problem(), e::getMessage);
        assertEquals(5, e.lineNumber());
    }

    @Test
    void theMessageQuotesInputSafely() {
        MalformedSdpException e = refused(MINIMAL.replace("t=0 0", "a=\u001b[31mred\u0000" + "x".repeat(100)));
        assertFalse(e.getMessage().contains("\u001b"));
        assertFalse(e.getMessage().contains("\u0000"));
        assertTrue(e.getMessage().length() < 200, e::getMessage);
    }

    @Test
    void sizeIsCapped() throws Exception {
        String padding = "a=x-pad:" + "p".repeat(100) + "\n";
        String big = MINIMAL + padding.repeat(SessionDescription.MAX_BYTES / padding.length() + 1);
        assertEquals(Problem.TOO_LARGE, refused(big).problem());
        assertEquals(Problem.TOO_LARGE, assertThrows(MalformedSdpException.class,
                () -> SessionDescription.parse(big.getBytes(StandardCharsets.UTF_8))).problem());
        String fits = MINIMAL + padding.repeat(SessionDescription.MAX_BYTES / padding.length() / 2);
        SessionDescription.parse(fits);
    }

    @Test
    void lineCountIsCapped() throws Exception {
        assertEquals(Problem.TOO_MANY_LINES, refused(MINIMAL + "a=x\n".repeat(SessionDescription.MAX_LINES)).problem());
        assertEquals(Problem.TOO_MANY_LINES, refused(MINIMAL + "\n".repeat(SessionDescription.MAX_LINES)).problem());
        SessionDescription.parse(MINIMAL + "a=x\n".repeat(SessionDescription.MAX_LINES - 6));
    }

    @Test
    void formatsPerMediaLineAreCapped() throws Exception {
        StringBuilder formats = new StringBuilder();
        for (int pt = 0; pt < MediaDescription.MAX_FORMATS; pt++) {
            formats.append(' ').append(pt);
        }
        assertEquals(MediaDescription.MAX_FORMATS,
                media("m=audio 4000 RTP/AVP" + formats).formats().size());
        assertEquals(Problem.BAD_MEDIA_LINE,
                refused(MINIMAL.replace("m=audio 4000 RTP/AVP 0", "m=audio 4000 RTP/AVP" + formats + " 0")).problem());
    }

    @Test
    void mediaCountIsCapped() throws Exception {
        String m = "m=audio 4000 RTP/AVP 0\n";
        SessionDescription.parse(MINIMAL + m.repeat(SessionDescription.MAX_MEDIA_DESCRIPTIONS - 1));
        assertEquals(Problem.TOO_MANY_MEDIA,
                refused(MINIMAL + m.repeat(SessionDescription.MAX_MEDIA_DESCRIPTIONS)).problem());
    }

    // --- editing -------------------------------------------------------------------------------

    @Test
    void retainFormatsRewritesTheMLineAndDropsOnlyTheDroppedFormatsAttributes() {
        MediaDescription audio = sdp(Samples.ASTERISK_OFFER).media().get(0);
        MediaDescription kept = audio.retainFormats(List.of("8", "0"));
        assertEquals("m=audio 10954 RTP/AVP 8 0", kept.mediaLine().toString());
        assertEquals(List.of("a=rtpmap:0 PCMU/8000", "a=rtpmap:8 PCMA/8000", "a=ptime:20", "a=maxptime:150",
                "a=sendrecv"), kept.lines().stream().map(SdpLine::toString).toList());
        assertSame(audio, audio.retainFormats(audio.formats()));
        assertThrows(IllegalArgumentException.class, () -> audio.retainFormats(List.of()));
        assertThrows(IllegalArgumentException.class, () -> audio.retainFormats(List.of("a b")));
    }

    @Test
    void disablingAStreamDropsThePortCount() throws Exception {
        MediaDescription m = media("m=video 5000/2 RTP/AVP 96");
        assertEquals("m=video 0 RTP/AVP 96", m.withPort(0).mediaLine().toString());
        assertSame(m, m.withPort(5000));
        assertThrows(IllegalArgumentException.class, () -> m.withPort(65536));
    }

    @Test
    void sdpLinesCannotCarryLineBreaks() {
        assertThrows(IllegalArgumentException.class, () -> new SdpLine('a', "x\r\nm=video 1 RTP/AVP 0"));
        assertThrows(IllegalArgumentException.class, () -> new SdpLine('A', "x"));
        assertEquals("fmtp", new SdpLine('a', "fmtp:101 0-15").attributeName());
        assertEquals("101 0-15", new SdpLine('a', "fmtp:101 0-15").attributeValue().orElseThrow());
        assertTrue(new SdpLine('a', "sendrecv").attributeValue().isEmpty());
        assertEquals("", new SdpLine('c', "IN IP4 192.0.2.1").attributeName());
    }

    @Test
    void rtpmapsAreReadLeniently() {
        assertEquals(new RtpMap("96", "PCMU", 8000, ""), RtpMap.parse("96 PCMU/8000").orElseThrow());
        assertEquals(new RtpMap("96", "PCMU", 8000, ""), RtpMap.parse(" 96  PCMU/8000 ").orElseThrow());
        assertEquals("opus/48000/2", RtpMap.parse("111 opus/48000/2").orElseThrow().encoding());
        for (String bad : List.of("", "96", "96 PCMU", "96 PCMU/", "96 /8000", "96 PCMU/8k", "96 PCMU/8000/1/1",
                "96 PCMU/99999999999999999999", "96 PCMU/8000 extra")) {
            assertTrue(RtpMap.parse(bad).isEmpty(), bad);
        }
    }
}

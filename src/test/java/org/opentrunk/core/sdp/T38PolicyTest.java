package org.opentrunk.core.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentrunk.core.sdp.Samples.crlf;
import static org.opentrunk.core.sdp.Samples.sdp;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** IC-FAX: T.38 at most 9600 bit/s with redundancy; ECM is not an SDP matter. */
@Tag("IC-FAX")
class T38PolicyTest {

    private static final String HEADER = """
            v=0
            o=- 7 7 IN IP4 192.0.2.1
            s=-
            c=IN IP4 192.0.2.1
            t=0 0
            """;

    private static List<String> lines(SessionDescription s, int media) {
        return s.media().get(media).lines().stream().map(SdpLine::toString).toList();
    }

    @Test
    void anAsteriskReofferIsCappedAt9600WithRedundancyAndKeepsEverythingElse() {
        SessionDescription out = T38Policy.enforce(sdp(Samples.ASTERISK_T38_REOFFER));
        assertEquals(crlf(Samples.ASTERISK_T38_REOFFER)
                .replace("a=T38MaxBitRate:14400", "a=T38MaxBitRate:9600")
                .replace("a=T38FaxUdpEC:t38UDPFEC", "a=T38FaxUdpEC:t38UDPRedundancy"), out.toString());
    }

    @Test
    void missingParametersAreAddedAndEcmOnlyAndTranscodingAttributesRemoved() {
        SessionDescription out = T38Policy.enforce(sdp(HEADER + """
                m=image 4402 udptl t38
                a=T38FaxVersion:0
                a=T38FaxFillBitRemoval
                a=T38FaxTranscodingMMR
                a=T38FaxTranscodingJBIG
                a=t38faxfillbitremoval:1
                a=T38FaxTranscodingMmr:0
                a=T38FaxMaxDatagram:176
                """));
        // IC-FAX: no ECM (MMR and JBIG need it) and no transcoding, whatever the value or spelling.
        assertEquals(List.of("a=T38FaxVersion:0", "a=T38FaxMaxDatagram:176", "a=T38MaxBitRate:9600",
                "a=T38FaxRateManagement:transferredTCF", "a=T38FaxUdpEC:t38UDPRedundancy"), lines(out, 0));
    }

    @Test
    void aLowerRateAndTheSendersRateManagementAreKept() {
        String text = HEADER + """
                m=image 4402 udptl t38
                a=T38MaxBitRate:4800
                a=T38FaxRateManagement:localTCF
                a=T38FaxUdpEC:t38UDPRedundancy
                """;
        SessionDescription in = sdp(text);
        assertSame(in, T38Policy.enforce(in), "nothing to change");
    }

    @Test
    void namesAreMatchedIgnoringCaseAndKeepTheSendersSpelling() {
        SessionDescription out = T38Policy.enforce(sdp(HEADER + """
                m=image 4402 udptl t38
                a=T38MaxBitrate:14400
                a=t38faxudpec:T38UDPFEC
                a=T38FaxRateManagement:transferredTCF
                """));
        assertEquals(List.of("a=T38MaxBitrate:9600", "a=t38faxudpec:t38UDPRedundancy",
                "a=T38FaxRateManagement:transferredTCF"), lines(out, 0));
    }

    @Test
    void repeatedOrUnreadableParametersAreReplacedByOne() {
        SessionDescription out = T38Policy.enforce(sdp(HEADER + """
                m=image 4402 udptl t38
                a=T38MaxBitRate:fast
                a=T38MaxBitRate:2400
                a=T38FaxUdpEC:t38UDPRedundancy
                a=T38FaxUdpEC:t38UDPFEC
                a=T38FaxRateManagement:transferredTCF
                """));
        assertEquals(List.of("a=T38MaxBitRate:9600", "a=T38FaxUdpEC:t38UDPRedundancy",
                "a=T38FaxRateManagement:transferredTCF"), lines(out, 0));
    }

    @Test
    void onlyActiveT38StreamsAreTouched() {
        String text = HEADER + """
                m=audio 5000 RTP/AVP 0
                a=T38MaxBitRate:14400
                m=image 0 udptl t38
                a=T38MaxBitRate:14400
                """;
        SessionDescription in = sdp(text);
        assertSame(in, T38Policy.enforce(in));
        assertFalse(T38Policy.isT38Offer(in));
    }

    @Test
    void aT38OfferIsAnActiveImageUdptlT38Stream() {
        assertTrue(T38Policy.isT38Offer(sdp(Samples.ASTERISK_T38_REOFFER)));
        assertTrue(T38Policy.isT38Offer(sdp(HEADER + "m=audio 0 RTP/AVP 0\nm=IMAGE 4402 UDPTL T38\n")));
        assertFalse(T38Policy.isT38Offer(sdp(Samples.ASTERISK_OFFER)));
        assertFalse(T38Policy.isT38Offer(sdp(HEADER + "m=image 4402 RTP/AVP 96\n")));
        assertFalse(T38Policy.isT38Offer(sdp(HEADER + "m=image 4402 udptl jpeg\n")));
    }

    @Test
    void aT38ReofferIsNotForTheCodecPolicy() {
        assertInstanceOf(FilterResult.Rejected.class, CodecPolicy.filterOffer(sdp(Samples.ASTERISK_T38_REOFFER)),
                "no voice codec: the SIP code sends T.38 re-offers through T38Policy instead");
    }

    @Test
    void g711OnlyMeansOnlyPcmuPcmaAndTelephoneEventsOnActiveAudio() {
        assertTrue(T38Policy.isG711Only(sdp(Samples.CARRIER_ANSWER)));
        assertTrue(T38Policy.isG711Only(sdp(HEADER + "m=audio 5000 RTP/AVP 8\nm=audio 0 RTP/AVP 18\n")));
        assertFalse(T38Policy.isG711Only(sdp(Samples.ASTERISK_OFFER)), "G.722 and Opus offered");
        assertFalse(T38Policy.isG711Only(sdp(HEADER + "m=audio 5000 RTP/AVP 0 18\n")));
        assertFalse(T38Policy.isG711Only(sdp(HEADER + """
                m=audio 5000 RTP/AVP 101
                a=rtpmap:101 telephone-event/8000
                """)), "no G.711 at all");
        assertFalse(T38Policy.isG711Only(sdp(Samples.ASTERISK_T38_REOFFER)));
    }
}

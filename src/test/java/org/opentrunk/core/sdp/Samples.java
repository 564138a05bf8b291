package org.opentrunk.core.sdp;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Offers and answers in the style real PBXs and gateways send them (addresses from the documentation ranges). */
final class Samples {

    private Samples() {
    }

    /** An Asterisk (chan_pjsip) offer with wideband codecs first-class citizens next to G.711. */
    static final String ASTERISK_OFFER = """
            v=0
            o=- 1913278104 1913278104 IN IP4 192.0.2.10
            s=Asterisk
            c=IN IP4 192.0.2.10
            t=0 0
            m=audio 10954 RTP/AVP 0 8 9 111 101
            a=rtpmap:0 PCMU/8000
            a=rtpmap:8 PCMA/8000
            a=rtpmap:9 G722/8000
            a=rtpmap:111 opus/48000/2
            a=fmtp:111 useinbandfec=1
            a=rtpmap:101 telephone-event/8000
            a=fmtp:101 0-16
            a=ptime:20
            a=maxptime:150
            a=sendrecv
            """;

    /** A FreeSWITCH offer with Opus and its 48 kHz telephone-events, G.729, comfort noise and video. */
    static final String FREESWITCH_OFFER = """
            v=0
            o=FreeSWITCH 1712345678 1712345679 IN IP4 198.51.100.20
            s=FreeSWITCH
            c=IN IP4 198.51.100.20
            t=0 0
            m=audio 24680 RTP/AVP 102 9 0 8 18 103 101 13
            a=rtpmap:102 opus/48000/2
            a=fmtp:102 useinbandfec=1; maxaveragebitrate=30000; maxplaybackrate=48000; ptime=20; minptime=10; maxptime=40
            a=rtpmap:9 G722/8000
            a=rtpmap:0 PCMU/8000
            a=rtpmap:8 PCMA/8000
            a=rtpmap:18 G729/8000
            a=fmtp:18 annexb=no
            a=rtpmap:103 telephone-event/48000
            a=fmtp:103 0-15
            a=rtpmap:101 telephone-event/8000
            a=fmtp:101 0-15
            a=rtpmap:13 CN/8000
            a=ptime:20
            a=sendrecv
            a=rtcp:24681 IN IP4 198.51.100.20
            m=video 24682 RTP/AVP 96 97
            b=AS:1024
            a=rtpmap:96 H264/90000
            a=fmtp:96 profile-level-id=42e01f;packetization-mode=1
            a=rtcp-fb:96 nack
            a=rtcp-fb:96 nack pli
            a=rtpmap:97 VP8/90000
            a=rtcp-fb:97 ccm fir
            a=sendrecv
            """;

    /** A desk phone offering only G.722 (wideband-only configuration). */
    static final String G722_ONLY_OFFER = """
            v=0
            o=root 21345 21345 IN IP4 203.0.113.5
            s=call
            c=IN IP4 203.0.113.5
            t=0 0
            m=audio 5004 RTP/AVP 9 101
            a=rtpmap:9 G722/8000
            a=rtpmap:101 telephone-event/8000
            a=fmtp:101 0-15
            a=sendrecv
            """;

    /** A carrier's answer to a G.711 offer. */
    static final String CARRIER_ANSWER = """
            v=0
            o=gw 4400 4401 IN IP4 198.51.100.77
            s=SBC
            c=IN IP4 198.51.100.77
            t=0 0
            m=audio 31000 RTP/AVP 0 101
            a=rtpmap:0 PCMU/8000
            a=rtpmap:101 telephone-event/8000
            a=fmtp:101 0-15
            a=ptime:20
            a=sendrecv
            """;

    /** An Asterisk T.38 re-INVITE: the audio stream replaced by an image stream. */
    static final String ASTERISK_T38_REOFFER = """
            v=0
            o=- 1913278104 1913278106 IN IP4 192.0.2.10
            s=Asterisk
            c=IN IP4 192.0.2.10
            t=0 0
            m=image 4402 udptl t38
            a=T38FaxVersion:0
            a=T38MaxBitRate:14400
            a=T38FaxRateManagement:transferredTCF
            a=T38FaxMaxBuffer:400
            a=T38FaxMaxDatagram:400
            a=T38FaxUdpEC:t38UDPFEC
            """;

    static final List<String> ALL = List.of(ASTERISK_OFFER, FREESWITCH_OFFER, G722_ONLY_OFFER, CARRIER_ANSWER,
            ASTERISK_T38_REOFFER);

    /** {@code text} with CRLF line endings, as on the wire. */
    static String crlf(String text) {
        return text.replace("\r\n", "\n").replace("\n", "\r\n");
    }

    static byte[] wire(String text) {
        return crlf(text).getBytes(StandardCharsets.UTF_8);
    }

    static SessionDescription sdp(String text) {
        try {
            return SessionDescription.parse(wire(text));
        } catch (MalformedSdpException e) {
            throw new AssertionError("sample does not parse: " + e.getMessage(), e);
        }
    }
}

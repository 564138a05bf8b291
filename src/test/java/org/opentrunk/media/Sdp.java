package org.opentrunk.media;

import org.opentrunk.core.sdp.MalformedSdpException;
import org.opentrunk.core.sdp.SessionDescription;

/** SDP bodies for the media tests, written with LF in text blocks. */
final class Sdp {

    private Sdp() {
    }

    static SessionDescription parse(String text) {
        try {
            return SessionDescription.parse(text);
        } catch (MalformedSdpException e) {
            throw new AssertionError(e);
        }
    }

    static String crlf(String text) {
        return text.replace("\n", "\r\n");
    }

    /** A G.711 offer or answer from {@code address}:{@code port} with telephone-events on {@code te}. */
    static SessionDescription audio(String address, int port, int te, String direction) {
        return parse("""
                v=0
                o=- 100 1 IN IP4 %1$s
                s=-
                c=IN IP4 %1$s
                t=0 0
                m=audio %2$d RTP/AVP 0 8 %3$d
                a=rtpmap:0 PCMU/8000
                a=rtpmap:8 PCMA/8000
                a=rtpmap:%3$d telephone-event/8000
                a=fmtp:%3$d 0-15
                a=ptime:20
                a=%4$s
                """.formatted(address, port, te, direction));
    }

    /** A T.38 re-offer as Asterisk sends it, from {@code address}:{@code port}. */
    static SessionDescription t38(String address, int port, int version) {
        return parse("""
                v=0
                o=- 100 %3$d IN IP4 %1$s
                s=-
                c=IN IP4 %1$s
                t=0 0
                m=image %2$d udptl t38
                a=T38FaxVersion:0
                a=T38MaxBitRate:14400
                a=T38FaxRateManagement:transferredTCF
                a=T38FaxMaxBuffer:400
                a=T38FaxMaxDatagram:400
                a=T38FaxUdpEC:t38UDPFEC
                """.formatted(address, port, version));
    }
}
